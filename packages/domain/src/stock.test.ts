import { describe, expect, it } from "vitest";
import type { Order } from "./order.ts";
import { stockShortfalls } from "./stock.ts";
import { makeOrder } from "./testing/generate.ts";

function order(id: string, placedHour: number, sku: string, quantity: number, state: Order["state"] = "new") {
  const base = makeOrder({ orderId: id, purchaseDate: Date.UTC(2026, 10, 20, placedHour), state });
  return { ...base, items: [{ ...base.items[0]!, sku, quantityOrdered: quantity }] };
}

describe("orders stock cannot fill", () => {
  it("gives scarce stock to the oldest orders and flags the rest with what they are short of", () => {
    const levels = new Map([["MUG", 3]]);
    const short = stockShortfalls(
      [order("C", 12, "MUG", 1), order("A", 10, "MUG", 2), order("B", 11, "MUG", 2)],
      levels,
    );
    // A (oldest) takes 2, B needs 2 of the 1 left and is short, C takes the last one.
    expect([...short.keys()]).toEqual(["B"]);
    expect(short.get("B")).toEqual([{ sku: "MUG", needed: 2, available: 1 }]);
  });

  it("counts only orders still holding stock and only SKUs the seller tracks", () => {
    const levels = new Map([["MUG", 1]]);
    const short = stockShortfalls(
      [
        order("gone", 9, "MUG", 5, "dispatched"),
        order("cancelled", 9, "MUG", 5, "cancelled"),
        order("untracked", 9, "POSTER", 50),
        order("fits", 10, "MUG", 1),
        order("short", 11, "MUG", 1, "printed"),
      ],
      levels,
    );
    expect([...short.keys()]).toEqual(["short"]);
  });
});
