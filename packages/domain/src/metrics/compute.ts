// Every metric in one pass over the orders, with plain number comparisons on epoch milliseconds.
//
// Which date puts an order in each window (all windows are [now − days, now], both ends inclusive):
//  - Order Defect Rate (60 d), Perfect Order Percentage (90 d), refund rate (30 d): purchase date.
//    Defects count for the order's purchase date whenever they arrive (if they arrived by `now`).
//  - Pre-fulfilment Cancellation Rate (7 d): purchase date; MFN only; seller cancellations only
//    (buyer requests and Amazon's own cancellations excluded).
//  - Late Dispatch Rate (10 d, 30 d): ANCHOR = the order's latestShipDate falls in the window (the usual
//    reading of Amazon's pages, which do not name the anchor). MFN only, cancelled orders excluded.
//    Late = confirmation.confirmedAt after latestShipDate; an order unconfirmed when its latestShipDate
//    has passed counts as late too (see classify.ts).
//  - Valid Tracking Rate (30 d): packages whose confirmation reached Amazon in the window; MFN only.
//  - On-Time Delivery Rate (14 d): packages whose latestDeliveryDate falls in the window and that have a
//    valid tracking number; delivered on time = deliveredAt ≤ latestDeliveryDate; MFN only.
//
// The loop inlines the rules of classify.ts; the tests hold the two (and a naive per-metric filter) equal.

import type { Millis, Order } from "../order.ts";
import { DAY_MS } from "../time.ts";
import { isValidTrackingNumber } from "../tracking.ts";
import { METRIC_DEFINITIONS, type MetricId, type MetricResult } from "./definitions.ts";
import { metricStatus } from "./status.ts";

export type AccountMetrics = Record<MetricId, MetricResult>;

export interface MetricCounts {
  numerator: number;
  denominator: number;
}

