// Every metric in one pass over the orders, with plain number comparisons on epoch milliseconds.
//
// Seller-fulfilled (MFN) and Amazon-fulfilled (AFN) orders are never mixed: Amazon's account-health
// report has `orderDefectRate.mfn` and `.afn`, and late dispatch, pre-fulfilment cancellation, valid
// tracking and on-time delivery for seller-fulfilled orders only. So `mfn` holds every metric over
// MFN orders, and `afn` the Order Defect Rate of FBA orders, the one figure Amazon reports for them.
//
// Windows are whole UTC days, as Amazon's report draws them (see windows.ts). Which date puts an
// order or package in each window:
//  - Order Defect Rate (60 d), Perfect Order Percentage (90 d), refund rate (30 d): purchase date.
//    Defects count for the order's purchase date whenever they arrive (if they arrived by `now`).
//  - Refund rate: Amazon's definition is "refunded orders / all orders" (DOMAIN.md's metric table;
//    Amazon sets no target). It counts ORDERS: an order with two partial refunds, or a refund and a
//    return, is one refunded order, and the denominator is every MFN order of the window whether
//    refunded or not. Refunded = a refund Amazon reported (Finances), a returns label booked in
//    Consign (the return the refund follows: counted from the booking, not days later when the refund
//    posts), or a cancellation after dispatch confirmation (classify.ts: refundRecordedAt, isRefundedBy).
//  - Pre-fulfilment Cancellation Rate (7 d): purchase date; seller cancellations before any dispatch
//    confirmation only (buyer requests and Amazon's own cancellations excluded). A cancellation after
//    dispatch confirmation is a refund (refund rate, POP) and the order stays in late dispatch.
//  - Late Dispatch Rate (10 d, 30 d): ANCHOR = the order's latestShipDate falls in the window (the usual
//    reading of Amazon's pages, which do not name the anchor). Late = the last package's confirmation
//    reached Amazon after latestShipDate; an order not fully confirmed when its latestShipDate has
//    passed counts as late too (see classify.ts).
//  - Valid Tracking Rate (30 d): PACKAGES whose confirmation reached Amazon in the window. Valid = the
//    active label's number has its courier's format and was confirmed no later than the delivery.
//  - On-Time Delivery Rate (14 d): confirmed PACKAGES with a tracking number whose latestDeliveryDate
//    falls in the window; on time = delivered by latestDeliveryDate, and tracking confirmed by then
//    (tracking confirmed after delivery is not on time). Amazon judges each parcel from its carrier's
//    scans; we have those only once the room's tracking poll has heard from the courier. So a parcel
//    counts once we know how it went: delivered (a delivery scan), or its courier answered after the
//    latest delivery date without one (late). Until then it is "awaiting delivery data", counted
//    apart (`awaiting`), never as late: a seller whose couriers have not answered yet sees "no
//    delivery data yet", not 0%.
//  - A-to-z claims count against ODR unless denied, withdrawn or Amazon-funded; POP counts any claim.
//
// The loop inlines the rules of classify.ts; the tests hold the two, the ledger and a naive per-metric
// filter equal.

import type { Millis, Order, Shipment } from "../order.ts";
import { isValidTrackingNumber } from "../tracking.ts";
import { claimCountsAsDefect, refundRecordedAt } from "./classify.ts";
import { type DefectParts, METRIC_DEFINITIONS, type MetricId, type MetricResult } from "./definitions.ts";
import { metricStatus } from "./status.ts";
import { windowFrom } from "./windows.ts";

/** Every metric, seller-fulfilled and FBA apart. */
export interface AccountMetrics {
  /** Seller-fulfilled (MFN) orders and their packages: every metric. */
  mfn: Record<MetricId, MetricResult>;
  /** Fulfilled by Amazon (AFN): the Order Defect Rate, the one metric Amazon reports for FBA. */
  afn: { orderDefectRate: MetricResult };
}

export interface MetricCounts {
  numerator: number;
  denominator: number;
}

/** The counters every metric is built from; filled by computeMetrics and by the ledger alike. */
export interface MetricTally {
  odr: MetricCounts & DefectParts;
  afnOdr: MetricCounts & DefectParts;
  pcr: MetricCounts;
  ld10: MetricCounts;
  ld30: MetricCounts;
  vtr: MetricCounts;
  otd: MetricCounts & { awaiting: number };
  pop: MetricCounts;
  refund: MetricCounts;
}

/** The start of each metric's window at `now`. */
export interface MetricWindows {
  from7: Millis;
  from10: Millis;
  from14: Millis;
  from30: Millis;
  from60: Millis;
  from90: Millis;
}

