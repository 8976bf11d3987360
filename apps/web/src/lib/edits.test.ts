import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readOrder, writeOrder } from "./doc.ts";
import {
  applyEdit,
  type Edit,
  holdOrder,
  releaseOrder,
  savePackage,
  saveService,
  toggleHold,
} from "./edits.ts";
import { testOrder } from "./test-orders.ts";

function docWith(...orders: ReturnType<typeof testOrder>[]) {
  const doc = new Y.Doc();
  for (const o of orders) writeOrder(doc, o);
  return doc;
}

describe("hold and release", () => {
  it("returns a held order to the state it was held from, with who did it in the history", () => {
    const doc = docWith(testOrder({ orderId: "A", state: "ready" }));
    holdOrder(doc, readOrder(doc, "A")!, "Sam");
    expect(readOrder(doc, "A")).toMatchObject({ state: "on_hold", heldFrom: "ready" });
    expect(readOrder(doc, "A")?.history?.at(-1)).toMatchObject({ by: "Sam", action: "hold" });
    releaseOrder(doc, readOrder(doc, "A")!, "Sam");
    expect(readOrder(doc, "A")?.state).toBe("ready");
  });

  it("holds a selection, skipping parcels that have left", () => {
    const doc = docWith(testOrder({ orderId: "A" }), testOrder({ orderId: "B", state: "confirmed" }));
    expect(toggleHold(doc, [readOrder(doc, "A")!, readOrder(doc, "B")!], "Sam")).toBe(1);
    expect(readOrder(doc, "A")?.state).toBe("on_hold");
    expect(readOrder(doc, "B")?.state).toBe("confirmed");
  });

  it("releases when every selected order is already on hold", () => {
    const doc = docWith(testOrder({ orderId: "A" }));
    toggleHold(doc, [readOrder(doc, "A")!], "Sam");
    toggleHold(doc, [readOrder(doc, "A")!], "Sam");
    expect(readOrder(doc, "A")?.state).toBe("new");
  });

  it("keeps a hold pressed in a tab when the next tab sends it again (the first closed before it heard back)", () => {
    const doc = docWith(testOrder({ orderId: "A" }));
    const hold: Edit = { kind: "toggleHold", orderIds: ["A"], by: "Sam", release: false };
    applyEdit(doc, hold, "Tablet 1");
    // The document worker applies what a closed tab's successor finds among the edits not yet confirmed.
    applyEdit(doc, hold, "Tablet 1");
    expect(readOrder(doc, "A")?.state).toBe("on_hold");
    applyEdit(doc, { ...hold, release: true }, "Tablet 1");
    applyEdit(doc, { ...hold, release: true }, "Tablet 1");
    expect(readOrder(doc, "A")?.state).toBe("new");
  });
});

describe("package", () => {
  it("stores the weight the packer typed", () => {
    const doc = docWith(testOrder({ orderId: "A" }));
    savePackage(doc, readOrder(doc, "A")!, "Sam", { weightGrams: 420 });
    // Marked as entered, so new SKU weights never overwrite what the packer weighed.
    expect(readOrder(doc, "A")?.package).toEqual({ weightGrams: 420, source: "entered" });
  });

  it("chooses a service by hand and hands it back to the rules", () => {
    const doc = docWith(testOrder({ orderId: "A" }));
    saveService(doc, readOrder(doc, "A")!, "Sam", { courier: "evri", serviceCode: "EVRI24" });
    expect(readOrder(doc, "A")?.service).toMatchObject({
      courier: "evri",
      serviceCode: "EVRI24",
      source: "override",
    });
    saveService(doc, readOrder(doc, "A")!, "Sam", null);
    expect(readOrder(doc, "A")?.service).toBeUndefined();
  });
});
