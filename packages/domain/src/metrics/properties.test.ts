import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CancelledBy, ClaimOutcome, Order, OrderPackage } from "../order.ts";
import { generateOrders, makeOrder, naiveMetrics } from "../testing/generate.ts";
import { DAY_MS } from "../time.ts";
import { lateDispatchStatus } from "./classify.ts";
import { computeMetrics, metricList } from "./compute.ts";
import { METRIC_IDS } from "./definitions.ts";
import { MetricLedger } from "./ledger.ts";

const NOW = Date.UTC(2026, 10, 25, 12);

/** Times clustered on window edges: k half-days from now, nudged by −1, 0 or +1 ms. */
const edgeTime = fc
  .tuple(fc.integer({ min: -190, max: 4 }), fc.constantFrom(-1, 0, 1))
  .map(([halfDays, nudge]) => NOW + halfDays * (DAY_MS / 2) + nudge);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const label = (valid: boolean, boughtAt: number) => ({
  id: "s",
  courier: "royal-mail" as const,
  serviceCode: "TPN24",
  trackingNumber: valid ? "GQ660548056GB" : "GQ660548057GB",
  amazonCarrierCode: "Royal Mail",
  boughtAt,
});

/** A parcel of a multi-parcel order: its own confirmation, delivery and label. */
const arbitraryParcel: fc.Arbitrary<Omit<OrderPackage, "packageReferenceId">> = fc
  .record({
    confirmedAt: maybe(edgeTime),
    deliveredAt: maybe(edgeTime),
    trackedAt: maybe(edgeTime),
    valid: fc.boolean(),
  })
  .map((p) => ({
    items: [{ orderItemId: "11111111111111", quantity: 1 }],
    shipments: [label(p.valid, 0)],
    confirmation:
      p.confirmedAt === undefined
        ? { state: "none" as const, attempts: 0 }
        : { state: "confirmed" as const, confirmedAt: p.confirmedAt, attempts: 1 },
    ...(p.deliveredAt === undefined ? {} : { deliveredAt: p.deliveredAt }),
    ...(p.trackedAt === undefined
      ? {}
      : { tracking: { checkedAt: p.trackedAt, status: "in_transit" as const } }),
  }));

const arbitraryOrder: fc.Arbitrary<Order> = fc
  .record({
    n: fc.integer({ min: 0, max: 1e9 }),
    purchaseDate: edgeTime,
    latestShipDate: edgeTime,
    latestDeliveryDate: maybe(edgeTime),
    confirmedAt: maybe(edgeTime),
    deliveredAt: maybe(edgeTime),
    trackedAt: maybe(edgeTime),
    cancelledBy: maybe(fc.constantFrom<CancelledBy>("buyer", "seller", "amazon")),
    cancelledAt: edgeTime,
    buyerAsked: fc.boolean(),
    afn: fc.boolean(),
    validTracking: fc.boolean(),
    negativeFeedbackAt: maybe(edgeTime),
    claim: maybe(
      fc.record({
        at: edgeTime,
        denied: fc.boolean(),
        outcome: maybe(
          fc.constantFrom<ClaimOutcome>("open", "granted", "denied", "withdrawn", "amazon_funded"),
        ),
      }),
    ),
    parcels: fc.oneof(
      fc.constant<Omit<OrderPackage, "packageReferenceId">[]>([]),
      fc.array(arbitraryParcel, { minLength: 2, maxLength: 3 }),
    ),
    chargebackAt: maybe(edgeTime),
    refundedAt: maybe(edgeTime),
    buyerMessageAt: maybe(edgeTime),
  })
  .map((r) =>
    makeOrder({
      orderId: `202-${r.n}`,
      purchaseDate: r.purchaseDate,
      latestShipDate: r.latestShipDate,
      latestDeliveryDate: r.latestDeliveryDate,
      fulfilmentChannel: r.afn ? "AFN" : "MFN",
      buyerCancellationRequested: r.buyerAsked,
      ...(r.cancelledBy
        ? { state: "cancelled" as const, cancelledBy: r.cancelledBy, cancelledAt: r.cancelledAt }
        : {}),
      confirmation:
        r.confirmedAt === undefined
          ? { state: "none", attempts: 0 }
          : { state: "confirmed", confirmedAt: r.confirmedAt, attempts: 1 },
      deliveredAt: r.deliveredAt,
      ...(r.trackedAt === undefined
        ? {}
        : { tracking: { checkedAt: r.trackedAt, status: "in_transit" as const } }),
      shipments: [label(r.validTracking, r.purchaseDate)],
      ...(r.parcels.length > 0
        ? { packages: r.parcels.map((p, i) => ({ ...p, packageReferenceId: String(i + 1) })) }
        : {}),
      defects: {
        negativeFeedbackAt: r.negativeFeedbackAt,
        azClaim: r.claim,
        chargebackAt: r.chargebackAt,
        refundedAt: r.refundedAt,
        buyerMessageAt: r.buyerMessageAt,
      },
    }),
  );