export function windowsAt(now: Millis): MetricWindows {
  return {
    from7: windowFrom(now, 7),
    from10: windowFrom(now, 10),
    from14: windowFrom(now, 14),
    from30: windowFrom(now, 30),
    from60: windowFrom(now, 60),
    from90: windowFrom(now, 90),
  };
}

export function emptyTally(): MetricTally {
  const parts = () => ({ numerator: 0, denominator: 0, negativeFeedback: 0, claims: 0, chargebacks: 0 });
  const c = () => ({ numerator: 0, denominator: 0 });
  return {
    odr: parts(),
    afnOdr: parts(),
    pcr: c(),
    ld10: c(),
    ld30: c(),
    vtr: c(),
    otd: { ...c(), awaiting: 0 },
    pop: c(),
    refund: c(),
  };
}

/** Computes every metric at the instant `now` in one pass over `orders`. */
export function computeMetrics(orders: readonly Order[], now: Millis): AccountMetrics {
  const { from7, from10, from14, from30, from60, from90 } = windowsAt(now);
  const t = emptyTally();
  const count = orders.length;
  for (let i = 0; i < count; i++) {
    const o = orders[i]!;
    const purchased = o.purchaseDate;
    const d = o.defects;
    const negative = d?.negativeFeedbackAt !== undefined && d.negativeFeedbackAt <= now;
    const az = d?.azClaim;
    const claim = az !== undefined && az.at <= now;
    const claimCounts = claim && claimCountsAsDefect(az);
    const chargeback = d?.chargebackAt !== undefined && d.chargebackAt <= now;

    if (o.fulfilmentChannel !== "MFN") {
      if (purchased >= from60 && purchased <= now) tallyOdr(t.afnOdr, negative, claimCounts, chargeback);
      continue;
    }

    // When the order's parcels reached Amazon: the first (for cancellations) and the last (late dispatch).
    const packages = o.packages;
    let firstConfirmed: number | undefined;
    let dispatched: number | undefined;
    if (packages === undefined || packages.length === 0) {
      firstConfirmed = o.confirmation.confirmedAt;
      dispatched = firstConfirmed !== undefined && firstConfirmed <= now ? firstConfirmed : undefined;
      countPackage(
        t,
        o.confirmation.confirmedAt,
        o.deliveredAt,
        o.tracking?.checkedAt,
        o.shipments,
        o,
        now,
        from14,
        from30,
      );
    } else {
      let last = Number.NEGATIVE_INFINITY;
      let complete = true;
      for (const p of packages) {
        const at = p.confirmation.confirmedAt;
        if (at !== undefined && (firstConfirmed === undefined || at < firstConfirmed)) firstConfirmed = at;
        if (at === undefined || at > now) complete = false;
        else if (at > last) last = at;
        countPackage(t, at, p.deliveredAt, p.tracking?.checkedAt, p.shipments, o, now, from14, from30);
      }
      dispatched = complete ? last : undefined;
    }

    const cancelledAt = o.cancelledAt;
    const cancelled = o.cancelledBy !== undefined && cancelledAt !== undefined && cancelledAt <= now;
    const cancelledAfterDispatch = cancelled && firstConfirmed !== undefined && firstConfirmed <= cancelledAt;
    const cancelledBeforeDispatch = cancelled && !cancelledAfterDispatch;
    const latestShip = o.latestShipDate;
    const late =
      !cancelledBeforeDispatch && (dispatched !== undefined ? dispatched > latestShip : latestShip < now);

    if (!cancelledBeforeDispatch && latestShip >= from30 && latestShip <= now) {
      t.ld30.denominator++;
      if (late) t.ld30.numerator++;
      if (latestShip >= from10) {
        t.ld10.denominator++;
        if (late) t.ld10.numerator++;
      }
    }

    if (purchased < from90 || purchased > now) continue;
    const refundAt = refundRecordedAt(d);
    const refunded = (refundAt !== undefined && refundAt <= now) || cancelledAfterDispatch;
    const message = d?.buyerMessageAt !== undefined && d.buyerMessageAt <= now;
    t.pop.denominator++;
    if (!(negative || claim || chargeback || cancelled || late || refunded || message)) t.pop.numerator++;
    if (purchased < from60) continue;
    tallyOdr(t.odr, negative, claimCounts, chargeback);
    if (purchased < from30) continue;
    t.refund.denominator++;
    if (refunded) t.refund.numerator++;
    if (purchased < from7) continue;
    t.pcr.denominator++;
    if (cancelledBeforeDispatch && o.cancelledBy === "seller" && !buyerAsked(o)) t.pcr.numerator++;
  }
  return metricsFromTally(t, now);
}

function tallyOdr(
  c: MetricCounts & DefectParts,
  negative: boolean,
  claimCounts: boolean,
  chargeback: boolean,
): void {
  c.denominator++;
  if (negative || claimCounts || chargeback) c.numerator++;
  if (negative) c.negativeFeedback++;
  if (claimCounts) c.claims++;
  if (chargeback) c.chargebacks++;
}

