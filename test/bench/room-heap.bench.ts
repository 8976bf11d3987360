// Issue 23: the heap a room's live document takes in each layout, at the size room-load.bench.ts filled
// (its real imported records) and at 50,000 orders (those records repeated under new order ids), in
// Node (V8, as workerd), after a full GC: the document loaded, then after every order was read twice
// (listOrders, as the room's metrics and health passes do) with the parsed-record cache at the room's cap
// and uncapped. workerd's own figure at the filled size is room-load.bench.ts's HEAP line. Each size and
// layout is weighed in a process of its own (one heap, nothing left over from another).
// Run (after room-load.bench.ts, which leaves its layouts' documents beside its state folder; ROOM_BENCH_LAYOUTS as there):
//   node --import tsx test/bench/room-heap.bench.ts test-output/bench-room-load-state-<port> [50000]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { listOrders, ordersMap, ROOM_RECORD_CACHE, setRecordCacheLimit } from "@consign/sync";
import * as Y from "yjs";
import { type Layout, repeatOrders } from "./room-helpers.ts";

const base = process.argv[2];
const BIG = Number(process.argv[3] ?? 50_000);
/** Given to the child processes: `<orders, 0 = as filled>,<layout>`. */
const only = process.argv[4];
if (!base) throw new Error("usage: node --import tsx test/bench/room-heap.bench.ts <state folder> [orders]");

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

if (only === undefined) {
  console.log(`# Room document heap in Node ${process.version} (load average ${loadavg()[0]!.toFixed(2)})`);
  for (const n of [0, BIG])
    for (const layout of (process.env.ROOM_BENCH_LAYOUTS ?? "2,3").split(",").map(Number))
      process.stdout.write(
        execFileSync(
          process.execPath,
          ["--expose-gc", "--import", "tsx", import.meta.filename, base, String(BIG), `${n},${layout}`],
          { encoding: "utf8", maxBuffer: 1 << 20 },
        ),
      );
  console.log(`(load average now ${loadavg()[0]!.toFixed(2)})`);
} else {
  const gc = globalThis.gc as () => void;
  const heap = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const [n, layout] = only.split(",").map(Number) as [number, Layout];
  const bytes =
    n === 0
      ? new Uint8Array(readFileSync(`${base}-layout${layout}.bin`))
      : repeatOrders(readFileSync(`${base}-layout${layout}.bin`), layout, n);
  const before = heap();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, bytes);
  const loaded = heap() - before;
  const list = () => {
    const t0 = performance.now();
    listOrders(doc);
    return performance.now() - t0;
  };
  setRecordCacheLimit(ROOM_RECORD_CACHE);
  list();
  const cappedMs = list(); // what each later read of every order costs with the cap
  const capped = heap() - before;
  setRecordCacheLimit(Number.POSITIVE_INFINITY);
  list();
  const uncappedMs = list();
  const uncapped = heap() - before;
  console.log(
    `${ordersMap(doc).size} orders, layout ${layout} (${mb(bytes.byteLength)} stored): loaded ${mb(loaded)}; after reading every order, cache capped at ${ROOM_RECORD_CACHE}: ${mb(capped)} (listOrders again ${cappedMs.toFixed(0)} ms)${layout >= 2 ? `, uncapped: ${mb(uncapped)} (listOrders again ${uncappedMs.toFixed(0)} ms)` : ""}`,
  );
}
