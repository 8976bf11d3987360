import { countViews, warehouseClock } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { initialiseGeneration, removeOrders, upsertOrders, writeOrder } from "@consign/sync";
import { createRoot } from "solid-js";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
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
