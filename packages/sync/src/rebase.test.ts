import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { DAY_MS, makeOrder } from "../test/fixtures.ts";
import { removeOrders, selectForArchive } from "./archive.ts";
import { listOrders, readOrder, setWork, upsertOrders } from "./orders.ts";
import {
  carryUnsyncedEdits,
  documentGeneration,
  documentHealth,
  initialiseGeneration,
  rebaseDocument,
  shouldRebase,
} from "./rebase.ts";
import { createConsignDoc } from "./schema.ts";
import { adjustStock, stockLevel } from "./stock.ts";

const NOW = Date.UTC(2026, 3, 10, 12);

describe("a bounded live document", () => {
  it("selects for the archive only orders closed more than keepDays ago", () => {
    const doc = createConsignDoc();
    upsertOrders(
      doc,
      [
        makeOrder("203-0000001-0000001", NOW - 9 * DAY_MS, {
          state: "confirmed",
          dispatchedAt: NOW - 5 * DAY_MS,
          confirmation: { state: "confirmed", attempts: 1, confirmedAt: NOW - 5 * DAY_MS },
        }),
        makeOrder("203-0000001-0000002", NOW - 9 * DAY_MS, {
          state: "confirmed",
          confirmation: { state: "confirmed", attempts: 1, confirmedAt: NOW - DAY_MS },
        }),
        makeOrder("203-0000001-0000003", NOW - 9 * DAY_MS, {
          state: "dispatched",
          dispatchedAt: NOW - 8 * DAY_MS,
        }),
        makeOrder("203-0000001-0000004", NOW - 9 * DAY_MS, {
          state: "cancelled",
          cancelledAt: NOW - 4 * DAY_MS,
        }),
        makeOrder("203-0000001-0000005", NOW - 30 * DAY_MS, { state: "new" }),
      ],
      "import",
    );
    const ids = selectForArchive(doc, NOW, 3).map((o) => o.orderId);
    expect(ids.sort()).toEqual(["203-0000001-0000001", "203-0000001-0000004"]);
    setWork(doc, "203-0000001-0000001", { notes: "left at porch" });
    expect(removeOrders(doc, ids)).toBe(2);
    expect(listOrders(doc).map((o) => o.orderId)).toHaveLength(3);
    expect(doc.getMap("work").has("203-0000001-0000001/notes")).toBe(false);
  });

  it("rebases into a fresh generation with the same values and no tombstones", () => {
    const doc = createConsignDoc();
    initialiseGeneration(doc, "g1");
    const orders = Array.from({ length: 3000 }, (_, i) => makeOrder(`203-0000002-${i}`, NOW));
    upsertOrders(doc, orders, "import");
    for (const o of orders) setWork(doc, o.orderId, { notes: "a" });
    for (const o of orders) setWork(doc, o.orderId, { notes: "b" });
    removeOrders(
      doc,
      orders.slice(0, 2000).map((o) => o.orderId),
    );
    adjustStock(doc, "MUG", 40, { counterId: "room" });
    expect(shouldRebase(documentHealth(doc))).toBe(true);
    const fresh = rebaseDocument(doc, "g2");
    expect(documentGeneration(fresh)).toBe("g2");
    expect(documentHealth(fresh).tombstones).toBe(0);
    expect(shouldRebase(documentHealth(fresh))).toBe(false);
    expect(listOrders(fresh)).toEqual(listOrders(doc));
    expect(stockLevel(fresh, "MUG")).toBe(40);
    expect(Y.encodeStateAsUpdate(fresh).byteLength).toBeLessThan(Y.encodeStateAsUpdate(doc).byteLength);
  });

  it("carries a device's offline edits into the new generation, and nothing it had already sent", () => {
    const room = createConsignDoc();
    initialiseGeneration(room, "g1");
    upsertOrders(room, [makeOrder("203-0000003-1", NOW), makeOrder("203-0000003-2", NOW)], "import");
    adjustStock(room, "MUG", 10, { counterId: "room" });
    const device = createConsignDoc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(room));
    setWork(device, "203-0000003-1", { notes: "sent before the rebase" });
    Y.applyUpdate(room, Y.encodeStateAsUpdate(device, Y.encodeStateVector(room)));
    // The device goes offline and keeps working while the room rebases and moves on.
    setWork(device, "203-0000003-2", { notes: "written offline" });
    adjustStock(device, "MUG", -3, { counterId: "tab-7" });
    const next = rebaseDocument(room, "g2");
    setWork(next, "203-0000003-1", { notes: "changed in g2 after the rebase" });
    const fresh = createConsignDoc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(next));
    const result = carryUnsyncedEdits(device, fresh);
    expect(result.carried).toBe(2);
    expect(readOrder(fresh, "203-0000003-1")?.notes).toBe("changed in g2 after the rebase");
    expect(readOrder(fresh, "203-0000003-2")?.notes).toBe("written offline");
    expect(stockLevel(fresh, "MUG")).toBe(7);
  });

  it("carries nothing from a copy two generations old", () => {
    const room = createConsignDoc();
    initialiseGeneration(room, "g1");
    const device = createConsignDoc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(room));
    const g3 = rebaseDocument(rebaseDocument(room, "g2"), "g3");
    expect(carryUnsyncedEdits(device, g3)).toEqual({ carried: 0, skipped: expect.stringMatching(/older/) });
  });
});
