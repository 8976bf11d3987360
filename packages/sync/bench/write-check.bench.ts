// The room's write check (checkWrite, issue 15): what it costs per device update, against the
// unchecked path in the same run. A room document with 5,000 open orders; device updates of the
// kinds people make (a keystroke in a note, a package weight, a hold with its history entry)
// applied to it as the room does (Y.applyUpdate), with and without the check hooked on
// `beforeObserverCalls`. Run: node_modules/.bin/tsx packages/sync/bench/write-check.bench.ts [updates]

import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { applyOrderAction, checkWrite, orderText, setWork, upsertOrders } from "../src/index.ts";
import { makeOrder, orderIdOf } from "../test/fixtures.ts";

const ORDERS = 5_000;
const UPDATES = Number(process.argv[2] ?? 6_000);

const room = new Y.Doc();
upsertOrders(
  room,
  Array.from({ length: ORDERS }, (_, i) => makeOrder(orderIdOf(i), Date.UTC(2026, 3, 1) + i * 1000)),
  "import",
);
const device = new Y.Doc();
Y.applyUpdate(device, Y.encodeStateAsUpdate(room));

// The device's updates, recorded once, then applied to two copies of the room: checked and not.
const updates: Uint8Array[] = [];
device.on("update", (u: Uint8Array) => updates.push(u));
for (let i = 0; i < UPDATES; i++) {
  const id = orderIdOf(i % ORDERS);
  const kind = i % 3;
  if (kind === 0) orderText(device, id, "notes")?.insert(0, "x");
  else if (kind === 1) setWork(device, id, { package: { weightGrams: 100 + i } });
  else
    try {
      applyOrderAction(device, id, { type: i % 2 ? "hold" : "release" }, { at: i, by: "Pat" });
    } catch {
      setWork(device, id, { notes: `n${i}` });
    }
}

function run(checked: boolean): { total: number; refused: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room));
  let refused = 0;
  const writer = { role: "packer", kind: "session" } as const;
  const check = (tr: Y.Transaction) => {
    if (!checkWrite(doc, tr, writer).ok) refused++;
  };
  if (checked) doc.on("beforeObserverCalls", check);
  const t0 = performance.now();
  for (const u of updates) Y.applyUpdate(doc, u, "device");
  return { total: performance.now() - t0, refused };
}

// Warm up both paths, then alternate measured runs so neither gets the JIT's favour.
run(false);
run(true);
const plain: number[] = [];
const checkedRuns: number[] = [];
for (let r = 0; r < 5; r++) {
  plain.push(run(false).total);
  const c = run(true);
  if (c.refused > 0) throw new Error(`the check refused ${c.refused} legitimate updates`);
  checkedRuns.push(c.total);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perUpdate = (ms: number) => (ms * 1000) / updates.length;
console.log(`write check, ${ORDERS} orders in the room, ${updates.length} device updates (median of 5 runs)`);
console.log(
  `  unchecked ${perUpdate(median(plain)).toFixed(1)} µs/update · checked ${perUpdate(median(checkedRuns)).toFixed(1)} µs/update · check's cost ${(perUpdate(median(checkedRuns)) - perUpdate(median(plain))).toFixed(1)} µs/update`,
);
