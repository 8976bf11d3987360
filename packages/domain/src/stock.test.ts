import { describe, expect, it } from "vitest";
import type { Order } from "./order.ts";
import { StockQueue, stockShortfalls } from "./stock.ts";
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

/** The rule written plainly (the code before the queue): oldest order first, each takes all it needs or is short. */
function shortfallsPlainly(orders: Iterable<Order>, levels: Map<string, number>) {
  const left = new Map(levels);
  const out = new Map<string, { sku: string; needed: number; available: number }[]>();
  const open = [...orders]
    .filter((o) => ["new", "ready", "label_bought", "printed", "on_hold"].includes(o.state))
    .sort((a, b) => a.purchaseDate - b.purchaseDate || a.orderId.localeCompare(b.orderId));
  for (const o of open) {
    const need = new Map<string, number>();
    for (const i of o.items)
      if (levels.has(i.sku)) need.set(i.sku, (need.get(i.sku) ?? 0) + i.quantityOrdered);
    const short = [...need]
      .filter(([sku, n]) => left.get(sku)! < n)
      .map(([sku, n]) => ({ sku, needed: n, available: Math.max(0, left.get(sku)!) }));
    if (short.length > 0) out.set(o.orderId, short);
    else for (const [sku, n] of need) left.set(sku, left.get(sku)! - n);
  }
  return out;
}

describe("the stock queue a tablet keeps as orders change", () => {
  it("says what a fresh count says after each order arrives, changes, is dispatched or leaves", () => {
    const levels = new Map([
      ["MUG", 5],
      ["CAP", 2],
    ]);
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const held = new Map<string, Order>();
    const queue = new StockQueue();
    queue.resetOrders(held.values());
    let sawShort = 0;
    for (let step = 0; step < 400; step++) {
      const id = `O${next(40)}`;
      const roll = next(10);
      if (roll === 0) {
        held.delete(id); // archived
        queue.update(id, undefined);
      } else {
        // Two orders often share a placing hour: the order id decides between them.
        const states: Order["state"][] = ["new", "ready", "printed", "on_hold", "dispatched", "cancelled"];
        const o = order(
          id,
          next(6),
          ["MUG", "CAP", "PEN"][next(3)]!,
          1 + next(3),
          states[next(states.length)],
        );
        const two =
          next(4) === 0
            ? { ...o, items: [...o.items, { ...o.items[0]!, sku: "MUG", quantityOrdered: 1 }] }
            : o;
        held.set(id, two);
        queue.update(id, two);
      }
      const short = queue.shortfalls(levels);
      expect(short).toEqual(shortfallsPlainly(held.values(), levels));
      expect(stockShortfalls(held.values(), levels)).toEqual(short);
      sawShort += short.size > 0 ? 1 : 0;
    }
    // The test saw shortfalls, not only empty answers.
    expect(sawShort).toBeGreaterThan(100);
  });
});
