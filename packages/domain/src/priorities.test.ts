import { describe, expect, it } from "vitest";
import { computeMetrics } from "./metrics/compute.ts";
import { confirmed, daysAgo, NOW, order } from "./metrics/fixtures.test-helpers.ts";
import { metricHeadroom, projectLateDispatch, rankUnshipped } from "./priorities.ts";
import { DAY_MS, HOUR_MS } from "./time.ts";

describe("what to do first", () => {
  it("ranks unshipped orders by time left, overdue first, and leaves shipped ones out", () => {
    const a = order({ orderId: "a", latestShipDate: NOW + 5 * HOUR_MS });
    const b = order({ orderId: "b", latestShipDate: NOW - 2 * HOUR_MS, state: "printed" });
    const c = order({ orderId: "c", latestShipDate: NOW + HOUR_MS, state: "on_hold" });
    const d = confirmed(daysAgo(1), { orderId: "d" });
    const e = order({ orderId: "e", latestShipDate: NOW - 9 * HOUR_MS });
    const ranked = rankUnshipped([a, b, c, d, e], NOW);
    expect(ranked.map((r) => r.order.orderId)).toEqual(["e", "b", "c", "a"]);
    expect(ranked.map((r) => r.overdue)).toEqual([true, true, false, false]);
    expect(ranked[0]?.msLeft).toBe(-9 * HOUR_MS);
  });

  it("says how many more late dispatches breach 4% (1 late of 50: 3 more make 4 of 53 = 7.5%… of 10 days)", () => {
    // 1 late out of 50 on-time-or-late in the 10-day window. k more late orders joining:
    // (1+k)/(50+k) ≥ 4%  ⇔  k ≥ (0.04·50 − 1)/0.96 = 1.04  →  k = 2
    const orders = [confirmed(daysAgo(2) + 1, { latestShipDate: daysAgo(2) })];
    for (let i = 0; i < 49; i++) orders.push(confirmed(daysAgo(3), { latestShipDate: daysAgo(2) }));
    const headroom = metricHeadroom(computeMetrics(orders, NOW));
    const ld10 = headroom.find((h) => h.metric === "lateDispatchRate10")!;
    expect(ld10).toMatchObject({ breachesAfter: 2, canAbsorb: 1, alreadyBreaching: false });
    expect(ld10.sentence).toBe("2 more late dispatches in the 10-day window breach 4%.");
    const odr = headroom.find((h) => h.metric === "orderDefectRate")!;
    // ODR: 0 defects of 50 orders; defects land on existing orders: k/50 ≥ 1% → k = 1
    expect(odr.sentence).toBe("1 more order defect in the 60-day window breaches 1%.");
    expect(headroom.some((h) => h.metric === "refundRate")).toBe(false);
  });

  it("says plainly when a metric already breaches", () => {
    const orders = [confirmed(daysAgo(2) + 1, { latestShipDate: daysAgo(2) })];
    const ld10 = metricHeadroom(computeMetrics(orders, NOW)).find((h) => h.metric === "lateDispatchRate10")!;
    expect(ld10).toMatchObject({ breachesAfter: 0, alreadyBreaching: true });
    expect(ld10.sentence).toBe("Late Dispatch Rate over 10 days is 100%: it breaches 4% now.");
  });

  it("projects the 10-day late dispatch rate if today's orders miss", () => {
    const orders = [];
    for (let i = 0; i < 18; i++) orders.push(confirmed(daysAgo(3), { latestShipDate: daysAgo(2) }));
    const dueToday = [
      order({ orderId: "t1", latestShipDate: NOW + 3 * HOUR_MS }),
      order({ orderId: "t2", latestShipDate: NOW + 4 * HOUR_MS }),
    ];
    const all = [...orders, ...dueToday];
    const p = projectLateDispatch(all, dueToday, NOW, 10);
    // 0 late of 18 now; both join late: 2 of 20 = 10%
    expect(p).toMatchObject({
      currentRate: 0,
      numerator: 2,
      denominator: 20,
      projectedRate: 0.1,
      newlyLate: 2,
    });
    expect(p.sentence).toBe("If these 2 orders miss today, the 10-day late dispatch rate goes to 10%.");
  });

  it("does not count twice an order already late in the window", () => {
    const overdue = order({ orderId: "o", latestShipDate: NOW - DAY_MS });
    const p = projectLateDispatch([overdue], [overdue], NOW, 30);
    expect(p).toMatchObject({ numerator: 1, denominator: 1, newlyLate: 0 });
    expect(p.sentence).toBe("If this order misses today, the 30-day late dispatch rate goes to 100%.");
  });
});
