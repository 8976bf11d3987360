import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeOrder } from "../test/fixtures.ts";
import { listOrders, removeOrders, setWork, upsertOrders } from "./index.ts";
import { splitUpdate } from "./split.ts";

function bigDoc() {
  const doc = new Y.Doc();
  const orders = Array.from({ length: 2000 }, (_, i) => makeOrder(`203-0000009-${i}`, 1_700_000_000_000 + i));
  upsertOrders(doc, orders, "import");
  for (const o of orders.slice(0, 500)) setWork(doc, o.orderId, { notes: "x".repeat(50) });
  removeOrders(
    doc,
    orders.slice(0, 300).map((o) => o.orderId),
  );
  return doc;
}

describe("splitting a large update", () => {
  it("cuts an update into parts under the limit that rebuild the same document in any order", () => {
    const doc = bigDoc();
    const whole = Y.encodeStateAsUpdate(doc);
    expect(whole.byteLength).toBeGreaterThan(1_000_000);
    const parts = splitUpdate(whole, 200_000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.byteLength).toBeLessThanOrEqual(200_000);
    const inOrder = new Y.Doc();
    for (const p of parts) Y.applyUpdate(inOrder, p);
    const reversed = new Y.Doc();
    for (const p of [...parts].reverse()) Y.applyUpdate(reversed, p);
    for (const copy of [inOrder, reversed]) {
      expect(listOrders(copy)).toEqual(listOrders(doc));
      expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(doc));
      // Byte-for-byte the same state (compared as buffers: toEqual on a megabyte array is slow).
      expect(Buffer.from(Y.encodeStateAsUpdate(copy)).equals(Buffer.from(whole))).toBe(true);
    }
  });

  it("leaves a small update whole", () => {
    const doc = new Y.Doc();
    doc.getMap("meta").set("generation", "g1");
    const update = Y.encodeStateAsUpdate(doc);
    expect(splitUpdate(update, 1000)).toEqual([update]);
  });
});
