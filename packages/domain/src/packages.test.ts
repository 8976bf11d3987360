import { describe, expect, it } from "vitest";
import { ConsignError } from "./errors.ts";
import type { Order } from "./order.ts";
import {
  confirmPackage,
  dispatchCompletedAt,
  firstConfirmedAt,
  packagesOf,
  recordTracking,
  splitIntoPackages,
} from "./packages.ts";
import { makeOrder } from "./testing/generate.ts";

const twoLines = (over: Partial<Order> = {}) =>
  makeOrder({
    items: [
      { orderItemId: "L1", sku: "MUG", asin: "A1", title: "Mug", quantityOrdered: 2, quantityShipped: 0 },
      {
        orderItemId: "L2",
        sku: "TEAPOT",
        asin: "A2",
        title: "Teapot",
        quantityOrdered: 1,
        quantityShipped: 0,
      },
    ],
    ...over,
  });

describe("an order's parcels", () => {
  it("is one parcel, made of the order itself, when it was never split", () => {
    const o = twoLines({ confirmation: { state: "confirmed", confirmedAt: 5, attempts: 1 }, deliveredAt: 9 });
    expect(packagesOf(o)).toEqual([
      {
        packageReferenceId: "1",
        items: [
          { orderItemId: "L1", quantity: 2 },
          { orderItemId: "L2", quantity: 1 },
        ],
        shipments: [],
        confirmation: o.confirmation,
        deliveredAt: 9,
      },
    ]);
  });

  it("splits into parcels numbered 1, 2… with the units given, every unit in one parcel", () => {
    const split = splitIntoPackages(twoLines(), [
      { items: [{ orderItemId: "L1", quantity: 2 }] },
      { items: [{ orderItemId: "L2", quantity: 1 }], spec: { weightGrams: 900 } },
    ]);
    expect(split).toEqual([
      {
        packageReferenceId: "1",
        items: [{ orderItemId: "L1", quantity: 2 }],
        shipments: [],
        confirmation: { state: "none", attempts: 0 },
      },
      {
        packageReferenceId: "2",
        items: [{ orderItemId: "L2", quantity: 1 }],
        spec: { weightGrams: 900 },
        shipments: [],
        confirmation: { state: "none", attempts: 0 },
      },
    ]);
    // one unit of a line in each of two parcels is fine too
    expect(
      splitIntoPackages(twoLines(), [
        { items: [{ orderItemId: "L1", quantity: 1 }] },
        {
          items: [
            { orderItemId: "L1", quantity: 1 },
            { orderItemId: "L2", quantity: 1 },
          ],
        },
      ]),
    ).toHaveLength(2);
  });

  it("undoes a split when given one parcel", () => {
    expect(
      splitIntoPackages(twoLines(), [
        {
          items: [
            { orderItemId: "L1", quantity: 2 },
            { orderItemId: "L2", quantity: 1 },
          ],
        },
      ]),
    ).toBeUndefined();
  });

  it("refuses parcels that do not add up to the order, naming what is wrong", () => {
    const refusal = (parcels: Parameters<typeof splitIntoPackages>[1]) => {
      try {
        splitIntoPackages(twoLines(), parcels);
      } catch (e) {
        expect(e).toBeInstanceOf(ConsignError);
        return (e as ConsignError).fields.map((f) => `${f.path}: ${f.message}`);
      }
      throw new Error("not refused");
    };
    expect(refusal([{ items: [{ orderItemId: "L1", quantity: 2 }] }, { items: [] }])).toEqual([
      "parcels.1.items: an empty parcel",
    ]);
    expect(
      refusal([
        { items: [{ orderItemId: "L1", quantity: 1 }] },
        { items: [{ orderItemId: "L2", quantity: 1 }] },
      ]),
    ).toEqual(["parcels: 1 unit of MUG in no parcel"]);
    expect(
      refusal([
        { items: [{ orderItemId: "L1", quantity: 3 }] },
        { items: [{ orderItemId: "L2", quantity: 1 }] },
      ]),
    ).toEqual(["parcels: 1 unit of MUG more than ordered"]);
    expect(
      refusal([
        { items: [{ orderItemId: "L9", quantity: 1 }] },
        { items: [{ orderItemId: "L2", quantity: 0 }] },
      ]),
    ).toEqual([
      "parcels.0.items.0.orderItemId: not a line of 202-0000000-0000001",
      "parcels.1.items.0.quantity: a whole number of units, 1 or more",
    ]);
  });

  it("refuses to split an order that already has a label", () => {
    const labelled = twoLines({
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
    expect(() =>
      splitIntoPackages(labelled, [
        { items: [{ orderItemId: "L1", quantity: 2 }] },
        { items: [{ orderItemId: "L2", quantity: 1 }] },
      ]),
    ).toThrow(/void its labels before splitting/);
  });

  it("is dispatched when the last parcel is confirmed, and first shipped at the first", () => {
    const [p1, p2] = splitIntoPackages(twoLines(), [
      { items: [{ orderItemId: "L1", quantity: 2 }] },
      { items: [{ orderItemId: "L2", quantity: 1 }] },
    ])!;
    const o = twoLines({
      packages: [
        { ...p1!, confirmation: { state: "confirmed", confirmedAt: 100, attempts: 1 } },
        { ...p2!, confirmation: { state: "pending", attempts: 1 } },
      ],
    });
    expect(firstConfirmedAt(o)).toBe(100);
    expect(dispatchCompletedAt(o, 1_000)).toBeUndefined();
    o.packages![1]!.confirmation = { state: "confirmed", confirmedAt: 300, attempts: 1 };
    expect(dispatchCompletedAt(o, 1_000)).toBe(300);
    expect(dispatchCompletedAt(o, 200)).toBeUndefined();
  });

  it("sums the order's confirmation up from its parcels' answers from Amazon", () => {
    const parcels = splitIntoPackages(twoLines(), [
      { items: [{ orderItemId: "L1", quantity: 2 }] },
      { items: [{ orderItemId: "L2", quantity: 1 }] },
    ])!;
    let o = twoLines({ packages: parcels });
    const first = confirmPackage(o, "1", { state: "confirmed", confirmedAt: 100, attempts: 1 });
    expect(first.confirmation).toEqual({ state: "pending", attempts: 1 });
    o = { ...o, packages: first.packages };
    const refused = confirmPackage(o, "2", { state: "pending", attempts: 2, error: "throttled" });
    expect(refused.confirmation).toEqual({ state: "pending", attempts: 3, error: "Parcel 2: throttled" });
    const failed = confirmPackage(o, "2", {
      state: "failed",
      attempts: 1,
      needsAttention: true,
      error: "Invalid tracking number",
    });
    expect(failed.confirmation).toMatchObject({
      state: "failed",
      needsAttention: true,
      error: "Parcel 2: Invalid tracking number",
    });
    const done = confirmPackage(o, "2", { state: "confirmed", confirmedAt: 250, attempts: 1 });
    expect(done.confirmation).toEqual({ state: "confirmed", confirmedAt: 250, attempts: 2 });
    expect(done.packages.map((p) => p.confirmation.state)).toEqual(["confirmed", "confirmed"]);
    // an answer for a parcel the order does not have changes nothing
    expect(confirmPackage(o, "7", { state: "confirmed", confirmedAt: 1, attempts: 1 }).packages).toEqual(
      o.packages,
    );
  });
});

describe("recording a courier's tracking answer", () => {
  it("sets a single parcel's delivery once and keeps the first delivery scan", () => {
    const o = twoLines();
    const first = recordTracking(o, "1", { checkedAt: 50, status: "delivered", deliveredAt: 40 });
    expect(first).toEqual({ tracking: { checkedAt: 50, status: "delivered" }, deliveredAt: 40 });
    const later = recordTracking({ ...o, ...first }, "1", {
      checkedAt: 90,
      status: "delivered",
      deliveredAt: 80,
    });
    expect(later?.deliveredAt).toBe(40);
    expect(recordTracking(o, "2", { checkedAt: 50, status: "in_transit" })).toBeNull();
  });

  it("gives a split order its last parcel's delivery only once every parcel is delivered", () => {
    const packages = splitIntoPackages(twoLines(), [
      { items: [{ orderItemId: "L1", quantity: 2 }] },
      { items: [{ orderItemId: "L2", quantity: 1 }] },
    ]);
    const o = twoLines({ packages });
    const one = recordTracking(o, "2", {
      checkedAt: 30,
      status: "delivered",
      deliveredAt: 25,
      event: { at: 25, description: "Delivered" },
    });
    expect(one?.deliveredAt).toBeUndefined();
    expect(one?.packages?.[1]).toMatchObject({ deliveredAt: 25, tracking: { status: "delivered" } });
    const both = recordTracking({ ...o, ...one }, "1", {
      checkedAt: 60,
      status: "delivered",
      deliveredAt: 55,
    });
    expect(both?.deliveredAt).toBe(55);
  });
});
