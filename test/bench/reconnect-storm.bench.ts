// Issue 15's "reconnect storm: 50 devices back in sync ≤ 5 s after a room restart with 5,000 open
// orders", measured on the whole local stack (wrangler dev, workerd, persisted state) rather than
// inside vitest. The demo seller's Amazon account is seeded in the sandbox with N orders awaiting
// dispatch and the room imports them as it imports any seller's orders (searchOrders pages through
// the sandbox's SP-API; its usage plans are sped up with the sandbox's `rateScale` so the import
// takes seconds, not the hours 0.0056 calls a second would). Then C stock y-websocket clients sign
// in with real access tokens and sync the whole document; the edge Worker is stopped and started
// again (every Durable Object with it; its SQLite state kept on disk, as a room restart) and each
// client is timed until it has reconnected and received the room's state (y-websocket's `sync`
// after the new socket's sync step 2). At the end of each storm a fresh client reads the room and
// every one of the C must hold the same state vector.
// In the same run, the naive figures: the same restart with one client connected, and one fresh
// device's first full sync of the document from a cold room.
// Run: node_modules/.bin/tsx test/bench/reconnect-storm.bench.ts [clients=50] [orders=5000] [storms=3]
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { listOrders } from "../../packages/sync/src/index.ts";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { median, postJson } from "./bench-helpers.ts";

const CLIENTS = Math.max(1, Number(process.argv[2] ?? 50));
const ORDERS = Math.max(1, Number(process.argv[3] ?? 5000));
const STORMS = Math.max(1, Number(process.argv[4] ?? 3));
// STORM_BENCH_PORT moves the stack (edge on it, sandbox on it + 1) when 20187 is taken.
const EDGE = Number(process.env.STORM_BENCH_PORT ?? 20187);
const SANDBOX = EDGE + 1;
const GOAL_MS = 5_000;
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-reconnect-storm-state");

interface RestartTimes {
  stoppedAt: number;
  exitedAt: number;
  upAt: number;
}
interface Stack {
  url: string;
  demo: { sellerId: string; owner: string; password: string };
  stop: () => void;
  restartEdge: () => Promise<RestartTimes>;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
const pct = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** One device: a stock y-websocket client with its own document, timing its reconnects. */
class Device {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /** Set once the socket has closed after `arm()`; the next open and sync are timed. */
  private armed = false;
  private dropped = false;
  openedAt: number | null = null;
  syncedAt: number | null = null;
  closes: { code: number; reason: string }[] = [];

  constructor(sellerId: string, token: string) {
    this.provider = new WebsocketProvider(`ws://127.0.0.1:${EDGE}/sync`, sellerId, this.doc, {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      params: { token },
    });
    this.provider.on("connection-close", (e) => {
      if (this.armed) this.dropped = true;
      if (e && e.code !== 1006 && e.code !== 1000 && e.code !== 1001)
        this.closes.push({ code: e.code, reason: e.reason });
    });
    this.provider.on("status", ({ status }) => {
      if (status === "connected" && this.dropped && this.openedAt === null) this.openedAt = performance.now();
    });
    this.provider.on("sync", (isSynced: boolean) => {
      if (isSynced && this.dropped && this.syncedAt === null) this.syncedAt = performance.now();
    });
  }

  synced(): Promise<void> {
    return new Promise((r) => (this.provider.synced ? r() : this.provider.once("sync", () => r())));
  }

