import { splitIntoPackages } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { makeOrder } from "../test/fixtures.ts";
import { readOrder, upsertOrders, writeOrder } from "./orders.ts";
import { createConsignDoc, workKey, workMap } from "./schema.ts";
import { mayWrite, WORK_FIELD_RULES } from "./write-policy.ts";

const T = Date.UTC(2026, 3, 1, 9);

describe("an order's parcels in the live document", () => {
  it("are a working field: written by the room, kept when Amazon's order is imported again", () => {
    const doc = createConsignDoc();
    const order = {
      ...makeOrder("203-1111111-0000009", T),
      items: [
        { orderItemId: "L1", sku: "A", asin: "B1", title: "One", quantityOrdered: 1, quantityShipped: 0 },
        { orderItemId: "L2", sku: "B", asin: "B2", title: "Two", quantityOrdered: 1, quantityShipped: 0 },
      ],
    };
    upsertOrders(doc, [order], "import");
    const packages = splitIntoPackages(order, [
      { items: [{ orderItemId: "L1", quantity: 1 }] },
      { items: [{ orderItemId: "L2", quantity: 1 }] },
    ]);
    writeOrder(doc, { orderId: order.orderId, packages });
    expect(workMap(doc).has(workKey(order.orderId, "packages"))).toBe(true);
    upsertOrders(doc, [structuredClone(order)], "import");
    expect(readOrder(doc, order.orderId)?.packages?.map((p) => p.packageReferenceId)).toEqual(["1", "2"]);
    // one parcel again: the field goes
    writeOrder(doc, { orderId: order.orderId, packages: undefined });
    expect(readOrder(doc, order.orderId)?.packages).toBeUndefined();
  });

  it("may not be written by a device: parcels carry labels and Amazon's confirmations", () => {
    expect(WORK_FIELD_RULES.packages.writers).toBe("room");
    expect(mayWrite({ role: "packer" }, WORK_FIELD_RULES.packages.writers)).toBe(false);
    expect(mayWrite({ role: "owner" }, WORK_FIELD_RULES.packages.writers)).toBe(false);
  });
});
