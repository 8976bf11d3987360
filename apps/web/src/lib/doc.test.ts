import { initialiseGeneration, LAYOUT_KEY } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readAllOrders, readOrder, setWork, writeOrder } from "./doc.ts";
import { testOrder } from "./test-orders.ts";

describe.each([1, 2, 3] as const)("reading every order in one pass (document layout %i)", (layout) => {
  it("gives each order exactly as readOrder does, working fields and key order included", () => {
    const doc = new Y.Doc();
    if (layout >= 2) initialiseGeneration(doc, "g1");
    if (layout === 2) doc.getMap("meta").set(LAYOUT_KEY, 2);
    writeOrder(doc, testOrder({ orderId: "A", state: "ready", notes: "fragile" }));
    writeOrder(doc, testOrder({ orderId: "B", package: { weightGrams: 450 } }));
    // Worked out by the room (layout 3: inside the record), then a person's service over it.
    writeOrder(
      doc,
      testOrder({
        orderId: "C",
        package: { weightGrams: 240, source: "sku" },
        service: { courier: "royal-mail", serviceCode: "TPS48", source: "rule" },
      }),
    );
    setWork(doc, "C", { service: { courier: "evri", serviceCode: "EVRI24", source: "override" } });
    setWork(doc, "C", { state: "on_hold", heldFrom: "new", notes: "call buyer" });
    setWork(doc, "A", { notes: undefined });
    const all = readAllOrders(doc);
    expect([...all.keys()].sort()).toEqual(["A", "B", "C"]);
    for (const id of ["A", "B", "C"]) {
      const one = readOrder(doc, id);
      expect(all.get(id)).toEqual(one);
      expect(Object.keys(all.get(id)!)).toEqual(Object.keys(one!));
    }
    expect(all.get("C")).toMatchObject({
      state: "on_hold",
      heldFrom: "new",
      notes: "call buyer",
      package: { weightGrams: 240, source: "sku" },
      service: { courier: "evri", serviceCode: "EVRI24", source: "override" },
    });
    expect(all.get("A")?.notes).toBeUndefined();
    if (layout >= 2) expect(typeof doc.getMap("orders").get("A")).toBe("string");
    // Layout 3: the room's worked-out parcel is in the record; only people's choices are working keys.
    if (layout === 3) expect(doc.getMap("work").has("C/package")).toBe(false);
  });

  it("leaves out working fields of orders that are not in the document", () => {
    const doc = new Y.Doc();
    writeOrder(doc, testOrder({ orderId: "A" }));
    doc.getMap("work").set("GONE/state", "ready");
    expect([...readAllOrders(doc).keys()]).toEqual(["A"]);
  });
});
