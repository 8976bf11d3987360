// Issue 23: the heap a room's live document takes in each layout, at the size room-load.bench.ts filled
// (its real imported records) and at 50,000 orders (those records repeated under new order ids), in
// Node (V8, as workerd), after a full GC: the document loaded, then after every order was read once
// (listOrders, as the room's metrics and health passes do) with the parsed-record cache at its room cap
// and uncapped. workerd's own figure at the filled size is room-load.bench.ts's HEAP line.
// Run (after room-load.bench.ts, which leaves the two documents beside its state folder):
//   node --expose-gc --import tsx test/bench/room-heap.bench.ts test-output/bench-room-load-state-<port> [50000]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import {
  createOrderTexts,
  LAYOUT_KEY,
  listOrders,
  metaMap,
  ordersMap,
  ROOM_RECORD_CACHE,
  recordEntries,
  setRecordCacheLimit,
} from "@consign/sync";
import * as Y from "yjs";

const base = process.argv[2];
const BIG = Number(process.argv[3] ?? 50_000);
if (!base || typeof globalThis.gc !== "function")
  throw new Error(
    "usage: node --expose-gc --import tsx test/bench/room-heap.bench.ts <state folder> [orders]",
  );
const gc = globalThis.gc as () => void;

const heap = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

/** The filled room's document in `layout`, its records repeated under new ids up to `n` orders. */
function scaled(layout: 1 | 2, n: number): Uint8Array {
  const src = new Y.Doc();
  Y.applyUpdate(src, readFileSync(`${base}-layout${layout}.bin`));
  const records = [...recordEntries(src)].map(([, r]) => r);
  const d = new Y.Doc();
  d.transact(() => {
    for (const [k, v] of metaMap(src).entries()) metaMap(d).set(k, v);
    for (let i = 0; i < n; i++) {
      const r = records[i % records.length]!;
      const id = i < records.length ? r.orderId : `${r.orderId}-${Math.floor(i / records.length)}`;
      const record = { ...r, orderId: id };
      (ordersMap(d) as Y.Map<unknown>).set(id, layout === 2 ? JSON.stringify(record) : record);
      if (layout === 1) createOrderTexts(d, id);
    }
  });
  if (layout === 2 && metaMap(d).get(LAYOUT_KEY) !== 2)
    throw new Error("layout 2 document without its stamp");
  src.destroy();
  return Y.encodeStateAsUpdate(d);
}

console.log(`# Room document heap in Node ${process.version} (load average ${loadavg()[0]!.toFixed(2)})`);
// 0: as room-load.bench.ts filled it.
for (const n of [0, BIG]) {
  for (const layout of [1, 2] as const) {
    const bytes = n === 0 ? new Uint8Array(readFileSync(`${base}-layout${layout}.bin`)) : scaled(layout, n);
    const before = heap();
    let doc: Y.Doc | null = new Y.Doc();
    Y.applyUpdate(doc, bytes);
    const orders = ordersMap(doc).size;
    const loaded = heap() - before;
    setRecordCacheLimit(ROOM_RECORD_CACHE);
    const list = () => {
      const t0 = performance.now();
      listOrders(doc!);
      return performance.now() - t0;
    };
    list();
    const cappedMs = list(); // a second pass: what each later read of every order costs with the cap
    const capped = heap() - before;
    setRecordCacheLimit(Number.POSITIVE_INFINITY);
    list();
    const uncappedMs = list();
    const uncapped = heap() - before;
    console.log(
      `${orders} orders, layout ${layout} (${mb(bytes.byteLength)} stored): loaded ${mb(loaded)}; after reading every order, cache capped at ${ROOM_RECORD_CACHE}: ${mb(capped)} (listOrders again ${cappedMs.toFixed(0)} ms)${layout === 2 ? `, uncapped: ${mb(uncapped)} (listOrders again ${uncappedMs.toFixed(0)} ms)` : ""}`,
    );
    doc.destroy();
    doc = null;
  }
}
