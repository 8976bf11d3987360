// Hand-computed fixtures for the rules of issue 14 (DOMAIN.md, "Amazon's customer metrics"): the
// expected numbers were worked out on paper before the code ran. Every case is checked in both
// engines: the one pass over orders and the ledger the metrics worker keeps.

import { describe, expect, it } from "vitest";
import type { ClaimOutcome, Order, OrderPackage } from "../order.ts";
import { DAY_MS, SECOND_MS } from "../time.ts";
import { type AccountMetrics, computeMetrics } from "./compute.ts";
import { confirmed, daysAgo, NOW, order } from "./fixtures.test-helpers.ts";
import { MetricLedger } from "./ledger.ts";
import { windowFrom } from "./windows.ts";

/** Both engines, held equal; returns the one-pass result. */
function metrics(orders: Order[], now = NOW): AccountMetrics {
  const fast = computeMetrics(orders, now);
  expect(MetricLedger.from(orders).metricsAt(now)).toEqual(fast);
  return fast;
}

const parcel = (
  ref: string,
  confirmedAt: number | undefined,
  deliveredAt?: number,
  trackingNumber = "GQ660548056GB",
): OrderPackage => ({
  packageReferenceId: ref,
  items: [{ orderItemId: "11111111111111", quantity: 1 }],
  shipments: [
    {
      id: `s${ref}`,
      courier: "royal-mail",
      serviceCode: "TPN24",
      trackingNumber,
      amazonCarrierCode: "Royal Mail",
      boughtAt: 0,
    },
  ],
  confirmation:
    confirmedAt === undefined
      ? { state: "none", attempts: 0 }
      : { state: "confirmed", confirmedAt, attempts: 1 },
  ...(deliveredAt === undefined ? {} : { deliveredAt }),
});

describe("a seller with FBA and seller-fulfilled orders", () => {
  // 60 own-despatch orders over the last 60 days, one with an A-to-z claim granted to the buyer:
  // 1 / 60 = 1.67%, a breach of the 1% target. 200 clean FBA orders must not dilute it to 0.38%.
  const own = Array.from({ length: 60 }, (_, i) =>
    confirmed(daysAgo(i * 0.9 + 0.5), {
      purchaseDate: daysAgo(i * 0.9 + 0.6),
      ...(i === 7 ? { defects: { azClaim: { at: daysAgo(1), denied: false, outcome: "granted" } } } : {}),
    }),
  );
  const fba = Array.from({ length: 200 }, (_, i) =>
    order({
      fulfilmentChannel: "AFN",
      purchaseDate: daysAgo(i * 0.25 + 0.1),
      // FBA orders' ship dates pass without any confirmation from the seller: never late dispatch
      latestShipDate: daysAgo(i * 0.25),
      ...(i === 3 ? { defects: { negativeFeedbackAt: daysAgo(0.05) } } : {}),
    }),
  );
  const m = metrics([...own, ...fba]);

  it("shows the seller-fulfilled ODR at 1.67% (breach), whatever the FBA orders", () => {
    expect(m.mfn.orderDefectRate).toMatchObject({
      channel: "MFN",
      numerator: 1,
      denominator: 60,
      status: "breaching",
      parts: { negativeFeedback: 0, claims: 1, chargebacks: 0 },
    });
    expect(m.mfn.orderDefectRate.rate).toBeCloseTo(0.016667, 6);
  });

  it("reports FBA's ODR apart: 1 negative feedback in 200 orders, 0.5%", () => {
    expect(m.afn.orderDefectRate).toMatchObject({
      channel: "AFN",
      numerator: 1,
      denominator: 200,
      rate: 0.005,
      status: "healthy",
      parts: { negativeFeedback: 1, claims: 0, chargebacks: 0 },
    });
  });

  it("counts no FBA order in late dispatch, cancellation, tracking, delivery, POP or refunds", () => {
    // own orders confirmed a day before their deadline (none late): latest ship date 0.9·i − 0.5 days ago.
    // 10 whole UTC days reach back to 00:00 on 16 Nov (9.5 days): i = 1..11 (i = 0's deadline is still to come)
    expect(m.mfn.lateDispatchRate10).toMatchObject({ numerator: 0, denominator: 11 });
    // purchase 0.6 + 0.9·i days ago within 6.5 days: i = 0..6
    expect(m.mfn.preFulfilmentCancellationRate.denominator).toBe(7);
    // confirmed 0.5 + 0.9·i days ago within 29.5 days: i = 0..32
    expect(m.mfn.validTrackingRate.denominator).toBe(33);
    expect(m.mfn.perfectOrderPercentage).toMatchObject({ numerator: 59, denominator: 60 });
    expect(m.mfn.refundRate.denominator).toBe(33);
  });
});

