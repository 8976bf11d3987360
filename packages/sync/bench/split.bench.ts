// Issue 23: what the room spends answering a new device's first sync (everything it lacks, cut into
// parts under the 1 MiB WebSocket limit) with N open orders as the import writes them (a record and an
// empty notes text each), today's splitter beside the one it replaced, in one run. Node, Yjs 13.6;
// median of 7, alternating. Run from the root:
//   node --import tsx packages/sync/bench/split.bench.ts [orders=5000]
//
//   encode       Y.encodeStateAsUpdate of the whole document (the same for both)
//   split        splitUpdate: finds where each struct ends without building it (issue 23)
//   decode-split the splitter before: Y.decodeUpdate (every struct built, every record parsed), then
//                each struct written back one by one (the naive baseline)

import { availableParallelism, loadavg } from "node:os";
import type { Order } from "@consign/domain";
import * as Y from "yjs";
import { MAX_MESSAGE_BYTES, upsertOrders } from "../src/index.ts";
import { splitUpdate } from "../src/split.ts";
import { createOrderTexts } from "../src/text.ts";
import { makeOrder, orderIdOf } from "../test/fixtures.ts";
import { splitByDecoding } from "../test/reference-split.ts";

const N = Number(process.argv[2] ?? 5000);
const orders: Order[] = Array.from({ length: N }, (_, i) =>
  makeOrder(orderIdOf(i), Date.UTC(2026, 3, 1) + i * 1000),
);
const doc = new Y.Doc();
for (let i = 0; i < N; i += 100)
  doc.transact(() => {
    const page = orders.slice(i, i + 100);
    upsertOrders(doc, page, "import");
    for (const o of page) createOrderTexts(doc, o.orderId);
  });

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const loadBefore = loadavg()[0]!;
const t = { encode: [] as number[], split: [] as number[], decodeSplit: [] as number[] };
let bytes = 0;
let partsNew = 0;
let partsOld = 0;
for (let r = 0; r < 7; r++) {
  const t0 = performance.now();
  const whole = Y.encodeStateAsUpdate(doc);
  t.encode.push(performance.now() - t0);
  bytes = whole.byteLength;
  const cut = (fn: () => Uint8Array[], out: number[]) => {
    const s = performance.now();
    const parts = fn();
    out.push(performance.now() - s);
    return parts.length;
  };
  const max = MAX_MESSAGE_BYTES - 16;
  if (r % 2 === 0) {
    partsNew = cut(() => splitUpdate(whole, max), t.split);
    partsOld = cut(() => splitByDecoding(whole, max), t.decodeSplit);
  } else {
    partsOld = cut(() => splitByDecoding(whole, max), t.decodeSplit);
    partsNew = cut(() => splitUpdate(whole, max), t.split);
  }
}
console.log(
  `${N} open orders (${(bytes / 1e6).toFixed(2)} MB), Node ${process.version}, ${availableParallelism()} cores, load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}; median of 7:`,
);
console.log(`  encode the whole document: ${med(t.encode).toFixed(0)} ms`);
console.log(`  split into ${partsNew} parts, scanning (today): ${med(t.split).toFixed(1)} ms`);
console.log(
  `  split into ${partsOld} parts, decoding every struct (before): ${med(t.decodeSplit).toFixed(0)} ms`,
);
