import {
  availableBySku,
  availableToSell,
  lowStock,
  reserveForOrder,
  takeOnDispatch,
  unfillable,
} from "@consign/domain";
import { adjustStock, stockLevel } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";

describe("stock", () => {
  it("two devices take 100 units each from one SKU, one offline for half, and exactly 200 are gone", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    adjustStock(a, "MUG", 500, { counterId: "room" });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const sync = () => {
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    };
    for (let i = 0; i < 100; i++) {
      adjustStock(a, "MUG", -1, { counterId: "tablet-a" });
      adjustStock(b, "MUG", -1, { counterId: "tablet-b" });
      if (i >= 50) sync(); // b was offline for the first half
    }
    sync();
    expect(stockLevel(a, "MUG")).toBe(300);
    expect(stockLevel(b, "MUG")).toBe(300);
  });

  it("reserves for open orders, takes stock on dispatch and offers only what is left", () => {
    let r = reserveForOrder(new Map(), { orderId: "o1", placedAt: 1, lines: [{ sku: "MUG", quantity: 2 }] });
    r = reserveForOrder(r, {
      orderId: "o2",
      placedAt: 2,
      lines: [
        { sku: "MUG", quantity: 1 },
        { sku: "TOWEL", quantity: 1 },
      ],
    });
    r = reserveForOrder(r, {
      orderId: "o2",
      placedAt: 2,
      lines: [
        { sku: "MUG", quantity: 1 },
        { sku: "TOWEL", quantity: 1 },
      ],
    });
    expect(availableToSell(5, r.get("MUG") ?? new Map())).toBe(2);
    expect(
      availableBySku(
        new Map([
          ["MUG", 5],
          ["TOWEL", 0],
        ]),
        r,
      ),
    ).toEqual(
      new Map([
        ["MUG", 2],
        ["TOWEL", 0],
      ]),
    );
    const taken = takeOnDispatch(r, "o1");
    expect(taken.changes).toEqual(new Map([["MUG", -2]]));
    expect(availableToSell(3, taken.reservations.get("MUG") ?? 0)).toBe(2);
  });

  it("flags orders stock cannot fill, the newest losing out, before anyone cancels", () => {
    const orders = [
      { orderId: "late", placedAt: 3, lines: [{ sku: "MUG", quantity: 2 }] },
      { orderId: "early", placedAt: 1, lines: [{ sku: "MUG", quantity: 2 }] },
      { orderId: "towel", placedAt: 2, lines: [{ sku: "TOWEL", quantity: 1 }] },
    ];
    expect(
      unfillable(
        orders,
        new Map([
          ["MUG", 3],
          ["TOWEL", 1],
        ]),
      ),
    ).toEqual([{ orderId: "late", short: [{ sku: "MUG", needed: 2, available: 1 }] }]);
  });

  it("warns of out-of-stock SKUs first, then those at or below their threshold", () => {
    const warnings = lowStock(
      new Map([
        ["MUG", 0],
        ["TOWEL", 3],
        ["TEA", 9],
      ]),
      new Map([["TOWEL", 5]]),
      2,
    );
    expect(warnings).toEqual([
      { sku: "MUG", available: 0, threshold: 2, level: "out" },
      { sku: "TOWEL", available: 3, threshold: 5, level: "low" },
    ]);
  });
});
