// What room-load.bench.ts needs around wrangler dev: waiting for a room's import over /sync, stopping the stack
// and waiting for it, reading the room's stored document from the persisted SQLite file, and the
// same stored bytes loaded in Node for reference.

import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { listOrders, stockMap } from "@consign/sync";
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
  return {
    file: best.file,
    snapshot: new Uint8Array(Buffer.from(hex, "hex")),
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

/**
 * The stored document rewritten in the layouts issue 23 weighed (what a migration would make of this
 * room): without the empty notes text each imported order carries, and with each order's record as one
 * JSON string too. Loaded in Node beside the stored bytes, median of `runs`, alternating.
 */
export function layoutsInNode(
  snapshot: Uint8Array,
  runs = 5,
): { name: string; bytes: number; loadMs: number }[] {
  const src = new Y.Doc();
  Y.applyUpdate(src, snapshot);
  const rewrite = (strings: boolean) => {
    const d = new Y.Doc();
    d.transact(() => {
      for (const name of src.share.keys()) {
        const from = src.getMap(name);
        const to = d.getMap(name);
        for (const [k, v] of from.entries()) {
          if (v instanceof Y.Text) {
            if (v.length > 0) to.set(k, new Y.Text(v.toString()));
            continue;
          }
          if (v instanceof Y.AbstractType) continue;
          to.set(k, strings && name === "orders" ? JSON.stringify(v) : v);
        }
      }
    });
    return Y.encodeStateAsUpdate(d);
  };
  const layouts = [
    { name: "as stored (a record and an empty notes text per order)", bytes: snapshot },
    { name: "notes text only where someone typed", bytes: rewrite(false) },
    { name: "that, and each record one JSON string", bytes: rewrite(true) },
  ];
  src.destroy();
  const times = layouts.map(() => [] as number[]);
  for (let r = 0; r < runs; r++)
    layouts.forEach((l, i) => {
      const t0 = performance.now();
      const d = new Y.Doc();
      Y.applyUpdate(d, l.bytes);
      times[i]!.push(performance.now() - t0);
      d.destroy();
    });
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return layouts.map((l, i) => ({ name: l.name, bytes: l.bytes.byteLength, loadMs: med(times[i]!) }));
}
