// What room-load.bench.ts needs around wrangler dev: waiting for a room's import over /sync, stopping the stack
// and waiting for it, reading the room's stored document from the persisted SQLite file, and the
// same stored bytes loaded in Node for reference.

import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createOrderTexts,
  isPersonsChoice,
  isWorkedOutField,
  LAYOUT_KEY,
  listOrders,
  metaMap,
  orderIdOfWorkKey,
  ordersMap,
  recordEntries,
  rootTexts,
  stockMap,
  WORKED_OUT_FIELDS,
  workMap,
} from "@consign/sync";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export interface RunningStack {
  children: ChildProcess[];
  stop: () => void;
  url: string;
  /** The demo seller (owner's email, password, sellerId…) when the stack seeded one, else null. */
  demo?: unknown;
}

/** Stops the stack and waits until both wrangler process groups have exited (SIGKILL after 15 s). */
export async function stopAndWait(stack: RunningStack): Promise<void> {
  const alive = stack.children.filter((c) => c.exitCode === null && c.signalCode === null);
  const exited = alive.map((c) => new Promise<void>((r) => c.once("exit", () => r())));
  stack.stop();
  const timer = setTimeout(() => {
    for (const c of alive) {
      try {
        if (c.pid !== undefined) process.kill(-c.pid, "SIGKILL");
      } catch {}
    }
  }, 15_000);
  await Promise.all(exited);
  clearTimeout(timer);
  // workerd may outlive wrangler for a moment; give the ports back before the next start.
  await new Promise((r) => setTimeout(r, 500));
}

function connect(wsUrl: string, sellerId: string, token: string, doc: Y.Doc): WebsocketProvider {
  return new WebsocketProvider(wsUrl, sellerId, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token },
  });
}

const synced = (p: WebsocketProvider) =>
  new Promise<void>((r) => (p.synced ? r() : p.once("sync", () => r())));

/**
 * Waits until a device connected to the seller's room sees at least `n` orders (an import under way
 * fills the room page by page). Asks for a fresh access token on each connection: the import can
 * outlast one. Throws after `timeoutMs` with how many arrived.
 */
export async function waitForOrders(
  wsUrl: string,
  sellerId: string,
  token: () => Promise<string>,
  n: number,
  timeoutMs = 1_800_000,
): Promise<{ orders: number; ms: number }> {
  const t0 = performance.now();
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const doc = new Y.Doc();
    const reader = connect(wsUrl, sellerId, await token(), doc);
    try {
      await synced(reader);
      // One connection for at most 5 minutes (the access token lives 10).
      const until = Math.min(deadline, Date.now() + 300_000);
      while (Date.now() < until) {
        seen = listOrders(doc).length;
        if (seen >= n) return { orders: seen, ms: performance.now() - t0 };
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      reader.destroy();
      doc.destroy();
    }
  }
  throw new Error(`the room holds ${seen} of ${n} orders after ${(timeoutMs / 60_000).toFixed(0)} min`);
}

/** The SKU padLog counts on: no seller sells it, so nothing reads its level. */
const PAD_KEY = "BENCH-PAD-NOT-SOLD/bench";

/**
 * Sends `count` tiny updates (one stock counter of a SKU nobody sells, overwritten: a key a packer's
 * device may write) from one device, so the room's log reaches its compaction threshold (500 rows in
 * RoomSync) and folds into a snapshot.
 */
export async function padLog(wsUrl: string, sellerId: string, token: string, count: number): Promise<void> {
  const doc = new Y.Doc();
  const device = connect(wsUrl, sellerId, token, doc);
  await synced(device);
  const pad = stockMap(doc);
  for (let i = 0; i < count; i++) {
    pad.set(PAD_KEY, i);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
  }
  // A second device that sees the last value means the room has stored every pad.
  const check = new Y.Doc();
  const reader = connect(wsUrl, sellerId, token, check);
  await synced(reader);
  const deadline = Date.now() + 60_000;
  while (stockMap(check).get(PAD_KEY) !== count - 1) {
    if (Date.now() > deadline) throw new Error("the room did not store the padding updates");
    await new Promise((r) => setTimeout(r, 100));
  }
  device.destroy();
  reader.destroy();
}

