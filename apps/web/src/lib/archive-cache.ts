// Archived months (GET /api/v1/archive/{yyyy-mm}) cached in IndexedDB. A past month still changes when
// an order bought then is closed and archived later, so each cached month keeps the edge's
// `updatedAt` and is fetched again only when the edge's month list shows a newer one.

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

interface CachedMonth {
  orders: Order[];
  updatedAt: number;
}

/** Orders of the given months: from the cache while it is current, else from the edge; offline, the cache. */
export async function loadArchive(sellerId: string, months: string[], current: string): Promise<Order[]> {
  return (await loadArchiveChecked(sellerId, months, current)).orders;
}

export interface LoadedArchive {
  orders: Order[];
  /** Months that may hold orders but could not be read (offline with no copy, or the edge refused). */
  missing: string[];
}

/**
 * As loadArchive, and says which months are missing: a figure computed without them would count
 * only part of the orders, so the metrics page shows no rate until `missing` is empty.
 */
export async function loadArchiveChecked(
  sellerId: string,
  months: string[],
  _current: string,
): Promise<LoadedArchive> {
  const db = await openDb().catch(() => null);
  const index = await api.archiveMonths().catch(() => null);
  const changed = new Map(index?.map((m) => [m.month, m.updatedAt]) ?? []);
  const out: Order[] = [];
  const missing: string[] = [];
  for (const month of months) {
    const key = `${sellerId}/${month}`;
    const raw = db ? await tx<unknown>(db, "readonly", (s) => s.get(key)).catch(() => undefined) : undefined;
    const cached = raw && !Array.isArray(raw) ? (raw as CachedMonth) : undefined;
    if (index === null) {
      // Offline or refused: a cached month may be behind, but a month with no copy is unknown.
      if (cached) out.push(...cached.orders);
      else missing.push(month);
      continue;
    }
    const updatedAt = changed.get(month);
    if (updatedAt === undefined) {
      // Nothing archived for that month: remember it, so that offline the month is known to be empty.
      if (db && !cached) {
        const empty: CachedMonth = { orders: [], updatedAt: 0 };
        await tx(db, "readwrite", (s) => s.put(empty, key)).catch(() => undefined);
      }
      continue;
    }
    if (cached && cached.updatedAt === updatedAt) {
      out.push(...cached.orders);
      continue;
    }
    try {
      const orders = await api.archiveMonth(month);
      const entry: CachedMonth = { orders, updatedAt };
      if (db) await tx(db, "readwrite", (s) => s.put(entry, key)).catch(() => undefined);
      out.push(...orders);
    } catch {
      if (cached) out.push(...cached.orders);
      else missing.push(month);
    }
  }
  db?.close();
  return { orders: out, missing };
}
