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
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { MAX_MESSAGE_BYTES, upsertOrders } from "../src/index.ts";
import { splitUpdate } from "../src/split.ts";
import { createOrderTexts } from "../src/text.ts";
import { makeOrder, orderIdOf } from "../test/fixtures.ts";

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

/** The splitter before issue 23, kept here as the baseline. */
function decodeSplit(update: Uint8Array, maxBytes: number): Uint8Array[] {
  const { structs } = Y.decodeUpdate(update);
  const parts: Uint8Array[] = [];
  const budget = Math.max(64, maxBytes - 64);
  type Run = { client: number; clock: number; length: number; count: number; bytes: Uint8Array[] };
  let runs: Run[] = [];
  let size = 0;
  const flush = () => {
    if (runs.length === 0) return;
    const enc = new Y.UpdateEncoderV1();
    encoding.writeVarUint(enc.restEncoder, runs.length);
    for (const run of runs) {
      encoding.writeVarUint(enc.restEncoder, run.count);
      enc.writeClient(run.client);
      encoding.writeVarUint(enc.restEncoder, run.clock);
      for (const b of run.bytes) encoding.writeUint8Array(enc.restEncoder, b);
    }
    encoding.writeVarUint(enc.restEncoder, 0);
    parts.push(enc.toUint8Array());
    runs = [];
    size = 0;
  };
  for (const struct of structs) {
    const one = new Y.UpdateEncoderV1();
    struct.write(one, 0);
    const bytes = one.toUint8Array();
    if (size > 0 && size + bytes.byteLength + 16 > budget) flush();
    const last = runs[runs.length - 1];
    if (last && last.client === struct.id.client && last.clock + last.length === struct.id.clock) {
      last.count++;
      last.length += struct.length;
      last.bytes.push(bytes);
    } else {
      runs.push({
        client: struct.id.client,
        clock: struct.id.clock,
        length: struct.length,
        count: 1,
        bytes: [bytes],
      });
      size += 16;
    }
    size += bytes.byteLength;
  }
  flush();
  return parts;
}

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
    partsOld = cut(() => decodeSplit(whole, max), t.decodeSplit);
  } else {
    partsOld = cut(() => decodeSplit(whole, max), t.decodeSplit);
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
