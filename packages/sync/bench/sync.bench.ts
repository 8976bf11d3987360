// Benchmarks for @consign/sync (Node). Run from the repo root:
//   node --expose-gc --import tsx packages/sync/bench/sync.bench.ts [--days=365]
// Compares our design (one JSON value per order + one key per working field) with the naive
// baseline (one nested Y.Map per order, every field a key).

import type { Order } from "@consign/domain";
import * as Y from "yjs";
import { listOrders, upsertOrders } from "../src/index.ts";
import { makeOrder, orderIdOf } from "../test/fixtures.ts";
import { simulateYear } from "../test/year-simulation.ts";

const gc = (globalThis as { gc?: () => void }).gc;
const days = Number(process.argv.find((a) => a.startsWith("--days="))?.slice(7) ?? 30);

function orders(n: number): Order[] {
  return Array.from({ length: n }, (_, i) => makeOrder(orderIdOf(i), Date.UTC(2026, 3, 1) + i * 1000));
}

function naiveDoc(list: Order[]): Y.Doc {
  const doc = new Y.Doc();
  const root = doc.getMap<Y.Map<unknown>>("orders");
  doc.transact(() => {
    for (const o of list) {
      const m = new Y.Map<unknown>();
      root.set(o.orderId, m);
      for (const [k, v] of Object.entries(o)) if (v !== undefined) m.set(k, v);
    }
  });
  return doc;
}

function oursDoc(list: Order[]): Y.Doc {
  const doc = new Y.Doc();
  upsertOrders(doc, list, "import");
  return doc;
}

function heapOf(build: () => Y.Doc): { mb: number; keep: Y.Doc } {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const keep = build();
  gc?.();
  return { mb: (process.memoryUsage().heapUsed - before) / 1e6, keep };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

const list = orders(5_000);
console.log("# @consign/sync benchmarks (node", process.version, ")");
if (!gc) console.log("(run with --expose-gc for heap figures)");
for (const [name, build] of [
  ["ours: JSON value + work keys", () => oursDoc(list)],
  ["naive: one Y.Map per order", () => naiveDoc(list)],
] as const) {
  const { mb, keep } = heapOf(build);
  const snapshot = Y.encodeStateAsUpdate(keep);
  const load = time(() => {
    const d = new Y.Doc();
    Y.applyUpdate(d, snapshot);
    return d;
  });
  const read = name.startsWith("ours") ? time(() => listOrders(load.value).length).ms : Number.NaN;
  console.log(
    `${name}: 5,000 orders → ${(snapshot.byteLength / 5000).toFixed(0)} B/order, snapshot ${(snapshot.byteLength / 1e6).toFixed(2)} MB, heap ${mb.toFixed(1)} MB, load ${load.ms.toFixed(0)} ms${Number.isNaN(read) ? "" : `, listOrders ${read.toFixed(0)} ms`}`,
  );
}

const sim = time(() => simulateYear({ days, ordersPerDay: 1_000, keepDays: 3 }));
const s = sim.value.samples;
const peak = Math.max(...s.map((x) => x.peakBytes));
const peakDay = s.find((x) => x.peakBytes === peak)?.day;
const last = s.at(-1);
console.log(
  `simulated ${days} days × 1,000 orders/day (keep 3 days): peak live doc ${(peak / 1e6).toFixed(2)} MB (day ${peakDay}), ` +
    `end ${((last?.encodedBytes ?? 0) / 1e6).toFixed(2)} MB with ${last?.liveOrders} orders, ${sim.value.generations} generations, ${(sim.ms / 1000).toFixed(1)} s`,
);
for (const x of s.filter((_, i) => i % Math.max(1, Math.floor(days / 10)) === 0 || i === s.length - 1)) {
  console.log(
    `  day ${String(x.day).padStart(3)}: peak ${(x.peakBytes / 1e6).toFixed(2)} MB, after night ${(x.encodedBytes / 1e6).toFixed(2)} MB, tombstones ${x.tombstones}${x.rebased ? ", rebased" : ""}`,
  );
}