export interface StoredRoom {
  file: string;
  snapshot: Uint8Array;
  /** The log's updates, in order (applied after the snapshot when the room loads). */
  log: Uint8Array[];
  snapshotRows: number;
  logRows: number;
  logBytes: number;
  fileBytes: number;
}

function sqlite(file: string, query: string): string {
  return execFileSync("sqlite3", [file, query], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim();
}

function sqliteFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sqliteFiles(path));
    else if (name.endsWith(".sqlite")) out.push(path);
  }
  return out;
}

/**
 * The largest stored Yjs document (snapshot + log) among the edge's Durable Object databases (the filled room),
 * read with the sqlite3 command-line tool while the stack is stopped. Null when none is found.
 */
export function readLargestRoom(edgeStateDir: string): StoredRoom | null {
  let best: { file: string; bytes: number } | null = null;
  for (const file of sqliteFiles(edgeStateDir)) {
    let bytes = 0;
    try {
      const hasTable = sqlite(file, "SELECT count(*) FROM sqlite_master WHERE name = 'sync_snapshot'");
      if (hasTable !== "1") continue;
      bytes = Number(
        sqlite(
          file,
          "SELECT (SELECT coalesce(sum(length(data)), 0) FROM sync_snapshot) + (SELECT coalesce(sum(length(data)), 0) FROM sync_log)",
        ),
      );
    } catch {
      continue;
    }
    if (!best || bytes > best.bytes) best = { file, bytes };
  }
  if (!best) return null;
  const hex = sqlite(best.file, "SELECT hex(data) FROM sync_snapshot ORDER BY idx").split("\n").join("");
  const [logRows, logBytes] = sqlite(
    best.file,
    "SELECT count(*) || ' ' || coalesce(sum(length(data)), 0) FROM sync_log",
  )
    .split(" ")
    .map(Number);
  const log = sqlite(best.file, "SELECT hex(data) FROM sync_log ORDER BY seq")
    .split("\n")
    .filter((h) => h !== "")
    .map((h) => new Uint8Array(Buffer.from(h, "hex")));
  return {
    file: best.file,
    snapshot: new Uint8Array(Buffer.from(hex, "hex")),
    log,
    snapshotRows: Number(sqlite(best.file, "SELECT count(*) FROM sync_snapshot")),
    logRows: logRows ?? 0,
    logBytes: logBytes ?? 0,
    fileBytes: statSync(best.file).size,
  };
}

/** The same stored bytes loaded in Node (this process), for comparison with workerd. */
export function loadInNode(snapshot: Uint8Array): { loadMs: number; listMs: number; orders: number } {
  const t0 = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, snapshot);
  const t1 = performance.now();
  const orders = listOrders(doc).length;
  const t2 = performance.now();
  doc.destroy();
  return { loadMs: t1 - t0, listMs: t2 - t1, orders };
}

/** The stored room (snapshot, then its log) as one document. */
export function storedDoc(room: StoredRoom): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, room.snapshot);
  for (const u of room.log) Y.applyUpdate(doc, u);
  return doc;
}

/**
 * A room's document (any layout) written in one layout, same generation and values, as one snapshot:
 * layout 1 (each record an object, an empty notes text made at import for every order), layout 2
 * (@consign/sync layout.ts: records as JSON strings, notes only where typed, the worked-out parcel and
 * service as two working keys per order) or layout 3 (as 2, with the worked-out parcel and service
 * inside the record string: worked-out.ts).
 */
