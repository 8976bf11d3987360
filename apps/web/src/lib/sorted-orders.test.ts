import { describe, expect, it } from "vitest";
import { SortedOrders } from "./sorted-orders.ts";
import { testOrder } from "./test-orders.ts";
import { byDeadline } from "./views.ts";

const at = (orderId: string, latestShipDate: number) => testOrder({ orderId, latestShipDate });
const ids = (s: SortedOrders) => s.all.map((o) => o.orderId);

describe("orders kept by dispatch deadline", () => {
  it("sorts by deadline, then order number", () => {
    const s = new SortedOrders();
    s.reset([at("C", 2), at("B", 1), at("A", 2)]);
    expect(ids(s)).toEqual(["B", "A", "C"]);
  });

  it("moves a changed order, adds a new one and drops a removed one, as a full sort would", () => {
    const s = new SortedOrders();
    const orders = [at("A", 5), at("B", 3), at("C", 8), at("D", 3)];
    s.reset(orders);
    const before = s.all;
    s.apply([[orders[0], at("A", 1)]]);
    expect(ids(s)).toEqual(["A", "B", "D", "C"]);
    expect(s.all).not.toBe(before);
    s.apply([[undefined, at("E", 4)]]);
    expect(ids(s)).toEqual(["A", "B", "D", "E", "C"]);
    s.apply([[orders[1], undefined]]);
    expect(ids(s)).toEqual(["A", "D", "E", "C"]);
  });

  it("stays equal to a full sort through many random changes", () => {
    const s = new SortedOrders();
    const held = new Map<string, ReturnType<typeof at>>();
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    s.reset([]);
    for (let step = 0; step < 100; step++) {
      const changes: [ReturnType<typeof at> | undefined, ReturnType<typeof at> | undefined][] = [];
      for (let k = rand(4); k >= 0; k--) {
        const id = `O${rand(40)}`;
        const before = held.get(id);
        const after = rand(5) === 0 ? undefined : at(id, rand(20));
        if (after) held.set(id, after);
        else held.delete(id);
        changes.push([before, after]);
      }
      s.apply(changes);
    }
    expect(ids(s)).toEqual([...held.values()].sort(byDeadline).map((o) => o.orderId));
  });
});
