import { describe, expect, it } from "vitest";
import { findOrderByScan, PackingCheck } from "./packing.ts";
import { testOrder } from "./test-orders.ts";

const twoMugsAndAPlate = testOrder({
  orderId: "203-1111111-2222222",
  items: [
    {
      orderItemId: "1",
      sku: "MUG-BLUE",
      asin: "B0MUG00001",
      title: "Blue mug",
      quantityOrdered: 2,
      quantityShipped: 0,
    },
    {
      orderItemId: "2",
      sku: "PLATE-9",
      asin: "B0PLATE009",
      title: "Plate",
      quantityOrdered: 1,
      quantityShipped: 0,
    },
  ],
  shipments: [
    {
      id: "x:0",
      courier: "royal-mail",
      serviceCode: "TPN24",
      trackingNumber: "GQ660548056GB",
      amazonCarrierCode: "Royal Mail",
      boughtAt: 1,
    },
  ],
});

describe("scan station", () => {
  it("finds the order by order number or by its tracking number", () => {
    expect(findOrderByScan("203-1111111-2222222", [twoMugsAndAPlate])?.orderId).toBe("203-1111111-2222222");
    expect(findOrderByScan(" gq660548056gb ", [twoMugsAndAPlate])?.orderId).toBe("203-1111111-2222222");
    expect(findOrderByScan("FQ087430672GB", [twoMugsAndAPlate])).toBeUndefined();
  });

  it("counts each item up to its quantity, by SKU or ASIN, and says when the order is complete", () => {
    const check = new PackingCheck(twoMugsAndAPlate);
    expect(check.scan("mug-blue")).toMatchObject({
      kind: "packed",
      complete: false,
      line: { scanned: 1, expected: 2 },
    });
    expect(check.scan("B0MUG00001")).toMatchObject({ kind: "packed", line: { scanned: 2 } });
    expect(check.scan("MUG-BLUE")).toMatchObject({ kind: "already_packed" });
    expect(check.scan("PLATE-9")).toMatchObject({ kind: "packed", complete: true });
  });

  it("refuses an item that is not in the order", () => {
    const check = new PackingCheck(twoMugsAndAPlate);
    expect(check.scan("CUP-RED")).toEqual({ kind: "not_in_order", code: "CUP-RED" });
    expect(check.complete).toBe(false);
  });
});