/** Computes every metric at the instant `now` in one pass over `orders`. */
export function computeMetrics(orders: readonly Order[], now: Millis): AccountMetrics {
  const from7 = now - 7 * DAY_MS;
  const from10 = now - 10 * DAY_MS;
  const from14 = now - 14 * DAY_MS;
  const from30 = now - 30 * DAY_MS;
  const from60 = now - 60 * DAY_MS;
  const from90 = now - 90 * DAY_MS;

  let odrN = 0;
  let odrD = 0;
  let pcrN = 0;
  let pcrD = 0;
  let ld10N = 0;
  let ld10D = 0;
  let ld30N = 0;
  let ld30D = 0;
  let vtrN = 0;
  let vtrD = 0;
  let otdN = 0;
  let otdD = 0;
  let popN = 0;
  let popD = 0;
  let refN = 0;
  let refD = 0;

  const count = orders.length;
  for (let i = 0; i < count; i++) {
    const o = orders[i]!;
    const purchased = o.purchaseDate;
    const mfn = o.fulfilmentChannel === "MFN";
    const latestShip = o.latestShipDate;
    const latestDelivery = o.latestDeliveryDate;
    const inPurchaseWindow = purchased >= from90 && purchased <= now;
    const inShipWindow = mfn && latestShip >= from30 && latestShip <= now;
    const confirmedAt = o.confirmation.confirmedAt;
    const confirmed = confirmedAt !== undefined && confirmedAt <= now;
    const inTrackingWindow = mfn && confirmed && confirmedAt >= from30;
    const inDeliveryWindow =
      mfn && confirmed && latestDelivery !== undefined && latestDelivery >= from14 && latestDelivery <= now;
    if (!inPurchaseWindow && !inShipWindow && !inTrackingWindow && !inDeliveryWindow) continue;

    const cancelledAt = o.cancelledAt;
    const cancelled = o.cancelledBy !== undefined && cancelledAt !== undefined && cancelledAt <= now;
    const late = mfn && !cancelled && (confirmed ? confirmedAt > latestShip : latestShip < now);

    if (inShipWindow && !cancelled) {
      ld30D++;
      if (late) ld30N++;
      if (latestShip >= from10) {
        ld10D++;
        if (late) ld10N++;
      }
    }

    if (inTrackingWindow || inDeliveryWindow) {
      let valid = false;
      const shipments = o.shipments;
      for (let s = shipments.length - 1; s >= 0; s--) {
        const shipment = shipments[s]!;
        if (shipment.voidedAt === undefined) {
          valid = isValidTrackingNumber(shipment.courier, shipment.trackingNumber);
          break;
        }
      }
      if (inTrackingWindow) {
        vtrD++;
        if (valid) vtrN++;
      }
      if (inDeliveryWindow && valid) {
        otdD++;
        const delivered = o.deliveredAt;
        if (delivered !== undefined && delivered <= latestDelivery && delivered <= now) otdN++;
      }
    }

    if (!inPurchaseWindow) continue;
    let negative = false;
    let claim = false;
    let claimCounts = false;
    let chargeback = false;
    let refunded = false;
    let message = false;
    const d = o.defects;
    if (d !== undefined) {
      negative = d.negativeFeedbackAt !== undefined && d.negativeFeedbackAt <= now;
      const az = d.azClaim;
      if (az !== undefined && az.at <= now) {
        claim = true;
        claimCounts = !az.denied;
      }
      chargeback = d.chargebackAt !== undefined && d.chargebackAt <= now;
      refunded = d.refundedAt !== undefined && d.refundedAt <= now;
      message = d.buyerMessageAt !== undefined && d.buyerMessageAt <= now;
    }

    popD++;
    if (!(negative || claim || chargeback || cancelled || late || refunded || message)) popN++;
    if (purchased < from60) continue;
    odrD++;
    if (negative || claimCounts || chargeback) odrN++;
    if (purchased < from30) continue;
    refD++;
    if (refunded) refN++;
    if (purchased < from7 || !mfn) continue;
    pcrD++;
    if (cancelled && o.cancelledBy === "seller" && !buyerAsked(o)) pcrN++;
  }

  return {
    orderDefectRate: result("orderDefectRate", now, odrN, odrD),
    preFulfilmentCancellationRate: result("preFulfilmentCancellationRate", now, pcrN, pcrD),
    lateDispatchRate10: result("lateDispatchRate10", now, ld10N, ld10D),
    lateDispatchRate30: result("lateDispatchRate30", now, ld30N, ld30D),
    validTrackingRate: result("validTrackingRate", now, vtrN, vtrD),
    onTimeDeliveryRate: result("onTimeDeliveryRate", now, otdN, otdD),
    perfectOrderPercentage: result("perfectOrderPercentage", now, popN, popD),
    refundRate: result("refundRate", now, refN, refD),
  };
}

function buyerAsked(o: Order): boolean {
  if (o.buyerCancellationRequested === true) return true;
  for (const item of o.items) if (item.cancellationRequested === true) return true;
  return false;
}

/** Builds one metric's result from its counts at `now`. */
export function metricResult(metric: MetricId, now: Millis, counts: MetricCounts): MetricResult {
  return result(metric, now, counts.numerator, counts.denominator);
}

function result(metric: MetricId, now: Millis, numerator: number, denominator: number): MetricResult {
  const def = METRIC_DEFINITIONS[metric];
  return {
    metric,
    windowDays: def.windowDays,
    from: now - def.windowDays * DAY_MS,
    to: now,
    numerator,
    denominator,
    rate: denominator === 0 ? null : numerator / denominator,
    target: def.targetBp === null ? null : def.targetBp / 10_000,
    comparator: def.comparator,
    status: metricStatus(numerator, denominator, def.targetBp, def.comparator),
  };
}

/** The metrics as a list in a stable order (for display). */
export function metricList(metrics: AccountMetrics): MetricResult[] {
  return Object.values(metrics);
}
