// Per-order facts the metrics count, one order at a time. The one-pass engine in compute.ts inlines the
// same rules for speed; these readable versions serve the priorities, projections and tests.

import type { Millis, Order, Shipment } from "../order.ts";
import { isValidTrackingNumber } from "../tracking.ts";

/** Cancelled (by anyone) at or before `now`. */
export function isCancelledBy(order: Order, now: Millis): boolean {
  return order.cancelledBy !== undefined && order.cancelledAt !== undefined && order.cancelledAt <= now;
}

/** The moment Amazon accepted the dispatch confirmation, if it had by `now`. */
export function confirmedAtBy(order: Order, now: Millis): Millis | undefined {
  const at = order.confirmation.confirmedAt;
  return at !== undefined && at <= now ? at : undefined;
}

/**
 * Late dispatch, as Amazon counts it: the confirmation reached Amazon after the latest ship date.
 * Choice: an MFN order still unconfirmed when its latest ship date has passed is late too (it will be,
 * whenever it is confirmed); a cancelled order is never late (it is not dispatched at all).
 * "pending": not late yet, the deadline has not passed. "excluded": AFN or cancelled.
 */
export function lateDispatchStatus(order: Order, now: Millis): "late" | "on_time" | "pending" | "excluded" {
  if (order.fulfilmentChannel !== "MFN" || isCancelledBy(order, now)) return "excluded";
  const confirmedAt = confirmedAtBy(order, now);
  if (confirmedAt !== undefined) return confirmedAt > order.latestShipDate ? "late" : "on_time";
  return order.latestShipDate < now ? "late" : "pending";
}

/** Seller cancellations count against the seller; buyer requests (on the order or any item) do not. */
export function isSellerCancellation(order: Order, now: Millis): boolean {
  return isCancelledBy(order, now) && order.cancelledBy === "seller" && !buyerAskedToCancel(order);
}

export function buyerAskedToCancel(order: Order): boolean {
  if (order.buyerCancellationRequested === true) return true;
  for (const item of order.items) if (item.cancellationRequested === true) return true;
  return false;
}

/** Negative feedback, an A-to-z claim Amazon did not deny, or a chargeback, known by `now`. */
export function hasOrderDefect(order: Order, now: Millis): boolean {
  const d = order.defects;
  if (d === undefined) return false;
  return (
    (d.negativeFeedbackAt !== undefined && d.negativeFeedbackAt <= now) ||
    (d.azClaim !== undefined && !d.azClaim.denied && d.azClaim.at <= now) ||
    (d.chargebackAt !== undefined && d.chargebackAt <= now)
  );
}

export function isRefundedBy(order: Order, now: Millis): boolean {
  const at = order.defects?.refundedAt;
  return at !== undefined && at <= now;
}

/** Perfect: none of negative feedback, any A-to-z claim, chargeback, cancellation, late dispatch, refund, buyer message. */
export function isPerfectOrder(order: Order, now: Millis): boolean {
  const d = order.defects;
  if (d !== undefined) {
    if (d.negativeFeedbackAt !== undefined && d.negativeFeedbackAt <= now) return false;
    if (d.azClaim !== undefined && d.azClaim.at <= now) return false;
    if (d.chargebackAt !== undefined && d.chargebackAt <= now) return false;
    if (d.refundedAt !== undefined && d.refundedAt <= now) return false;
    if (d.buyerMessageAt !== undefined && d.buyerMessageAt <= now) return false;
  }
  if (isCancelledBy(order, now)) return false;
  return lateDispatchStatus(order, now) !== "late";
}

/** The newest label not voided: the package Amazon tracks. */
export function trackedShipment(order: Order): Shipment | undefined {
  const list = order.shipments;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = list[i]!;
    if (s.voidedAt === undefined) return s;
  }
  return undefined;
}

export function hasValidTracking(order: Order): boolean {
  const s = trackedShipment(order);
  return s !== undefined && isValidTrackingNumber(s.courier, s.trackingNumber);
}
