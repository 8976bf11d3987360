// Archived months (GET /api/v1/archive/{yyyy-mm}) cached in IndexedDB: closed months never change, so each
// is fetched once per device; the current month is refreshed when online.

import type { Order } from "@consign/domain";
import * as api from "./api.ts";

const DB = "consign-archive";
const STORE = "months";

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
function tx<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  run: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = run(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** "yyyy-mm" of each month from `months` back to now (UTC months). */
export function monthsBack(now: number, months: number): string[] {
  const d = new Date(now);
  const out: string[] = [];
  for (let i = months; i >= 0; i--) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    out.push(`${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, "0")}`);
  }
  return out;
}

/** Orders of the given months, from the cache when held, else from the edge (skipped when offline). */
export async function loadArchive(sellerId: string, months: string[], current: string): Promise<Order[]> {
  const db = await openDb().catch(() => null);
  const out: Order[] = [];
  for (const month of months) {
    const key = `${sellerId}/${month}`;
    const cached = db
      ? await tx<Order[] | undefined>(db, "readonly", (s) => s.get(key)).catch(() => undefined)
      : undefined;
    if (cached && month !== current) {
      out.push(...cached);
      continue;
    }
    try {
      const orders = await api.archiveMonth(month);
      if (db) await tx(db, "readwrite", (s) => s.put(orders, key)).catch(() => undefined);
      out.push(...orders);
    } catch {
      if (cached) out.push(...cached);
    }
  }
  db?.close();
  return out;
}
