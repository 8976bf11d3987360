import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateOrders, makeOrder } from "../testing/generate.ts";
import { OrderSearchIndex } from "./searchIndex.ts";
import { withinOneEdit } from "./typo.ts";

const jones = makeOrder({
  orderId: "203-1111111-2222222",
  purchaseDate: 1000,
  buyerName: "Siobhán Jones",
  recipient: { name: "Siobhán Jones", line1: "1", city: "Belfast", postcode: "BT7 1NN", countryCode: "GB" },
  items: [
    {
      orderItemId: "1",
      sku: "MUG-0042-BL",
      asin: "B0ABCDE123",
      title: "Blue Enamel Mug",
      quantityOrdered: 1,
      quantityShipped: 0,
    },
  ],
  shipments: [
    {
      id: "x",
      courier: "royal-mail",
      serviceCode: "TPN24",
      trackingNumber: "GQ660548056GB",
      amazonCarrierCode: "Royal Mail",
      boughtAt: 1,
    },
  ],
});
const smith = makeOrder({
  orderId: "204-3333333-4444444",
  purchaseDate: 2000,
  buyerName: "John Smith",
  recipient: { name: "John Smith", line1: "1", city: "Leeds", postcode: "LS1 4AP", countryCode: "GB" },
  items: [
    {
      orderItemId: "2",
      sku: "KET-0001",
      asin: "B0ZZZZZ999",
      title: "Kettle Descaler 2-Pack",
      quantityOrdered: 1,
      quantityShipped: 0,
    },
  ],
});
const smithers = makeOrder({
  ...smith,
  orderId: "205-5555555-6666666",
  purchaseDate: 3000,
  buyerName: "Ann Smithers",
  recipient: { ...smith.recipient!, name: "Ann Smithers" },
});

const index = OrderSearchIndex.build([jones, smith, smithers]);

describe("order search", () => {
  it("finds an order by id, postcode with or without the space, tracking number, SKU, ASIN and title", () => {
    for (const q of [
      "203-1111111-2222222",
      "BT7 1NN",
      "bt71nn",
      "GQ660548056GB",
      "gq6605",
      "MUG-0042-BL",
      "mug0042",
      "B0ABCDE123",
      "enamel mug",
    ]) {
      expect(index.search(q), q).toEqual(["203-1111111-2222222"]);
    }
  });

  it("matches prefixes while typing, case- and accent-insensitively", () => {
    expect(index.search("sio")).toEqual(["203-1111111-2222222"]);
    expect(index.search("siobhan")).toEqual(["203-1111111-2222222"]);
    expect(index.search("SMI")).toEqual(["205-5555555-6666666", "204-3333333-4444444"]);
  });

  it("ranks an exact word above a longer word that starts with it", () => {
    expect(index.search("smith")).toEqual(["204-3333333-4444444", "205-5555555-6666666"]);
    expect(index.search("john smith")).toEqual(["204-3333333-4444444"]);
  });

  it("tolerates one typo in words of four letters or more, but not in shorter ones", () => {
    expect(index.search("smtih")).toEqual(["204-3333333-4444444"]);
    expect(index.search("jnoes")).toEqual(["203-1111111-2222222"]);
    expect(index.search("kettel")).toEqual(["205-5555555-6666666", "204-3333333-4444444"]);
    expect(index.search("jomes")).toEqual(["203-1111111-2222222"]);
    expect(index.search("jnx")).toEqual([]);
    expect(index.search("smyth jonnes")).toEqual([]);
  });

  it("follows upserts and removals", () => {
    const idx = OrderSearchIndex.build([jones, smith]);
    idx.upsert({
      ...smith,
      buyerName: "John Walker",
      recipient: { ...smith.recipient!, name: "John Walker" },
    });
    expect(idx.search("smith")).toEqual([]);
    expect(idx.search("walker")).toEqual(["204-3333333-4444444"]);
    expect(idx.remove("203-1111111-2222222")).toBe(true);
    expect(idx.search("jones")).toEqual([]);
    expect(idx.size).toBe(1);
    idx.upsert(smithers);
    expect(idx.search("smithers")).toEqual(["205-5555555-6666666"]);
    expect(idx.search("ann")).toEqual(["205-5555555-6666666"]);
  });

  it("returns nothing for an empty query", () => {
    expect(index.search("  ")).toEqual([]);
  });

  it("always finds an order by its exact id, first", () => {
    const orders = generateOrders(400, { seed: 11 });
    const big = OrderSearchIndex.build(orders);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: orders.length - 1 }), fc.boolean(), (i, incremental) => {
        const o = orders[i]!;
        const idx = incremental ? big : OrderSearchIndex.build(orders.slice(0, 50).concat(o));
        expect(idx.search(o.orderId)[0]).toBe(o.orderId);
      }),
      { numRuns: 100 },
    );
  });

  it("finds any order by an exact id made of arbitrary text", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 30 }),
        (ids) => {
          const idx = new OrderSearchIndex();
          for (const id of ids) idx.upsert(makeOrder({ orderId: id }));
          for (const id of ids) if (/[a-z0-9]/i.test(id)) expect(idx.search(id)[0]).toBe(id);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("one edit", () => {
  it("counts insertions, deletions, substitutions and neighbour swaps as one edit", () => {
    expect(withinOneEdit("smith", "smith")).toBe(true);
    expect(withinOneEdit("smith", "smiths")).toBe(true);
    expect(withinOneEdit("smith", "smth")).toBe(true);
    expect(withinOneEdit("smith", "smyth")).toBe(true);
    expect(withinOneEdit("smith", "smtih")).toBe(true);
    expect(withinOneEdit("smith", "msiht")).toBe(false);
    expect(withinOneEdit("smith", "smithes")).toBe(false);
  });
});

describe("broad queries", () => {
  it("answers a first keystroke with the most recent matching orders, after upserts and removals", () => {
    const orders = generateOrders(6000, { seed: 3 });
    const idx = OrderSearchIndex.build(orders);
    const first = orders.filter((o) => o.orderId.startsWith("2"));
    const newest = [...first].sort((a, b) => b.purchaseDate - a.purchaseDate)[0]!;
    expect(idx.search("2", { limit: 5 })).toContain(newest.orderId);
    idx.remove(newest.orderId);
    expect(idx.search("2", { limit: 5 })).not.toContain(newest.orderId);
    const fresh = { ...orders[0]!, orderId: "209-0000000-0000009", purchaseDate: newest.purchaseDate + 1 };
    idx.upsert(fresh);
    expect(idx.search("20", { limit: 5 })[0]).toBe(fresh.orderId);
    expect(idx.search("209-0000000-0000009")).toEqual([fresh.orderId]);
  });
});
