import { describe, expect, it } from "vitest";
import { naiveMetrics } from "../testing/naive.ts";
import { DAY_MS, SECOND_MS } from "../time.ts";
import { mergeDefects } from "./classify.ts";
import { computeMetrics, metricList } from "./compute.ts";
import { confirmed, daysAgo, NOW, order } from "./fixtures.test-helpers.ts";
import { MetricLedger } from "./ledger.ts";
import { windowFrom } from "./windows.ts";

describe("late dispatch rate (anchored on latestShipDate)", () => {
  // 10 whole UTC days ending today: from 00:00 UTC on 16 Nov 2026 (NOW is 25 Nov 12:00 UTC)
  const lsdEdge = windowFrom(NOW, 10);
  const orders = [
    // exactly on the 10-day edge, confirmed one second late: in both windows, late
    confirmed(lsdEdge + SECOND_MS, { latestShipDate: lsdEdge }),
    // one millisecond before the 10-day edge: only in the 30-day window, on time
    confirmed(daysAgo(11), { latestShipDate: lsdEdge - 1 }),
    // confirmed at the deadline itself: on time
    confirmed(daysAgo(2), { latestShipDate: daysAgo(2) }),
    // unconfirmed, deadline passed yesterday: counts as late
    order({ state: "printed", latestShipDate: daysAgo(1) }),
    // deadline is right now and not confirmed: in the window, not late yet
    order({ state: "ready", latestShipDate: NOW }),
    // deadline tomorrow: not in any window
    order({ state: "new", latestShipDate: NOW + DAY_MS }),
    // cancelled by the buyer: excluded
    order({ state: "cancelled", cancelledBy: "buyer", cancelledAt: daysAgo(4), latestShipDate: daysAgo(3) }),
    // fulfilled by Amazon: excluded
    order({ fulfilmentChannel: "AFN", latestShipDate: daysAgo(3) }),
  ];
  const m = computeMetrics(orders, NOW);

  it("counts a confirmation one second after the deadline as late, and unconfirmed overdue orders too", () => {
    expect(m.mfn.lateDispatchRate10).toMatchObject({
      numerator: 2,
      denominator: 4,
      rate: 0.5,
      status: "breaching",
    });
  });

  it("keeps an order exactly on the window edge and drops one a millisecond before it", () => {
    expect(m.mfn.lateDispatchRate30).toMatchObject({ numerator: 2, denominator: 5, rate: 0.4 });
    expect(m.mfn.lateDispatchRate10.from).toBe(lsdEdge);
    expect(m.mfn.lateDispatchRate10.to).toBe(NOW);
  });
});

describe("pre-fulfilment cancellation rate", () => {
  const orders = [
    order({ purchaseDate: daysAgo(1), state: "cancelled", cancelledBy: "seller", cancelledAt: daysAgo(1) }),
    order({ purchaseDate: daysAgo(1), state: "cancelled", cancelledBy: "buyer", cancelledAt: daysAgo(1) }),
    order({
      purchaseDate: daysAgo(2),
      state: "cancelled",
      cancelledBy: "seller",
      cancelledAt: daysAgo(1),
      buyerCancellationRequested: true,
    }),
    order({
      purchaseDate: daysAgo(2),
      state: "cancelled",
      cancelledBy: "seller",
      cancelledAt: daysAgo(1),
      items: [
        {
          orderItemId: "1",
          sku: "A",
          asin: "B",
          title: "T",
          quantityOrdered: 1,
          quantityShipped: 0,
          cancellationRequested: true,
        },
      ],
    }),
    order({ purchaseDate: daysAgo(3), state: "cancelled", cancelledBy: "amazon", cancelledAt: daysAgo(1) }),
    order({ purchaseDate: windowFrom(NOW, 7) }), // exactly on the edge (00:00 UTC, 19 Nov): counted
    order({
      purchaseDate: windowFrom(NOW, 7) - 1,
      state: "cancelled",
      cancelledBy: "seller",
      cancelledAt: daysAgo(6),
    }), // outside
    order({
      purchaseDate: daysAgo(1),
      fulfilmentChannel: "AFN",
      state: "cancelled",
      cancelledBy: "seller",
      cancelledAt: daysAgo(1),
    }),
  ];

  it("counts seller cancellations only, never buyer requests, over MFN orders placed in 7 days", () => {
    const m = computeMetrics(orders, NOW);
    expect(m.mfn.preFulfilmentCancellationRate).toMatchObject({
      numerator: 1,
      denominator: 6,
      windowDays: 7,
    });
    expect(m.mfn.preFulfilmentCancellationRate.rate).toBeCloseTo(1 / 6, 12);
  });

  it("does not count a cancellation that happens after the instant asked about", () => {
    const later = order({
      purchaseDate: daysAgo(1),
      state: "cancelled",
      cancelledBy: "seller",
      cancelledAt: NOW + 1,
    });
    expect(computeMetrics([later], NOW).mfn.preFulfilmentCancellationRate).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
  });
});

