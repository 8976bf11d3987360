import {
  countViews,
  courierClock,
  courierLines,
  DEFAULT_COURIER_HANDOVERS,
  dispatchFigures,
  dispatchFiguresOf,
  stockShortfalls,
  warehouseClock,
} from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import {
  adjustStock,
  initialiseGeneration,
  removeOrders,
  stockLevels,
  upsertOrders,
  writeOrder,
} from "@consign/sync";
import { createRoot } from "solid-js";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { OrderProjection } from "./order-projection.ts";
import { createOrdersStore } from "./orders.ts";

const NOW = Date.UTC(2026, 10, 20, 12);
const DAY = 86_400_000;

describe("the orders store's view counts", () => {
  it("stay what a full count says as orders change, are kept per change, and are counted again on a new day", () => {
    createRoot((dispose) => {
      const doc = new Y.Doc();
      initialiseGeneration(doc, "g1");
      upsertOrders(
        doc,
        Array.from({ length: 40 }, (_, i) =>
          makeOrder({
            orderId: `202-0000000-00000${String(i).padStart(2, "0")}`,
            state: i % 5 === 0 ? "on_hold" : "new",
            latestShipDate: NOW + (i % 3) * DAY,
          }),
        ),
        "import",
      );
      const store = createOrdersStore(doc);
      const today = warehouseClock(NOW);
      const full = () => countViews(store.byId.values(), today);
      expect(store.counts(today)).toEqual(full());

      // A packer holds one order, releases another, one leaves the live list and one arrives.
      const ids = [...store.byId.keys()];
      writeOrder(doc, { orderId: ids[1]!, state: "on_hold" });
      writeOrder(doc, { orderId: ids[0]!, state: "new" });
      removeOrders(doc, [ids[2]!]);
      upsertOrders(
        doc,
        [makeOrder({ orderId: "202-0000000-0000999", state: "new", latestShipDate: NOW })],
        "import",
      );
      const kept = store.counts(warehouseClock(NOW + 30_000));
      expect(kept).toEqual(full());
      expect(kept.on_hold).toBe(8 + 1 - 1);
      expect(kept.all).toBe(40);

      // The next day the same orders count differently (what was due tomorrow is due today).
      const tomorrow = warehouseClock(NOW + DAY);
      expect(store.counts(tomorrow)).toEqual(countViews(store.byId.values(), tomorrow));
      expect(store.counts(tomorrow).due_today).toBeGreaterThan(kept.due_today);
      store.dispose();
      dispose();
    });
  });
});

describe("every order from the document worker, in parts", () => {
  it("is shown once, at the last part: in deadline order, counted, the orders none of the parts had gone", () => {
    createRoot((dispose) => {
      const projection = new OrderProjection();
      const order = (i: number, state: "new" | "on_hold" = "new") =>
        makeOrder({ orderId: `O-${String(i).padStart(4, "0")}`, state, latestShipDate: NOW + i * 60_000 });
      const part = (orders: ReturnType<typeof order>[], all: boolean, last: boolean) => ({
        type: "orders" as const,
        all,
        last,
        json: JSON.stringify(orders.map((o) => [o.orderId, o])),
      });
      projection.receive(part([order(9_999)], false, true));
      const store = createOrdersStore(new Y.Doc(), projection);
      const today = warehouseClock(NOW);
      expect(store.counts(today).all).toBe(1);
      const version = store.version();
      // Three parts, dispatch deadline first (as the worker sends them); every fifth order held.
      const orders = Array.from({ length: 30 }, (_, i) => order(i, i % 5 === 0 ? "on_hold" : "new"));
      projection.receive(part(orders.slice(0, 10), true, false));
      projection.receive(part(orders.slice(10, 20), true, false));
      // Nothing shown before the last part: the screens go over the orders once.
      expect(store.version()).toBe(version);
      projection.receive(part(orders.slice(20), true, true));
      expect(store.version()).toBe(version + 1);
      expect(store.sorted().map((o) => o.orderId)).toEqual(orders.map((o) => o.orderId));
      // The order none of the parts had is gone, and the counts are a full count's.
      expect(store.byId.has("O-9999")).toBe(false);
      expect(store.counts(today)).toEqual(countViews(store.byId.values(), today));
      expect(store.counts(today).on_hold).toBe(6);
      store.dispose();
      dispose();
    });
  });
});

