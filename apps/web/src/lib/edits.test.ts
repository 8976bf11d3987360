import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ordersMap, readOrder } from "./doc.ts";
import { hold, release, toggleHold } from "./edits.ts";
import { testOrder } from "./test-orders.ts";

describe("hold and release", () => {
  it("returns a held order to the state it was held from", () => {
    const held = hold(testOrder({ state: "printed" }), "Sam")!;
    expect(held.state).toBe("on_hold");
    expect(release(held, "Sam")?.state).toBe("printed");
    expect(held.history?.at(-1)).toMatchObject({ by: "Sam", action: "hold" });
  });

  it("refuses to hold a parcel that has left", () => {
    expect(hold(testOrder({ state: "dispatched" }), "Sam")).toBeNull();
  });

  it("holds a selection in the document, skipping what cannot be held", () => {
    const doc = new Y.Doc();
    const a = testOrder({ orderId: "A" });
    const b = testOrder({ orderId: "B", state: "confirmed" });
    ordersMap(doc).set("A", a);
    ordersMap(doc).set("B", b);
    expect(toggleHold(doc, [a, b], "Sam")).toBe(1);
    expect(readOrder(ordersMap(doc).get("A"))?.state).toBe("on_hold");
    expect(readOrder(ordersMap(doc).get("B"))?.state).toBe("confirmed");
  });
});