describe("a cancellation after dispatch confirmation", () => {
  // Purchased 4 days ago, latest ship date 3 days ago, confirmed 2 days ago (late), seller cancels yesterday.
  const afterDispatch = confirmed(daysAgo(2), {
    purchaseDate: daysAgo(4),
    latestShipDate: daysAgo(3),
    state: "cancelled",
    cancelledBy: "seller",
    cancelledAt: daysAgo(1),
  });
  // The same order cancelled by the seller before anything was confirmed.
  const beforeDispatch = order({
    purchaseDate: daysAgo(4),
    latestShipDate: daysAgo(3),
    state: "cancelled",
    cancelledBy: "seller",
    cancelledAt: daysAgo(3.5),
  });

  it("is a refund, not a pre-fulfilment cancellation, and stays late in late dispatch", () => {
    const m = metrics([afterDispatch]);
    expect(m.mfn.preFulfilmentCancellationRate).toMatchObject({ numerator: 0, denominator: 1 });
    expect(m.mfn.lateDispatchRate10).toMatchObject({ numerator: 1, denominator: 1 });
    expect(m.mfn.refundRate).toMatchObject({ numerator: 1, denominator: 1 });
    expect(m.mfn.perfectOrderPercentage).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it("before dispatch it is a cancellation and leaves late dispatch", () => {
    const m = metrics([beforeDispatch]);
    expect(m.mfn.preFulfilmentCancellationRate).toMatchObject({ numerator: 1, denominator: 1 });
    expect(m.mfn.lateDispatchRate10).toMatchObject({ numerator: 0, denominator: 0, rate: null });
    expect(m.mfn.refundRate).toMatchObject({ numerator: 0, denominator: 1 });
  });

  it("is judged at the instant asked: before the cancellation it is just a late order", () => {
    const m = metrics([afterDispatch], daysAgo(1.5));
    expect(m.mfn.refundRate).toMatchObject({ numerator: 0, denominator: 1 });
    expect(m.mfn.lateDispatchRate10).toMatchObject({ numerator: 1, denominator: 1 });
  });
});

describe("tracking confirmed after the parcel was delivered", () => {
  const ldd = daysAgo(1);
  // Delivered 3 days ago, its tracking confirmed a day later: neither valid tracking nor on time.
  const after = confirmed(daysAgo(2), { latestDeliveryDate: ldd, deliveredAt: daysAgo(3) });
  // Confirmed 3 days ago, delivered 2 days ago: valid, on time.
  const before = confirmed(daysAgo(3), { latestDeliveryDate: ldd, deliveredAt: daysAgo(2) });
  // Confirmed in the same millisecond it was delivered: not after, so valid and on time.
  const same = confirmed(daysAgo(2), { latestDeliveryDate: ldd, deliveredAt: daysAgo(2) });

  it("counts neither as valid tracking nor as delivered on time", () => {
    const m = metrics([after, before, same]);
    expect(m.mfn.validTrackingRate).toMatchObject({ numerator: 2, denominator: 3 });
    expect(m.mfn.onTimeDeliveryRate).toMatchObject({ numerator: 2, denominator: 3 });
  });
});

describe("an order sent in two parcels", () => {
  // Latest delivery date 2 days ago. Parcel 1 delivered 3 days ago (on time), parcel 2 yesterday (late).
  const twoParcels = order({
    purchaseDate: daysAgo(7),
    latestShipDate: daysAgo(5),
    latestDeliveryDate: daysAgo(2),
    state: "confirmed",
    packages: [parcel("1", daysAgo(6), daysAgo(3)), parcel("2", daysAgo(6), daysAgo(1))],
  });

  it("counts each parcel in valid tracking and on-time delivery: one late parcel of two is 50%", () => {
    const m = metrics([twoParcels]);
    expect(m.mfn.validTrackingRate).toMatchObject({ numerator: 2, denominator: 2 });
    expect(m.mfn.onTimeDeliveryRate).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5 });
    // the order itself counts once in the order metrics
    expect(m.mfn.lateDispatchRate10).toMatchObject({ numerator: 0, denominator: 1 });
    expect(m.mfn.orderDefectRate.denominator).toBe(1);
  });

  it("counts a parcel without a valid number against valid tracking, and keeps it out of on-time delivery", () => {
    const bad = {
      ...twoParcels,
      orderId: "202-0000000-9999999",
      packages: [parcel("1", daysAgo(6), daysAgo(3)), parcel("2", daysAgo(6), daysAgo(3), "GQ660548057GB")],
    };
    const m = metrics([bad]);
    expect(m.mfn.validTrackingRate).toMatchObject({ numerator: 1, denominator: 2 });
    expect(m.mfn.onTimeDeliveryRate).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it("is dispatched late when its second parcel is confirmed after the latest ship date", () => {
    const secondLate = order({
      purchaseDate: daysAgo(7),
      latestShipDate: daysAgo(5),
      state: "confirmed",
      packages: [parcel("1", daysAgo(6)), parcel("2", daysAgo(5) + SECOND_MS)],
    });
    const secondMissing = order({
      purchaseDate: daysAgo(7),
      latestShipDate: daysAgo(5),
      state: "dispatched",
      packages: [parcel("1", daysAgo(6)), parcel("2", undefined)],
    });
    const m = metrics([secondLate, secondMissing]);
    expect(m.mfn.lateDispatchRate10).toMatchObject({ numerator: 2, denominator: 2 });
    // only the three confirmed parcels are in valid tracking
    expect(m.mfn.validTrackingRate).toMatchObject({ numerator: 3, denominator: 3 });
  });
});

describe("A-to-z claim outcomes", () => {
  const claim = (outcome: ClaimOutcome | undefined, denied = false) =>
    confirmed(daysAgo(10), {
      purchaseDate: daysAgo(11),
      defects: { azClaim: { at: daysAgo(5), denied, ...(outcome ? { outcome } : {}) } },
    });
  const orders = [
    claim("open"), // counts
    claim("granted"), // counts
    claim("denied", true), // does not
    claim("withdrawn"), // does not: the buyer withdrew it
    claim("amazon_funded"), // does not: Buy Shipping claims protection
    claim(undefined, false), // recorded before outcomes existed, not denied: counts
    claim(undefined, true), // recorded before outcomes existed, denied: does not
  ];
  const m = metrics(orders);

  it("counts open and granted claims against ODR, not denied, withdrawn or Amazon-funded ones", () => {
    expect(m.mfn.orderDefectRate).toMatchObject({
      numerator: 3,
      denominator: 7,
      parts: { negativeFeedback: 0, claims: 3, chargebacks: 0 },
    });
  });

  it("still counts every claim as imperfect in the Perfect Order Percentage", () => {
    expect(m.mfn.perfectOrderPercentage).toMatchObject({ numerator: 0, denominator: 7 });
  });
});

describe("windows as Amazon's report draws them (whole UTC days)", () => {
  const from60 = Date.UTC(2026, 8, 27); // 60 days ending 25 Nov: 27 Sep 00:00 UTC
  const onEdge = order({ purchaseDate: from60, defects: { chargebackAt: daysAgo(1) } });
  const secondBefore = order({ purchaseDate: from60 - SECOND_MS, defects: { chargebackAt: daysAgo(1) } });

  it("starts at 00:00:00 UTC of the first day, to the second", () => {
    expect(windowFrom(NOW, 60)).toBe(from60);
    const m = metrics([onEdge, secondBefore]);
    expect(m.mfn.orderDefectRate).toMatchObject({ numerator: 1, denominator: 1, from: from60, to: NOW });
  });

  it("holds an order until the last millisecond of the day and drops it at midnight UTC", () => {
    const lastMs = Date.UTC(2026, 10, 25, 23, 59, 59, 999);
    expect(metrics([onEdge], lastMs).mfn.orderDefectRate.denominator).toBe(1);
    expect(metrics([onEdge], lastMs + 1).mfn.orderDefectRate.denominator).toBe(0);
  });

  it("is whole days across the October clock change (BST ended 25 Oct 2026)", () => {
    const at = Date.UTC(2026, 10, 10, 9, 30); // 10 Nov, 30 days back crosses 25 Oct
    const m = metrics([], at);
    expect(m.mfn.lateDispatchRate30.from).toBe(Date.UTC(2026, 9, 12));
    expect((at - m.mfn.lateDispatchRate30.from) / DAY_MS).toBeCloseTo(29 + 9.5 / 24, 9);
    // and across the March one (BST began 29 Mar 2026)
    const spring = Date.UTC(2026, 3, 2, 0, 0, 1);
    expect(metrics([], spring).mfn.lateDispatchRate10.from).toBe(Date.UTC(2026, 2, 24));
  });
});
