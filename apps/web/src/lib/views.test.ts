import { describe, expect, it } from "vitest";
import { warehouseClock } from "./clock.ts";
import { testOrder } from "./test-orders.ts";
import {
  checkBatch,
  countViews,
  dispatchFigures,
  inView,
  matchesFilters,
  NO_FILTERS,
  rowAction,
  shipBy,
} from "./views.ts";

const now = Date.UTC(2025, 10, 26, 12); // Wed 26 Nov 2025, 12:00 in London
const clock = warehouseClock(now);
const H = 3_600_000;

describe("order views", () => {
  it("puts late and due-today unshipped orders in Due today, not tomorrow's", () => {
    expect(inView(testOrder({ latestShipDate: now - H }), "due_today", clock)).toBe(true);
    expect(inView(testOrder({ latestShipDate: now + 5 * H }), "due_today", clock)).toBe(true);
    expect(inView(testOrder({ latestShipDate: now + 13 * H }), "due_today", clock)).toBe(false);
    expect(inView(testOrder({ latestShipDate: now - H, state: "dispatched" }), "due_today", clock)).toBe(
      false,
    );
  });

  it("lists a refused confirmation under Needs attention", () => {
    const o = testOrder({
      state: "dispatched",
      confirmation: { state: "failed", attempts: 3, error: "bad tracking" },
    });
    expect(inView(o, "attention", clock)).toBe(true);
    expect(countViews([o, testOrder()], clock)).toMatchObject({
      attention: 1,
      all: 2,
      printed_unconfirmed: 1,
    });
  });

  it("buckets ship-by as overdue, today, tomorrow", () => {
    expect(shipBy(testOrder({ latestShipDate: now - 1 }), clock)).toBe("overdue");
    expect(shipBy(testOrder({ latestShipDate: now + H }), clock)).toBe("today");
    expect(shipBy(testOrder({ latestShipDate: now + 20 * H }), clock)).toBe("tomorrow");
    expect(
      matchesFilters(testOrder({ latestShipDate: now + 20 * H }), { ...NO_FILTERS, shipBy: "today" }, clock),
    ).toBe(false);
    expect(matchesFilters(testOrder({ isPrime: true }), { ...NO_FILTERS, prime: true }, clock)).toBe(true);
  });
});

describe("batch check before buying labels", () => {
  it("says how many are ready and which are left out", () => {
    const orders = [
      testOrder({ package: { weightGrams: 300 } }),
      testOrder({ package: { weightGrams: 300 } }),
      testOrder(),
      testOrder({ state: "on_hold", package: { weightGrams: 100 } }),
    ];
    const check = checkBatch(orders);
    expect(check.ready).toHaveLength(2);
    expect(check.sentence).toBe("4 selected: 2 ready · 1 missing weight · 1 on hold (left out)");
  });

  it("leaves out a Jersey order whose SKU has no customs data, until the data is there", () => {
    const base = testOrder({ package: { weightGrams: 300 } });
    const jersey = testOrder({
      package: { weightGrams: 300 },
      recipient: { ...base.recipient!, city: "St Helier", postcode: "JE2 4ST" },
    });
    expect(checkBatch([base, jersey]).sentence).toBe(
      "2 selected: 1 ready · 1 missing customs data (left out)",
    );
    const skuCustoms = Object.fromEntries(
      jersey.items.map((i) => [
        i.sku,
        { description: "Ceramic mug", hsCode: "6912002310", originCountry: "GB", unitValue: 5 },
      ]),
    );
    expect(checkBatch([base, jersey], { skuWeights: {}, packagingGrams: 0, skuCustoms }).ready).toHaveLength(
      2,
    );
  });
});

describe("dispatch clock", () => {
  it("counts what must leave today and how much of it is late", () => {
    const orders = [
      testOrder({ latestShipDate: now - H }),
      testOrder({ latestShipDate: now + H }),
      testOrder({ latestShipDate: now + 30 * H }),
      testOrder({ latestShipDate: now - H, state: "confirmed" }),
    ];
    // The one due at 13:00 leaves with the 17:00 collection: after its ship-by.
    expect(dispatchFigures(orders, clock)).toEqual({ left: 2, late: 1, missCollection: 1 });
  });

  it("counts the orders due today that the next collection no longer reaches once the cut-off has gone", () => {
    // 12:00 in London: a 17:00 cut-off is still to come, an 11:00 one has gone (tomorrow's is next).
    const dueTonight = testOrder({ latestShipDate: now + 6 * H });
    const orders = [dueTonight, testOrder({ latestShipDate: now - H })];
    expect(dispatchFigures(orders, clock, "17:00")).toEqual({ left: 2, late: 1, missCollection: 0 });
    expect(dispatchFigures(orders, clock, "11:00")).toEqual({ left: 2, late: 1, missCollection: 1 });
  });
});

describe("the action on a row", () => {
  it("offers the one next step for where the order stands, and nothing once it is done", () => {
    expect(rowAction(testOrder({ state: "new" }))?.kind).toBe("buy");
    expect(rowAction(testOrder({ state: "ready" }))?.label).toBe("Buy & print");
    expect(rowAction(testOrder({ state: "on_hold" }))?.kind).toBe("release");
    expect(rowAction(testOrder({ state: "printed" }))?.kind).toBe("dispatch");
    expect(
      rowAction(
        testOrder({ state: "printed", confirmation: { state: "confirmed", attempts: 1, confirmedAt: now } }),
      ),
    ).toBeNull();
    expect(rowAction(testOrder({ state: "confirmed" }))).toBeNull();
    expect(rowAction(testOrder({ state: "cancelled" }))).toBeNull();
  });

  it("puts a buyer's cancellation request before buying a label", () => {
    const asked = testOrder({
      state: "ready",
      buyerCancellationRequested: true,
      cancellationRequestReason: "Ordered by mistake",
    });
    expect(rowAction(asked)?.kind).toBe("review");
  });
});