/** One confirmed parcel of an MFN order, in valid tracking and on-time delivery. */
function countPackage(
  t: MetricTally,
  confirmedAt: number | undefined,
  deliveredAt: number | undefined,
  trackedAt: number | undefined,
  shipments: readonly Shipment[],
  o: Order,
  now: Millis,
  from14: Millis,
  from30: Millis,
): void {
  if (confirmedAt === undefined || confirmedAt > now) return;
  const latestDelivery = o.latestDeliveryDate;
  const inTracking = confirmedAt >= from30;
  const inDelivery = latestDelivery !== undefined && latestDelivery >= from14 && latestDelivery <= now;
  if (!inTracking && !inDelivery) return;
  let numbered = false;
  for (let s = shipments.length - 1; s >= 0; s--) {
    const shipment = shipments[s]!;
    if (shipment.voidedAt === undefined) {
      numbered = isValidTrackingNumber(shipment.courier, shipment.trackingNumber);
      break;
    }
  }
  const delivered = deliveredAt !== undefined && deliveredAt <= now;
  const trackedAfterDelivery = delivered && deliveredAt < confirmedAt;
  if (inTracking) {
    t.vtr.denominator++;
    if (numbered && !trackedAfterDelivery) t.vtr.numerator++;
  }
  if (inDelivery && numbered) {
    // Known: delivered, or the courier answered after the latest delivery date without a delivery.
    const known = delivered || (trackedAt !== undefined && trackedAt <= now && trackedAt >= latestDelivery);
    if (!known) {
      t.otd.awaiting++;
      return;
    }
    t.otd.denominator++;
    if (delivered && deliveredAt <= latestDelivery && !trackedAfterDelivery) t.otd.numerator++;
  }
}

function buyerAsked(o: Order): boolean {
  if (o.buyerCancellationRequested === true) return true;
  for (const item of o.items) if (item.cancellationRequested === true) return true;
  return false;
}

/** Builds every metric's result from the tally at `now`. */
export function metricsFromTally(t: MetricTally, now: Millis): AccountMetrics {
  const mfn = (metric: MetricId, c: MetricCounts) => result(metric, "MFN", now, c.numerator, c.denominator);
  const odr = (channel: "MFN" | "AFN", c: MetricCounts & DefectParts) => ({
    ...result("orderDefectRate", channel, now, c.numerator, c.denominator),
    parts: { negativeFeedback: c.negativeFeedback, claims: c.claims, chargebacks: c.chargebacks },
  });
  return {
    mfn: {
      orderDefectRate: odr("MFN", t.odr),
      preFulfilmentCancellationRate: mfn("preFulfilmentCancellationRate", t.pcr),
      lateDispatchRate10: mfn("lateDispatchRate10", t.ld10),
      lateDispatchRate30: mfn("lateDispatchRate30", t.ld30),
      validTrackingRate: mfn("validTrackingRate", t.vtr),
      onTimeDeliveryRate: { ...mfn("onTimeDeliveryRate", t.otd), awaitingDeliveryData: t.otd.awaiting },
      perfectOrderPercentage: mfn("perfectOrderPercentage", t.pop),
      refundRate: mfn("refundRate", t.refund),
    },
    afn: { orderDefectRate: odr("AFN", t.afnOdr) },
  };
}

/** Builds one seller-fulfilled metric's result from its counts at `now`. */
export function metricResult(metric: MetricId, now: Millis, counts: MetricCounts): MetricResult {
  return result(metric, "MFN", now, counts.numerator, counts.denominator);
}

function result(
  metric: MetricId,
  channel: "MFN" | "AFN",
  now: Millis,
  numerator: number,
  denominator: number,
): MetricResult {
  const def = METRIC_DEFINITIONS[metric];
  return {
    metric,
    channel,
    windowDays: def.windowDays,
    from: windowFrom(now, def.windowDays),
    to: now,
    numerator,
    denominator,
    rate: denominator === 0 ? null : numerator / denominator,
    target: def.targetBp === null ? null : def.targetBp / 10_000,
    comparator: def.comparator,
    status: metricStatus(numerator, denominator, def.targetBp, def.comparator),
  };
}

/** The metrics as a list in a stable order (for display): seller-fulfilled first, then FBA. */
export function metricList(metrics: AccountMetrics): MetricResult[] {
  return [...Object.values(metrics.mfn), metrics.afn.orderDefectRate];
}

/** A key unique across channels, e.g. "MFN:lateDispatchRate10" (a metric id alone is not). */
export function metricKey(r: Pick<MetricResult, "metric" | "channel">): string {
  return `${r.channel}:${r.metric}`;
}
