// Issue 23, item 2: how long the seller's room takes to import N open orders from Amazon, in workerd
// (wrangler dev, persisted state), and the edge isolate's heap while it does. For each N, a fresh stack:
// the demo seller's sandbox Amazon account seeded with N orders awaiting dispatch (usage plans sped up
// 2,000×, as room-load.bench.ts), then the demo seller connected (the room starts importing, 100
// orders a page); one device stays connected as a tablet would, and the time runs from the stack being
// up (the seller connected) until that device holds all N. Every 2 s the isolate's used heap (no GC
// forced) is sampled through wrangler's inspector: its peak is printed, then the heap after a full GC
// once the import is done; then the edge is restarted and the room's first load from SQLite timed, with
// the heap it takes. Also printed: the room's stored snapshot and log (sqlite3, stack stopped).
// ROOM_IMPORT_CACHE=1 also weighs the room's cap on parsed records (ROOM_RECORD_CACHE, 5,000): after the
// restart, every order read twice through GET /api/v1/orders (the second read is what a cap costs: the
// records it no longer holds are parsed again) and the heap, then the same with the edge started uncapped.
// ROOM_IMPORT_PROFILE=1 samples the edge isolate's CPU over the whole import instead of its heap (the
// profiler and the heap sampling disturb each other) and prints where the time went.
// Run: node_modules/.bin/tsx test/bench/room-import.bench.ts [counts=5000,20000,50000] [minutes per count=20]
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ordersMap } from "@consign/sync";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { accessTokenFor, type BenchSeller, mb, signInSeller, timedGet } from "./bench-helpers.ts";
import { connectInspector } from "./inspector-helpers.ts";
import { type RunningStack, readLargestRoom, stopAndWait } from "./room-helpers.ts";

const COUNTS = (process.argv[2] ?? "5000,20000,50000").split(",").map(Number);
const LIMIT_MS = Number(process.argv[3] ?? 20) * 60_000;
const EDGE = Number(process.env.ROOM_BENCH_PORT ?? 20087);
const SANDBOX = EDGE + 1;
const INSPECTOR = EDGE + 1000;
const load = () => loadavg()[0]!.toFixed(2);
const s = (msec: number) => `${(msec / 1000).toFixed(1)} s`;
const PROFILE = process.env.ROOM_IMPORT_PROFILE === "1";
const CACHE_PASS = process.env.ROOM_IMPORT_CACHE === "1";
/** Functions whose inclusive time the profile prints (SellerRoom's alarm, the import's steps, compaction…). */
const PROFILED = [
  "(root)",
  "alarm",
  "runImport",
  "importOrders",
  "upsertOrders",
  "workOutInto",
  "compact",
  "encodeStateAsUpdate",
  "writeSnapshot",
  "settleStock",
  "noteShortfalls",
  "listOrders",
  "record",
  "emit",
  "webSocketMessage",
  "broadcast",
  "encodeUpdateMessages",
] as const;

console.log(`# Room import in workerd: ${COUNTS.join(", ")} open orders (load average ${load()})`);