function counts(m: ReturnType<typeof computeMetrics>) {
  const c = (r: { numerator: number; denominator: number }) => ({
    numerator: r.numerator,
    denominator: r.denominator,
  });
  return {
    ...Object.fromEntries(METRIC_IDS.map((id) => [id, c(m.mfn[id])])),
    afnOrderDefectRate: c(m.afn.orderDefectRate),
  };
}

describe("metric properties", () => {
  it("keeps every rate within [0, 1] or null, and agrees with the naive filters and the ledger", () => {
    fc.assert(
      fc.property(fc.array(arbitraryOrder, { maxLength: 60 }), (drawn) => {
        // one row per order id in the ledger: give each drawn order its own
        const orders = drawn.map((o, i) => ({ ...o, orderId: `202-${i}` }));
        const fast = computeMetrics(orders, NOW);
        for (const r of metricList(fast)) {
          if (r.denominator === 0) expect(r.rate).toBeNull();
          else expect(r.rate! >= 0 && r.rate! <= 1).toBe(true);
          expect(r.numerator).toBeLessThanOrEqual(r.denominator);
        }
        expect(counts(fast)).toEqual(naiveMetrics(orders, NOW));
        expect(MetricLedger.from(orders).metricsAt(NOW)).toEqual(fast);
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with the naive filters on generated accounts at any instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -20, max: 5 }), (seed, shiftDays) => {
        const orders = generateOrders(150, { seed, now: NOW });
        const at = NOW + shiftDays * DAY_MS;
        expect(counts(computeMetrics(orders, at))).toEqual(naiveMetrics(orders, at));
      }),
      { numRuns: 40 },
    );
  });

  it("never lowers the late dispatch rate when a late order is added", () => {
    fc.assert(
      fc.property(fc.array(arbitraryOrder, { maxLength: 40 }), arbitraryOrder, (orders, extra) => {
        fc.pre(lateDispatchStatus(extra, NOW) === "late");
        const before = computeMetrics(orders, NOW);
        const after = computeMetrics([...orders, extra], NOW);
        for (const key of ["lateDispatchRate10", "lateDispatchRate30"] as const) {
          if (before.mfn[key].rate !== null && after.mfn[key].rate !== null) {
            expect(after.mfn[key].rate).toBeGreaterThanOrEqual(before.mfn[key].rate!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the ledger right through upserts and removals", () => {
    const orders = generateOrders(300, { seed: 9, now: NOW });
    const ledger = MetricLedger.from(orders.slice(0, 200));
    for (const o of orders.slice(200)) ledger.upsert(o);
    for (const o of orders.slice(0, 50)) ledger.remove(o.orderId);
    const changed = orders
      .slice(50, 60)
      .map((o) => ({ ...o, defects: { negativeFeedbackAt: o.purchaseDate + 1 } }));
    for (const o of changed) ledger.upsert(o);
    const expected = [...changed, ...orders.slice(60)];
    expect(ledger.size).toBe(expected.length);
    expect(ledger.metricsAt(NOW)).toEqual(computeMetrics(expected, NOW));
  });
});