describe("the orders store's dispatch clock and stock shortfalls, kept per changed order", () => {
  it("read what working every order out afresh reads, as orders change, stock moves and the clock ticks", () => {
    createRoot((dispose) => {
      const doc = new Y.Doc();
      initialiseGeneration(doc, "g1");
      const H = 3_600_000;
      const rm = { courier: "royal-mail" as const, serviceCode: "TPN24", source: "rule" as const };
      upsertOrders(
        doc,
        Array.from({ length: 30 }, (_, i) => {
          const o = makeOrder({
            orderId: `202-0000000-00001${String(i).padStart(2, "0")}`,
            state: i % 6 === 0 ? "on_hold" : "new",
            latestShipDate: NOW + (i % 5) * 4 * H - 2 * H,
            purchaseDate: NOW - DAY + (i % 7) * H,
          });
          return {
            ...o,
            items: [{ ...o.items[0]!, sku: i % 2 ? "MUG" : "CAP", quantityOrdered: 1 + (i % 2) }],
          };
        }),
        "import",
      );
      adjustStock(doc, "MUG", 9);
      adjustStock(doc, "CAP", 4);
      const store = createOrdersStore(doc);
      const cutoffs = { team: "17:00", couriers: DEFAULT_COURIER_HANDOVERS };
      const same = (at: number) => {
        const c = warehouseClock(at);
        expect(dispatchFiguresOf(store.dispatchFacts(), c, cutoffs)).toEqual(
          dispatchFigures(store.byId.values(), c, cutoffs),
        );
        expect(courierLines(store.dispatchFacts(), at, cutoffs.couriers)).toEqual(
          courierClock(store.byId.values(), at, cutoffs.couriers),
        );
        expect(store.shortfalls()).toEqual(stockShortfalls(store.byId.values(), stockLevels(doc)));
      };
      same(NOW);
      const shortBefore = store.shortfalls().size;
      expect(shortBefore).toBeGreaterThan(0);

      // Another tablet chooses Royal Mail for some, dispatches one, holds one; one order is archived, one
      // arrives placed earliest of all (it gets the scarce stock first), and a delivery of mugs is counted in.
      const ids = [...store.byId.keys()];
      for (const id of ids.slice(0, 8)) writeOrder(doc, { orderId: id, service: rm });
      writeOrder(doc, { orderId: ids[3]!, state: "dispatched" });
      writeOrder(doc, { orderId: ids[5]!, state: "on_hold" });
      removeOrders(doc, [ids[9]!]);
      const early = makeOrder({ orderId: "202-0000000-0000001", state: "new", purchaseDate: NOW - 2 * DAY });
      upsertOrders(
        doc,
        [{ ...early, items: [{ ...early.items[0]!, sku: "CAP", quantityOrdered: 3 }] }],
        "import",
      );
      for (const at of [NOW, NOW + 3 * H, NOW + 6 * H]) same(at);
      // The sync chip's confirmations and the marketplace filter's list, kept per change too.
      writeOrder(doc, { orderId: ids[4]!, confirmation: { state: "failed", attempts: 3 } });
      writeOrder(doc, { orderId: ids[6]!, confirmation: { state: "pending", attempts: 1 } });
      writeOrder(doc, { orderId: ids[7]!, marketplaceId: "A13V1IB3VIYZZH" });
      const all = [...store.byId.values()];
      expect(store.tally()).toEqual({
        confirmationsPending: all.filter((o) => o.confirmation.state === "pending").length,
        confirmationsFailed: all.filter((o) => o.confirmation.state === "failed").length,
        marketplaces: new Map(
          [...new Set(all.map((o) => o.marketplaceId))].map((m) => [
            m,
            all.filter((o) => o.marketplaceId === m).length,
          ]),
        ),
      });
      expect(store.tally().confirmationsFailed).toBe(1);
      expect(store.tally().marketplaces.size).toBe(2);
      adjustStock(doc, "MUG", 12);
      same(NOW + 6 * H);
      expect(store.shortfalls().size).not.toBe(shortBefore);
      store.dispose();
      dispose();
    });
  });
});
