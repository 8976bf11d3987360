import { countViews, warehouseClock } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { initialiseGeneration, removeOrders, upsertOrders, writeOrder } from "@consign/sync";
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