describe("order defect rate (by purchase date)", () => {
  const orders = [
    order({ purchaseDate: daysAgo(59), defects: { negativeFeedbackAt: daysAgo(1) } }),
    order({ purchaseDate: daysAgo(30), defects: { azClaim: { at: daysAgo(20), denied: true } } }),
    order({ purchaseDate: daysAgo(30), defects: { azClaim: { at: daysAgo(20), denied: false } } }),
    order({
      purchaseDate: daysAgo(10),
      defects: { chargebackAt: daysAgo(2), negativeFeedbackAt: daysAgo(3) },
    }),
    order({ purchaseDate: daysAgo(61), defects: { negativeFeedbackAt: daysAgo(50) } }), // outside
    order({ purchaseDate: daysAgo(5), defects: { negativeFeedbackAt: NOW + DAY_MS } }), // not yet known
    order({ purchaseDate: windowFrom(NOW, 60) }), // on the edge: 00:00 UTC, 27 Sep
    order({ purchaseDate: windowFrom(NOW, 60) - 1, defects: { chargebackAt: daysAgo(50) } }), // a ms before it
    order({ purchaseDate: daysAgo(1) }),
    order({ purchaseDate: daysAgo(2), fulfilmentChannel: "AFN" }),
  ];

  it("counts each defective order once, ignores denied claims, and keeps FBA orders apart", () => {
    const m = computeMetrics(orders, NOW);
    expect(m.afn.orderDefectRate).toMatchObject({ numerator: 0, denominator: 1, channel: "AFN" });
    expect(m.mfn.orderDefectRate).toMatchObject({
      numerator: 3,
      denominator: 7,
      rate: 3 / 7,
      parts: { negativeFeedback: 2, claims: 1, chargebacks: 1 },
      target: 0.01,
      comparator: "below",
      status: "breaching",
    });
  });
});

describe("valid tracking rate", () => {
  const orders = [
    confirmed(daysAgo(1)),
    confirmed(daysAgo(2), {}, "royal-mail", "GQ660548057GB"), // wrong check digit
    confirmed(windowFrom(NOW, 30), {}, "dpd", "15501234567890"), // on the edge: 00:00 UTC, 27 Oct
    confirmed(windowFrom(NOW, 30) - 1), // a millisecond before it
    confirmed(daysAgo(3), {
      // voided valid label, then an active one that is one character short
      shipments: [
        {
          id: "a",
          courier: "royal-mail",
          serviceCode: "X",
          trackingNumber: "GQ660548056GB",
          amazonCarrierCode: "Royal Mail",
          boughtAt: 0,
          voidedAt: 1,
        },
        {
          id: "b",
          courier: "evri",
          serviceCode: "X",
          trackingNumber: "H01ABC012345678",
          amazonCarrierCode: "Hermes UK",
          boughtAt: 2,
        },
      ],
    }),
    confirmed(daysAgo(31)), // outside
    order({ state: "printed" }), // not confirmed
  ];

  it("counts packages confirmed in 30 days whose active label has a valid number", () => {
    expect(computeMetrics(orders, NOW).mfn.validTrackingRate).toMatchObject({
      numerator: 2,
      denominator: 4,
      rate: 0.5,
      comparator: "above",
      status: "breaching",
    });
  });
});