export function inLayout(src: Y.Doc, layout: Layout): Uint8Array {
  const d = new Y.Doc();
  const srcWork = workMap(src);
  d.transact(() => {
    for (const name of ["stock", "settings", "runs", "printQueue"])
      for (const [k, v] of src.getMap(name).entries())
        if (!(v instanceof Y.AbstractType)) d.getMap(name).set(k, v);
    for (const [k, v] of srcWork.entries()) {
      if (v instanceof Y.AbstractType) continue;
      const field = k.slice(k.lastIndexOf("/") + 1);
      // Layout 3 keeps only people's choices of parcel and service as working keys.
      if (layout === 3 && isWorkedOutField(field) && !isPersonsChoice(field, v)) continue;
      workMap(d).set(k, v);
    }
    for (const [k, v] of metaMap(src).entries()) if (k !== LAYOUT_KEY) metaMap(d).set(k, v);
    if (layout >= 2) metaMap(d).set(LAYOUT_KEY, layout);
    for (const [id, stored] of recordEntries(src)) {
      const record: Record<string, unknown> = { ...stored };
      for (const field of WORKED_OUT_FIELDS) {
        const atKey = srcWork.get(`${id}/${field}`);
        if (layout === 3) {
          if (atKey !== undefined && !isPersonsChoice(field, atKey)) record[field] = atKey;
        } else {
          // Layouts 1 and 2: what the room worked out is a working key (unless a person's choice is there).
          if (record[field] !== undefined && atKey === undefined)
            workMap(d).set(`${id}/${field}`, record[field]);
          delete record[field];
        }
      }
      (ordersMap(d) as Y.Map<unknown>).set(id, layout >= 2 ? JSON.stringify(record) : record);
      if (layout === 1) createOrderTexts(d, id);
    }
    for (const { orderId, field, text } of rootTexts(src)) {
      const words = text.toString();
      if (words === "") continue;
      if (layout >= 2) d.getText(`${field}/${orderId}`).insert(0, words);
      else (workMap(d).get(`${orderId}/${field}`) as Y.Text).insert(0, words);
    }
  });
  return Y.encodeStateAsUpdate(d);
}

export type Layout = 1 | 2 | 3;

/** Replaces a stopped room's stored document (SQLite file) by `update`, as one snapshot and no log. */
export function writeStoredRoom(file: string, update: Uint8Array): void {
  const ROW = 1_500_000; // under SQLite-backed Durable Objects' 2 MB per value, as the room's own chunks
  const parts: string[] = [];
  const statements = ["BEGIN;", "DELETE FROM sync_snapshot;", "DELETE FROM sync_log;"];
  for (let i = 0, idx = 0; i < update.byteLength; i += ROW, idx++) {
    const part = join(tmpdir(), `consign-room-${process.pid}-${idx}.bin`);
    writeFileSync(part, update.subarray(i, i + ROW));
    parts.push(part);
    statements.push(`INSERT INTO sync_snapshot (idx, data) VALUES (${idx}, readfile('${part}'));`);
  }
  statements.push("COMMIT;");
  try {
    execFileSync("sqlite3", [file], { input: statements.join("\n"), encoding: "utf8" });
  } finally {
    for (const part of parts) rmSync(part, { force: true });
  }
}

/** A room's document in `layout` (written by `inLayout`), its orders (records and working fields) repeated under new ids up to `n`. */
export function repeatOrders(stored: Uint8Array, layout: Layout, n: number): Uint8Array {
  const src = new Y.Doc();
  Y.applyUpdate(src, stored);
  const records = [...recordEntries(src)].map(([, r]) => r);
  const workOf = new Map<string, [string, unknown][]>();
  for (const [key, value] of workMap(src).entries()) {
    if (value instanceof Y.AbstractType) continue; // layout 1's empty notes texts: made below
    const id = orderIdOfWorkKey(key);
    if (!workOf.has(id)) workOf.set(id, []);
    workOf.get(id)!.push([key.slice(id.length + 1), value]);
  }
  const d = new Y.Doc();
  d.transact(() => {
    for (const [k, v] of metaMap(src).entries()) metaMap(d).set(k, v);
    for (const name of ["stock", "settings", "runs", "printQueue"])
      for (const [k, v] of src.getMap(name).entries()) d.getMap(name).set(k, v);
    for (let i = 0; i < n; i++) {
      const r = records[i % records.length]!;
      const id = i < records.length ? r.orderId : `${r.orderId}-${Math.floor(i / records.length)}`;
      const record = { ...r, orderId: id };
      (ordersMap(d) as Y.Map<unknown>).set(id, layout >= 2 ? JSON.stringify(record) : record);
      for (const [field, value] of workOf.get(r.orderId) ?? []) workMap(d).set(`${id}/${field}`, value);
      if (layout === 1) createOrderTexts(d, id);
    }
  });
  const bytes = Y.encodeStateAsUpdate(d);
  d.destroy();
  src.destroy();
  return bytes;
}