for (const n of COUNTS) {
  const stateDir = join(
    import.meta.dirname,
    "..",
    "..",
    "test-output",
    `bench-room-import-state-${EDGE}-${n}`,
  );
  rmSync(stateDir, { recursive: true, force: true });
  const t0 = performance.now();
  let stack: RunningStack = await startStack({
    edgePort: EDGE,
    sandboxPort: SANDBOX,
    stateDir,
    seedDemo: true,
    demoSeed: { orders: n, unshipped: n, historyDays: 3, seed: "room-import", arrivalsPerHour: 0 },
    demoFaults: { rateScale: 2000 },
  });
  const up = performance.now();
  let peakHeap = 0;
  let sampler: ReturnType<typeof setInterval> | null = null;
  const inspector = await connectInspector(INSPECTOR).catch(() => null);
  try {
    if (inspector && !PROFILE)
      sampler = setInterval(() => {
        inspector
          .heapUsed()
          .then((b) => {
            peakHeap = Math.max(peakHeap, b);
          })
          .catch(() => undefined);
      }, 2000);
    const demo = stack.demo as { owner: string; password: string; sellerId: string };
    const seller: BenchSeller = await signInSeller(
      stack.url,
      "full",
      demo.owner,
      demo.password,
      demo.sellerId,
    );
    const marks: string[] = [];
    const hold = () =>
      holdAll(seller, stack.url, n, (count, at) => marks.push(`${count} at ${s(at - up)} (load ${load()})`));
    let held = 0;
    const profile =
      PROFILE && inspector
        ? await inspector.profile(async () => {
            held = await hold();
          }, PROFILED)
        : null;
    if (!profile) held = await hold();
    const done = performance.now();
    if (sampler) clearInterval(sampler);
    const after = inspector ? await inspector.heapAfterGc().catch(() => 0) : 0;
    console.log(
      `${n} orders: stack up and seeded in ${s(up - t0)}; IMPORT ${held >= n ? "" : `NOT DONE (${held} of ${n}) `}in ${s(done - up)} (load average ${load()})`,
    );
    console.log(`  progress: ${marks.join(", ")}`);
    if (profile) {
      console.log(
        `  PROFILE of the edge isolate over the import (${profile.samples} samples over ${s(profile.spanMs)}): busy ${s(profile.busyMs)}, GC ${s(profile.gcMs)}`,
      );
      console.log(
        `  inclusive: ${PROFILED.slice(1)
          .map((name) => `${name} ${s(profile.byName.get(name) ?? 0)}`)
          .join(", ")}`,
      );
      console.log(`  most self time: ${profile.hottest.map((h) => `${h.name} ${s(h.ms)}`).join(", ")}`);
    } else
      console.log(
        `  edge isolate heap: peak used ${mb(peakHeap)} (sampled every 2 s, no GC forced), ${mb(after)} after a full GC once imported`,
      );
    // The room as it is afterwards, loaded from SQLite: the edge restarted, the first request that
    // loads the document timed from outside, the isolate's heap after a full GC before and after.
    if (!PROFILE) {
      inspector?.close();
      await (stack as RunningStack & { restartEdge: () => Promise<unknown> }).restartEdge();
      const again = await connectInspector(INSPECTOR).catch(() => null);
      try {
        const token = await accessTokenFor(stack.url, seller);
        const before = again ? await again.heapAfterGc() : 0;
        const first = await timedGet(`${stack.url}/api/v1/rules`, token);
        const loaded = again ? await again.heapAfterGc() : 0;
        console.log(
          `  restarted: first request (the room loads its ${n} orders from SQLite) ${s(first.ms)}; edge isolate heap after GC ${mb(before)} → ${mb(loaded)}: room ≈ ${mb(loaded - before)}`,
        );
      } finally {
        again?.close();
      }
    }
    if (CACHE_PASS && !PROFILE) {
      for (const cap of ["5000 (the room's)", "uncapped"]) {
        // A fresh start each (the room not yet loaded), the edge capped as built or uncapped.
        await stopAndWait(stack);
        stack = await startStack({
          edgePort: EDGE,
          sandboxPort: SANDBOX,
          stateDir,
          seedDemo: false,
          ...(cap === "uncapped" ? { edgeVars: { ROOM_RECORD_CACHE: "1000000" } } : {}),
        });
        const running = stack;
        const weigh = await connectInspector(INSPECTOR).catch(() => null);
        try {
          const token = await accessTokenFor(running.url, seller);
          const empty = weigh ? await weigh.heapAfterGc() : 0;
          // `limit=1` still reads every live order (the list is filtered and sorted before it is cut).
          const first = await timedGet(`${running.url}/api/v1/orders?limit=1`, token);
          const second = await timedGet(`${running.url}/api/v1/orders?limit=1`, token);
          const third = await timedGet(`${running.url}/api/v1/orders?limit=1`, token);
          const heap = weigh ? await weigh.heapAfterGc() : 0;
          console.log(
            `  record cache ${cap}: every order read through GET /api/v1/orders: first ${s(first.ms)} (the room loading), second ${s(second.ms)}, third ${s(third.ms)}; room ≈ ${mb(heap - empty)} after them (load ${load()})`,
          );
        } finally {
          weigh?.close();
        }
      }
    }
  } finally {
    if (sampler) clearInterval(sampler);
    inspector?.close();
    await stopAndWait(stack).catch(() => undefined);
  }
  const stored = readLargestRoom(join(stateDir, "edge"));
  if (stored)
    console.log(
      `  stored: snapshot ${mb(stored.snapshot.byteLength)} in ${stored.snapshotRows} row(s) + log ${stored.logRows} row(s) ${mb(stored.logBytes)}; SQLite file ${mb(stored.fileBytes)}`,
    );
}
setTimeout(() => process.exit(0), 300);

/**
 * One device connected to the seller's room until it holds `n` orders (reconnecting with a fresh
 * token if the socket drops); calls `mark` at every tenth of `n`. Returns how many it held at the end.
 */
async function holdAll(
  seller: BenchSeller,
  base: string,
  n: number,
  mark: (count: number, at: number) => void,
): Promise<number> {
  const doc = new Y.Doc();
  const orders = ordersMap(doc);
  const deadline = performance.now() + LIMIT_MS;
  let next = Math.ceil(n / 10);
  let provider: WebsocketProvider | null = null;
  try {
    while (performance.now() < deadline) {
      if (provider === null || (!provider.wsconnected && !provider.wsconnecting)) {
        provider?.destroy();
        provider = new WebsocketProvider(`ws://127.0.0.1:${EDGE}/sync`, seller.sellerId, doc, {
          WebSocketPolyfill: WebSocket as never,
          disableBc: true,
          params: { token: await accessTokenFor(base, seller) },
        });
      }
      while (orders.size >= next && next <= n) {
        mark(next, performance.now());
        next += Math.ceil(n / 10);
      }
      if (orders.size >= n) return orders.size;
      await new Promise((r) => setTimeout(r, 250));
    }
    return orders.size;
  } finally {
    provider?.destroy();
    doc.destroy();
  }
}