describe("on-time delivery rate", () => {
  const ldd = daysAgo(3);
  const orders = [
    confirmed(daysAgo(6), { latestDeliveryDate: ldd, deliveredAt: ldd - DAY_MS }),
    confirmed(daysAgo(6), { latestDeliveryDate: ldd, deliveredAt: ldd }), // on the dot: on time
    confirmed(daysAgo(6), { latestDeliveryDate: ldd, deliveredAt: ldd + SECOND_MS }), // a second late
    // not delivered, and its courier said so on the latest delivery date itself: late
    confirmed(daysAgo(6), { latestDeliveryDate: ldd, tracking: { checkedAt: ldd, status: "in_transit" } }),
    // not delivered, courier last heard a millisecond before the latest delivery date: no data yet
    confirmed(daysAgo(6), {
      latestDeliveryDate: ldd,
      tracking: { checkedAt: ldd - 1, status: "in_transit" },
    }),
    confirmed(daysAgo(6), { latestDeliveryDate: ldd }), // never heard from its courier: no data yet
    confirmed(daysAgo(6), { latestDeliveryDate: ldd, deliveredAt: ldd }, "dpd", "123"), // no valid tracking
    confirmed(daysAgo(20), { latestDeliveryDate: daysAgo(15), deliveredAt: daysAgo(16) }), // outside
  ];

  it("counts packages with valid tracking whose latest delivery date is in 14 days, once their delivery is known", () => {
    expect(computeMetrics(orders, NOW).mfn.onTimeDeliveryRate).toMatchObject({
      numerator: 2,
      denominator: 4,
      rate: 0.5,
      awaitingDeliveryData: 2,
    });
    expect(MetricLedger.from(orders).metricsAt(NOW).mfn.onTimeDeliveryRate).toMatchObject({
      numerator: 2,
      denominator: 4,
      awaitingDeliveryData: 2,
    });
  });

  it("says no delivery data yet (no rate, not 0%) while no courier has answered for any parcel", () => {
    const waiting = [
      confirmed(daysAgo(6), { latestDeliveryDate: ldd }),
      confirmed(daysAgo(6), {
        latestDeliveryDate: ldd,
        tracking: { checkedAt: daysAgo(5), status: "in_transit" },
      }),
    ];
    expect(computeMetrics(waiting, NOW).mfn.onTimeDeliveryRate).toMatchObject({
      numerator: 0,
      denominator: 0,
      rate: null,
      status: "no_data",
      awaitingDeliveryData: 2,
    });
  });
});

describe("refund rate: refunded orders / all orders, as Amazon counts them", () => {
  // Each order counts once however it was refunded; returns booked in Consign count from the booking.
  const twoPartialRefunds = mergeDefects(
    mergeDefects(undefined, { refundedAt: daysAgo(4) }),
    { refundedAt: daysAgo(1) }, // a second, partial refund posted later: the first time is kept
  );
  const orders = [
    confirmed(daysAgo(8), { purchaseDate: daysAgo(9), defects: twoPartialRefunds }),
    confirmed(daysAgo(8), { purchaseDate: daysAgo(9), defects: { returnedAt: daysAgo(3) } }), // returned in Consign
    confirmed(daysAgo(8), {
      purchaseDate: daysAgo(9),
      defects: mergeDefects({ returnedAt: daysAgo(6) }, { refundedAt: daysAgo(2) }), // returned, then refunded
    }),
    confirmed(daysAgo(8), { purchaseDate: daysAgo(9) }), // kept by the buyer
    confirmed(daysAgo(8), { purchaseDate: daysAgo(9), defects: { returnedAt: NOW + DAY_MS } }), // not yet
    confirmed(daysAgo(8), {
      purchaseDate: daysAgo(9),
      fulfilmentChannel: "AFN",
      defects: { refundedAt: daysAgo(2) },
    }),
    confirmed(daysAgo(40), { purchaseDate: daysAgo(41), defects: { returnedAt: daysAgo(2) } }), // bought before the 30 days
  ];

  it("counts 3 of 5 seller-fulfilled orders: two refunds on one order, a return, and a return then its refund", () => {
    const m = computeMetrics(orders, NOW);
    expect(m.mfn.refundRate).toMatchObject({ numerator: 3, denominator: 5, rate: 0.6 });
    // The ledger the app's metrics worker keeps, and the naive count, say the same.
    expect(MetricLedger.from(orders).metricsAt(NOW).mfn.refundRate).toMatchObject({
      numerator: 3,
      denominator: 5,
    });
    expect(naiveMetrics(orders, NOW).refundRate).toEqual({ numerator: 3, denominator: 5 });
  });

  it("keeps the first refund's time, so the order stays refunded in the days it already was", () => {
    expect(twoPartialRefunds.refundedAt).toBe(daysAgo(4));
    const threeDaysAgo = computeMetrics(orders, daysAgo(3));
    // Three days ago: the first order (refunded 4 days ago), and the returns booked 6 and 3 days ago.
    expect(threeDaysAgo.mfn.refundRate).toMatchObject({ numerator: 3 });
    const fiveDaysAgo = computeMetrics(orders, daysAgo(5));
    expect(fiveDaysAgo.mfn.refundRate).toMatchObject({ numerator: 1 }); // only the return of 6 days ago
  });
});

