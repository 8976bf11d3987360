import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeOrder, makeShipment } from "../test/fixtures.ts";
import { applyOrderAction } from "./actions.ts";
import { observeOrders } from "./observe.ts";
import { listOrders, readOrder, setWork, upsertOrders } from "./orders.ts";
import { createConsignDoc, workKey, workMap } from "./schema.ts";

const T = Date.UTC(2026, 3, 1, 9);

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe("orders in the live document", () => {
  it("reads back an imported order exactly as it was given", () => {
    const doc = createConsignDoc();
    const order = makeOrder("203-1111111-0000001", T);
    upsertOrders(doc, [order], "import");
    expect(readOrder(doc, order.orderId)).toEqual(order);
    expect(listOrders(doc)).toHaveLength(1);
    expect(readOrder(doc, "203-0000000-0000000")).toBeUndefined();
  });

  it("writes nothing when the same orders are imported again", () => {
    const doc = createConsignDoc();
    const orders = [makeOrder("203-1111111-0000001", T), makeOrder("203-1111111-0000002", T)];
    upsertOrders(doc, orders, "import");
    let updates = 0;
    doc.on("update", () => updates++);
    const again = upsertOrders(
      doc,
      orders.map((o) => structuredClone(o)),
      "import",
    );
    expect(again).toEqual({ added: [], changed: [], unchanged: 2 });
    expect(updates).toBe(0);
    expect(listOrders(doc)).toHaveLength(2);
  });

  it("changes only what differs on re-import and keeps the team's working fields", () => {
    const doc = createConsignDoc();
    const order = makeOrder("203-1111111-0000001", T);
    upsertOrders(doc, [order], "import");
    setWork(doc, order.orderId, { notes: "fragile", package: { weightGrams: 800 } });
    const result = upsertOrders(
      doc,
      [{ ...order, amazonStatus: "PARTIALLY_SHIPPED", notes: undefined }],
      "import",
    );
    expect(result.changed).toEqual([order.orderId]);
    const read = readOrder(doc, order.orderId);
    expect(read?.amazonStatus).toBe("PARTIALLY_SHIPPED");
    expect(read?.notes).toBe("fragile");
    expect(read?.package).toEqual({ weightGrams: 800 });
  });

  it("merges two people's edits to different fields of one order", () => {
    const a = createConsignDoc({ clientID: 1 });
    const b = createConsignDoc({ clientID: 2 });
    upsertOrders(a, [makeOrder("203-1111111-0000001", T)], "import");
    sync(a, b);
    setWork(a, "203-1111111-0000001", { notes: "gift wrap" });
    setWork(b, "203-1111111-0000001", { package: { weightGrams: 250, format: "large-letter" } });
    sync(a, b);
    for (const doc of [a, b]) {
      const o = readOrder(doc, "203-1111111-0000001");
      expect(o?.notes).toBe("gift wrap");
      expect(o?.package?.format).toBe("large-letter");
    }
  });

  it("takes an order through its lifecycle with a history entry per step", () => {
    const doc = createConsignDoc();
    const id = "203-1111111-0000001";
    upsertOrders(doc, [makeOrder(id, T)], "import");
    const by = { by: "sam", at: T + 1000 };
    applyOrderAction(doc, id, { type: "markReady" }, by);
    applyOrderAction(doc, id, { type: "labelBought", shipment: makeShipment(id, T) }, by);
    applyOrderAction(doc, id, { type: "hold", until: T + 5000, reason: "address check" }, by);
    expect(readOrder(doc, id)?.state).toBe("on_hold");
    expect(readOrder(doc, id)?.holdUntil).toBe(T + 5000);
    const released = applyOrderAction(doc, id, { type: "release" }, by);
    expect(released.state).toBe("label_bought");
    expect(released.holdUntil).toBeUndefined();
    expect(workMap(doc).has(workKey(id, "heldFrom"))).toBe(false);
    expect(released.history?.map((h) => h.action)).toEqual(["markReady", "labelBought", "hold", "release"]);
    expect(released.shipments).toHaveLength(1);
  });

  it("refuses an action the order's state does not allow, and leaves the order as it was", () => {
    const doc = createConsignDoc();
    const id = "203-1111111-0000001";
    upsertOrders(doc, [makeOrder(id, T)], "import");
    const before = Y.encodeStateVector(doc);
    expect(() => applyOrderAction(doc, id, { type: "dispatched" }, { by: "sam", at: T })).toThrow(
      /not possible/,
    );
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(() => applyOrderAction(doc, "203-9", { type: "markReady" }, { by: "sam", at: T })).toThrow(
      /archive/,
    );
  });

  it("tells observers which orders changed, once per transaction, from either map", () => {
    const doc = createConsignDoc();
    const seen: string[][] = [];
    const stop = observeOrders(doc, (c) => seen.push([...c.orderIds].sort()));
    upsertOrders(doc, [makeOrder("203-1111111-0000001", T), makeOrder("203-1111111-0000002", T)], "import");
    setWork(doc, "203-1111111-0000002", { notes: "call buyer" });
    stop();
    setWork(doc, "203-1111111-0000001", { notes: "unseen" });
    expect(seen).toEqual([["203-1111111-0000001", "203-1111111-0000002"], ["203-1111111-0000002"]]);
  });
});