  /** Before a restart: the next close, open and sync are this storm's. */
  arm(token: string): void {
    this.provider.params.token = token;
    this.armed = true;
    this.dropped = false;
    this.openedAt = null;
    this.syncedAt = null;
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

let stack: Stack | null = null;
rmSync(stateDir, { recursive: true, force: true });
console.log(
  `# Reconnect storm: ${CLIENTS} devices, ${ORDERS} open orders, ${STORMS} restarts of the edge (load average ${load()})`,
);
try {
  const t0 = performance.now();
  stack = (await startStack({
    edgePort: EDGE,
    sandboxPort: SANDBOX,
    stateDir,
    // Every order awaits dispatch; no new ones arrive during the run.
    demoSeed: { orders: ORDERS, unshipped: ORDERS, historyDays: 3, seed: "storm", arrivalsPerHour: 0 },
    demoFaults: { rateScale: 2000 },
    log: process.env.BENCH_LOG ? (l: string) => console.error(l) : undefined,
  })) as Stack;
  const base = stack.url;
  const demo = stack.demo;
  const grant = await postJson<{ sessionToken: string }>(`${base}/auth/signin`, {
    email: demo.owner,
    password: demo.password,
    deviceName: "reconnect storm bench",
  });
  // Access tokens last 10 minutes: a fresh one before each step.
  const token = async () =>
    (
      await postJson<{ accessToken: string }>(
        `${base}/auth/token`,
        { sellerId: demo.sellerId },
        grant.sessionToken,
      )
    ).accessToken;
  console.log(`stack up and demo seller seeded in ${s(performance.now() - t0)}`);

  // The room imports the orders from the sandbox's Amazon: wait until a device sees all of them.
  const watcher = new Device(demo.sellerId, await token());
  await watcher.synced();
  const importDeadline = Date.now() + 20 * 60_000;
  let seen = 0;
  let lastLog = 0;
  for (;;) {
    seen = listOrders(watcher.doc).filter(
      (o) => !["dispatched", "confirmed", "cancelled"].includes(o.state),
    ).length;
    if (seen >= ORDERS) break;
    if (Date.now() > importDeadline) throw new Error(`the room imported only ${seen} of ${ORDERS} orders`);
    if (Date.now() - lastLog > 15_000) {
      console.log(`  importing: ${seen} of ${ORDERS} open orders in the room`);
      lastLog = Date.now();
    }
    await sleep(1_000);
  }
  const docBytes = Y.encodeStateAsUpdate(watcher.doc).byteLength;
  console.log(
    `imported: ${seen} open orders in the room ${s(performance.now() - t0)} after the start; document ${(docBytes / 1e6).toFixed(2)} MB`,
  );
  watcher.destroy();

  // Naive figure 1 (warm room): one fresh device's first full sync of the whole document.
  const firstSyncs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const tk = await token();
    const a = performance.now();
    const d = new Device(demo.sellerId, tk);
    await d.synced();
    firstSyncs.push(performance.now() - a);
    d.destroy();
  }
  console.log(
    `one device's first full sync, room loaded (median of 3): ${s(median(firstSyncs))}  [${firstSyncs.map(s).join(", ")}]`,
  );

  const tk = await token();
  const a = performance.now();
  const devices = Array.from({ length: CLIENTS }, () => new Device(demo.sellerId, tk));
  const firstAll: number[] = await Promise.all(
    devices.map((d) => d.synced().then(() => performance.now() - a)),
  );
  console.log(
    `${CLIENTS} devices' first full sync at once: p50 ${s(pct(firstAll, 0.5))}, max ${s(Math.max(...firstAll))}`,
  );

  /** Restarts the edge with `ds` connected and times each one back in sync. */
  async function storm(label: string, ds: Device[]) {
    const tk = await token();
    for (const d of ds) d.arm(tk);
    const loadBefore = load();
    const r = await stack!.restartEdge();
    const deadline = performance.now() + 180_000;
    while (ds.some((d) => d.syncedAt === null)) {
      if (performance.now() > deadline) {
        const missing = ds.filter((d) => d.syncedAt === null).length;
        throw new Error(
          `${label}: ${missing} of ${ds.length} devices not back in sync 180 s after the restart`,
        );
      }
      await sleep(20);
    }
    const lastSync = Math.max(...ds.map((d) => d.syncedAt!));
    // Every device holds the room's document: a fresh reader's state vector, compared byte for byte.
    const reader = new Device(demo.sellerId, tk);
    await reader.synced();
    const want = Y.encodeStateVector(reader.doc);
    let equal = 0;
    const svDeadline = performance.now() + 15_000;
    for (;;) {
      equal = ds.filter((d) => sameBytes(Y.encodeStateVector(d.doc), want)).length;
      if (equal === ds.length || performance.now() > svDeadline) break;
      await sleep(100);
    }
    const orders = listOrders(reader.doc).length;
    reader.destroy();
    const fromUp = ds.map((d) => d.syncedAt! - r.upAt);
    const fromStop = ds.map((d) => d.syncedAt! - r.stoppedAt);
    const openToSync = ds.map((d) => d.syncedAt! - (d.openedAt ?? d.syncedAt!));
    const firstOpen = Math.min(...ds.map((d) => d.openedAt ?? Number.POSITIVE_INFINITY));
    const closes = ds.flatMap((d) => d.closes.splice(0));
    console.log(
      `${label} (load average before ${loadBefore}): edge down and up again in ${s(r.upAt - r.stoppedAt)} (stop ${s(r.exitedAt - r.stoppedAt)}, wrangler start ${s(r.upAt - r.exitedAt)})`,
    );
    console.log(
      `  from the edge answering again → back in sync: p50 ${s(pct(fromUp, 0.5))}, p95 ${s(pct(fromUp, 0.95))}, max ${s(Math.max(...fromUp))}   goal ≤ ${s(GOAL_MS)}: ${Math.max(...fromUp) <= GOAL_MS ? "met" : "NOT met"}`,
    );
    console.log(
      `  of which the room's part, socket open → synced: p50 ${s(pct(openToSync, 0.5))}, max ${s(Math.max(...openToSync))}; first socket open ${s(firstOpen - r.upAt)} after the edge answered (y-websocket's reconnect backoff, ≤ 2.5 s)`,
    );
    console.log(
      `  from the restart command (includes wrangler dev's own start, not a room's): p50 ${s(pct(fromStop, 0.5))}, max ${s(Math.max(...fromStop))}`,
    );
    console.log(
      `  state vectors equal to the room's: ${equal} of ${ds.length}; the room holds ${orders} orders; last device synced ${s(lastSync - r.upAt)} after up${closes.length ? `; sockets closed with codes: ${closes.map((c) => `${c.code} ${c.reason}`).join(", ")}` : ""}`,
    );
    return { fromUp, openToSync, equal };
  }

  const stormUp: number[] = [];
  const stormMax: number[] = [];
  const stormRoom: number[] = [];
  for (let i = 1; i <= STORMS; i++) {
    const r = await storm(`storm ${i}: ${CLIENTS} devices`, devices);
    stormUp.push(pct(r.fromUp, 0.5));
    stormMax.push(Math.max(...r.fromUp));
    stormRoom.push(pct(r.openToSync, 0.5));
    if (r.equal !== devices.length)
      console.log(`  !! ${devices.length - r.equal} devices do not hold the room's document`);
  }

  // Naive figure 2: the same restart with one device connected.
  for (const d of devices.slice(1)) d.destroy();
  const one = await storm("baseline: the same restart, 1 device", devices.slice(0, 1));
  devices[0]!.destroy();

  // Naive figure 3: no device connected; after the restart one fresh device syncs the whole
  // document from the cold room (the room loads from SQLite, then sends everything).
  const r3 = await stack.restartEdge();
  const tk3 = await token();
  const b = performance.now();
  const fresh = new Device(demo.sellerId, tk3);
  await fresh.synced();
  const coldFirst = performance.now() - b;
  fresh.destroy();
  console.log(
    `baseline: one fresh device's first full sync from a cold room: ${s(coldFirst)} (edge up again in ${s(r3.upAt - r3.stoppedAt)})`,
  );

  console.log(
    `RECONNECT STORM, ${CLIENTS} devices, ${ORDERS} open orders, ${STORMS} restarts: from the edge answering → all back in sync, p50 of the storms' p50 ${s(median(stormUp))}, worst max ${s(Math.max(...stormMax))} (goal ≤ ${s(GOAL_MS)}); room's part p50 ${s(median(stormRoom))}`,
  );
  console.log(
    `  same run, 1 device: ${s(one.fromUp[0]!)} from the edge answering; 1 fresh device's full sync, cold room ${s(coldFirst)}, warm ${s(median(firstSyncs))} (load average now ${load()})`,
  );
} finally {
  stack?.stop();
  setTimeout(() => process.exit(0), 500);
}