describe("refund rate and perfect order percentage", () => {
  const orders = [
    confirmed(daysAgo(5), { purchaseDate: daysAgo(6), defects: { refundedAt: daysAgo(2) } }), // refund after dispatch
    confirmed(daysAgo(5), { purchaseDate: daysAgo(6), defects: { buyerMessageAt: daysAgo(5) } }),
    confirmed(daysAgo(5), {
      purchaseDate: daysAgo(6),
      defects: { azClaim: { at: daysAgo(1), denied: true } },
    }),
    confirmed(daysAgo(5), { purchaseDate: daysAgo(6) }),
    confirmed(daysAgo(40), { purchaseDate: daysAgo(41) }), // POP only
    order({ purchaseDate: daysAgo(91), defects: { refundedAt: daysAgo(80) } }), // outside both
  ];
  const m = computeMetrics(orders, NOW);

  it("counts a refund on a dispatched order by its purchase date", () => {
    expect(m.mfn.refundRate).toMatchObject({
      numerator: 1,
      denominator: 4,
      rate: 0.25,
      target: null,
      status: "healthy",
    });
  });

  it("treats refunds, buyer messages and even denied claims as imperfect", () => {
    expect(m.mfn.perfectOrderPercentage).toMatchObject({
      numerator: 2,
      denominator: 5,
      rate: 0.4,
      windowDays: 90,
    });
  });

  it("treats late dispatch and cancellation as imperfect", () => {
    const late = confirmed(daysAgo(2), { purchaseDate: daysAgo(5), latestShipDate: daysAgo(3) });
    const cancelled = order({
      purchaseDate: daysAgo(5),
      state: "cancelled",
      cancelledBy: "buyer",
      cancelledAt: daysAgo(4),
    });
    expect(computeMetrics([late, cancelled], NOW).mfn.perfectOrderPercentage).toMatchObject({
      numerator: 0,
      denominator: 2,
    });
  });
});

describe("empty windows", () => {
  it("gives rate null and status no_data, never 0 or NaN", () => {
    for (const orders of [[], [order({ purchaseDate: daysAgo(200), latestShipDate: daysAgo(199) })]]) {
      for (const r of metricList(computeMetrics(orders, NOW))) {
        expect(r.rate, r.metric).toBeNull();
        expect(r.status, r.metric).toBe("no_data");
        expect(r.denominator).toBe(0);
      }
    }
  });
});

describe("status against the target", () => {
  const lateOf = (late: number, total: number) => {
    const orders = [];
    for (let i = 0; i < total; i++) {
      orders.push(confirmed(daysAgo(2) + (i < late ? SECOND_MS : 0), { latestShipDate: daysAgo(2) }));
    }
    return computeMetrics(orders, NOW).mfn.lateDispatchRate10.status;
  };
  it("breaches at exactly 4% late, is at risk from 3% (75% of the target), healthy below", () => {
    expect(lateOf(4, 100)).toBe("breaching");
    expect(lateOf(3, 100)).toBe("at_risk");
    expect(lateOf(2, 100)).toBe("healthy");
    expect(lateOf(0, 100)).toBe("healthy");
  });
  it("for a floor target, breaches at exactly 95% valid and is at risk at or below 96.25%", () => {
    const vtr = (valid: number, total: number) => {
      const orders = [];
      for (let i = 0; i < total; i++) {
        orders.push(confirmed(daysAgo(2), {}, "royal-mail", i < valid ? "GQ660548056GB" : "GQ660548057GB"));
      }
      return computeMetrics(orders, NOW).mfn.validTrackingRate.status;
    };
    expect(vtr(95, 100)).toBe("breaching");
    expect(vtr(385, 400)).toBe("at_risk"); // 96.25%
    expect(vtr(97, 100)).toBe("healthy");
  });
});
