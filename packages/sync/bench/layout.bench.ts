// Issue 23: how fast a room (or a device) loads 5,000 open orders, today's layout beside the candidates
// for a faster one, in one run. Node, Yjs 13.6; median of 7 loads each, alternating. Run from the root:
//   node --import tsx packages/sync/bench/layout.bench.ts [orders=5000]
//
//   today      each order's record one JSON value in the `orders` map (Yjs decodes every field into
//              objects as it loads) + an empty Y.Text for its notes (createOrderTexts)
//   string     each record one JSON *string* (Yjs decodes one string; JSON.parse only when read)
//   string, no texts   the same, notes texts made only when someone first types (what lazy texts would save)
//   layout 2   as the room writes it: that, and the parcel and service it works out for every order as two
//              `work` keys (JSON values)
//   layout 3   the same orders with the worked-out parcel and service inside the record string (worked-out.ts)
//
// "load" is Y.applyUpdate of the whole document (what the room does before it answers anything);
// "read all" is every order as an object (listOrders, or JSON.parse of each string). The room's heap is
// measured inside workerd by test/bench/room-load.bench.ts.

import type { Order } from "@consign/domain";
import * as Y from "yjs";
import { listOrders, upsertOrders } from "../src/index.ts";
import { createOrderTexts } from "../src/text.ts";
import { makeOrder, orderIdOf } from "../test/fixtures.ts";

const N = Number(process.argv[2] ?? 5000);
const orders: Order[] = Array.from({ length: N }, (_, i) =>
  makeOrder(orderIdOf(i), Date.UTC(2026, 3, 1) + i * 1000),
);

function today(): Uint8Array {
  const doc = new Y.Doc();
  for (let i = 0; i < N; i += 500) upsertOrders(doc, orders.slice(i, i + 500), "import");
  return Y.encodeStateAsUpdate(doc);
}
function asStrings(texts: boolean): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<string>("orders");
  for (let i = 0; i < N; i += 500)
    doc.transact(() => {
      for (const o of orders.slice(i, i + 500)) {
        map.set(o.orderId, JSON.stringify(o));
        if (texts) createOrderTexts(doc, o.orderId);
      }
    });
  return Y.encodeStateAsUpdate(doc);
}

/** What the room works out for an imported order (worked-out.ts): a parcel from SKU weights and a rule's service. */
const workedOut = (i: number) => ({
  package: { weightGrams: 200 + (i % 900), source: "sku" },
  service: {
    courier: "royal-mail",
    serviceCode: "TPS48",
    format: "large-letter",
    ruleId: "light-large-letter",
    reason: `Rule "Up to 750 g goes Royal Mail Tracked 48 large letter" matched: weight ${200 + (i % 900)} g is at most 750 g.`,
    source: "rule",
  },
});
function roomLayout(layout: 2 | 3): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<string>("orders");
  const work = doc.getMap<unknown>("work");
  for (let i = 0; i < N; i += 500)
    doc.transact(() => {
      orders.slice(i, i + 500).forEach((o, k) => {
        const w = workedOut(i + k);
        if (layout === 3) map.set(o.orderId, JSON.stringify({ ...o, ...w }));
        else {
          map.set(o.orderId, JSON.stringify(o));
          work.set(`${o.orderId}/package`, w.package);
          work.set(`${o.orderId}/service`, w.service);
        }
      });
    });
  return Y.encodeStateAsUpdate(doc);
}

const layouts = [
  {
    name: "today: JSON value per order + notes text",
    bytes: today(),
    read: (d: Y.Doc) => listOrders(d).length,
  },
  {
    name: "JSON string per order + notes text",
    bytes: asStrings(true),
    read: (d: Y.Doc) => [...d.getMap<string>("orders").values()].map((s) => JSON.parse(s) as Order).length,
  },
  {
    name: "JSON string per order, notes text on first edit",
    bytes: asStrings(false),
    read: (d: Y.Doc) => [...d.getMap<string>("orders").values()].map((s) => JSON.parse(s) as Order).length,
  },
  {
    name: "layout 2: string per order, notes on first edit, worked-out parcel and service as 2 work keys",
    bytes: roomLayout(2),
    read: (d: Y.Doc) => listOrders(d).length,
  },
  {
    name: "layout 3: the same with the worked-out parcel and service inside the string",
    bytes: roomLayout(3),
    read: (d: Y.Doc) => listOrders(d).length,
  },
];

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const runs = new Map<string, { load: number[]; read: number[] }>();
for (const l of layouts) runs.set(l.name, { load: [], read: [] });
for (let r = 0; r < 7; r++) {
  for (const l of layouts) {
    const t0 = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, l.bytes);
    const t1 = performance.now();
    const t2 = performance.now();
    const n = l.read(doc);
    const t3 = performance.now();
    if (n !== N) throw new Error(`${l.name}: read ${n} of ${N}`);
    const run = runs.get(l.name)!;
    run.load.push(t1 - t0);
    run.read.push(t3 - t2);
    doc.destroy();
  }
}
console.log(`${N} open orders, Node ${process.version}, median of 7 (first run included):`);
for (const l of layouts) {
  const run = runs.get(l.name)!;
  console.log(
    `  ${l.name}: snapshot ${(l.bytes.byteLength / 1e6).toFixed(2)} MB, load ${med(run.load).toFixed(1)} ms, read all ${med(run.read).toFixed(1)} ms`,
  );
}
