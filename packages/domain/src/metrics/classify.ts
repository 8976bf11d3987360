// Per-order and per-package facts the metrics count, one at a time. The one-pass engine in compute.ts
// and the ledger inline the same rules for speed; these readable versions serve the priorities,
// projections and tests. Sources for each rule: /work/shared/DOMAIN.md, "Amazon's customer metrics".

import type { AzClaim, Millis, Order, OrderDefects, OrderPackage, Shipment } from "../order.ts";
import { activeShipmentOf, dispatchCompletedAt, firstConfirmedAt, packagesOf } from "../packages.ts";
import { isValidTrackingNumber } from "../tracking.ts";

/** Cancelled (by anyone) at or before `now`. */
export function isCancelledBy(order: Order, now: Millis): boolean {
  return order.cancelledBy !== undefined && order.cancelledAt !== undefined && order.cancelledAt <= now;
}

/**
 * Cancelled after Amazon had a dispatch confirmation for it (of any of its parcels). Amazon treats
 * that as a refund, not a pre-fulfilment cancellation, and the order stays in late dispatch.
 */
export function isCancelledAfterDispatch(order: Order, now: Millis): boolean {
  if (!isCancelledBy(order, now)) return false;
  const shipped = firstConfirmedAt(order);
  return shipped !== undefined && shipped <= order.cancelledAt!;
}

/** Cancelled by `now` before any dispatch confirmation: the kind of cancellation Amazon calls one. */
export function isCancelledBeforeDispatch(order: Order, now: Millis): boolean {
  return isCancelledBy(order, now) && !isCancelledAfterDispatch(order, now);
}

/** The moment Amazon had the confirmation of every parcel, if it had by `now`. */
export function confirmedAtBy(order: Order, now: Millis): Millis | undefined {
  return dispatchCompletedAt(order, now);
}

/**
 * Late dispatch, as Amazon counts it: the confirmation reached Amazon after the latest ship date
 * (for several parcels, the last of them). An MFN order still unconfirmed when its latest ship date
 * has passed is late too (it will be, whenever it is confirmed); an order cancelled before dispatch
 * is never late; one cancelled after dispatch still counts.
 * "pending": not late yet, the deadline has not passed. "excluded": AFN or cancelled before dispatch.
 */
export function lateDispatchStatus(order: Order, now: Millis): "late" | "on_time" | "pending" | "excluded" {
  if (order.fulfilmentChannel !== "MFN" || isCancelledBeforeDispatch(order, now)) return "excluded";
  const confirmedAt = confirmedAtBy(order, now);
  if (confirmedAt !== undefined) return confirmedAt > order.latestShipDate ? "late" : "on_time";
  return order.latestShipDate < now ? "late" : "pending";
}

/** Seller cancellations before dispatch count against the seller; buyer requests (on the order or any item) do not. */
export function isSellerCancellation(order: Order, now: Millis): boolean {
  return (
    isCancelledBeforeDispatch(order, now) && order.cancelledBy === "seller" && !buyerAskedToCancel(order)
  );
}

export function buyerAskedToCancel(order: Order): boolean {
  if (order.buyerCancellationRequested === true) return true;
  for (const item of order.items) if (item.cancellationRequested === true) return true;
  return false;
}

/** A claim counts against ODR unless Amazon denied it, the buyer withdrew it, or Amazon funded it. */
export function claimCountsAsDefect(claim: AzClaim): boolean {
  if (claim.outcome !== undefined) return claim.outcome === "open" || claim.outcome === "granted";
  return !claim.denied;
}

/** Negative feedback, an A-to-z claim that counts, or a chargeback, known by `now`. */
export function hasOrderDefect(order: Order, now: Millis): boolean {
  const d = order.defects;
  if (d === undefined) return false;
  return (
    (d.negativeFeedbackAt !== undefined && d.negativeFeedbackAt <= now) ||
    (d.azClaim !== undefined && claimCountsAsDefect(d.azClaim) && d.azClaim.at <= now) ||
    (d.chargebackAt !== undefined && d.chargebackAt <= now)
  );
}

/**
 * When the order first counted as refunded, from what is recorded on it: the first refund Amazon
 * reported, or the first returns label booked in Consign, whichever came first (undefined: neither).
 * A cancellation after dispatch is a refund too (see isRefundedBy).
 */
export function refundRecordedAt(d: OrderDefects | undefined): Millis | undefined {
  const refunded = d?.refundedAt;
  const returned = d?.returnedAt;
  if (refunded === undefined) return returned;
  if (returned === undefined) return refunded;
  return Math.min(refunded, returned);
}

/**
 * Refunded by `now`, as Amazon's refund rate counts it ("refunded orders / all orders", DOMAIN.md's
 * metric table): an ORDER, counted once however many refunds, partial refunds or returns it had: a
 * refund Amazon reported, a return booked in Consign (the buyer sends the parcel back and is refunded;
 * Amazon counts that refund when it posts, days later, and the order is still one refunded order),
 * or a cancellation after dispatch (Amazon's Cancellation Rate help: a refund, not a cancellation).
 */
export function isRefundedBy(order: Order, now: Millis): boolean {
  const at = refundRecordedAt(order.defects);
  return (at !== undefined && at <= now) || isCancelledAfterDispatch(order, now);
}

/**
 * Facts landing on an order's defects: a refund or a return keeps its FIRST time (a second, partial
 * refund posted later must not move the order out of the days it was already refunded in); the rest
 * take the newest word (a claim later denied, feedback removed).
 */
export function mergeDefects(current: OrderDefects | undefined, update: Partial<OrderDefects>): OrderDefects {
  const out: OrderDefects = { ...(current ?? {}), ...update };
  for (const key of ["refundedAt", "returnedAt"] as const) {
    const a = current?.[key];
    const b = update[key];
    if (a !== undefined && b !== undefined) out[key] = Math.min(a, b);
  }
  return out;
}

/** Perfect: none of negative feedback, any A-to-z claim, chargeback, cancellation, late dispatch, refund, buyer message. */
export function isPerfectOrder(order: Order, now: Millis): boolean {
  const d = order.defects;
  if (d !== undefined) {
    if (d.negativeFeedbackAt !== undefined && d.negativeFeedbackAt <= now) return false;
    if (d.azClaim !== undefined && d.azClaim.at <= now) return false;
    if (d.chargebackAt !== undefined && d.chargebackAt <= now) return false;
    if (d.buyerMessageAt !== undefined && d.buyerMessageAt <= now) return false;
  }
  if (isRefundedBy(order, now) || isCancelledBy(order, now)) return false;
  return lateDispatchStatus(order, now) !== "late";
}

/** The newest label not voided of a single-parcel order: the package Amazon tracks. */
export function trackedShipment(order: Order): Shipment | undefined {
  return activeShipmentOf(order.shipments);
}

/** The parcel's active label has a tracking number of its courier's format. */
export function hasTrackingNumber(pkg: OrderPackage): boolean {
  const s = activeShipmentOf(pkg.shipments);
  return s !== undefined && isValidTrackingNumber(s.courier, s.trackingNumber);
}

/**
 * Valid tracking, as Amazon counts it per package: a tracking number of the right format, confirmed
 * before the parcel was delivered (tracking confirmed or updated after delivery is not valid).
 */
export function hasValidTracking(pkg: OrderPackage): boolean {
  const confirmedAt = pkg.confirmation.confirmedAt;
  const delivered = pkg.deliveredAt;
  if (confirmedAt !== undefined && delivered !== undefined && delivered < confirmedAt) return false;
  return hasTrackingNumber(pkg);
}

/** Every parcel of the order has valid tracking (for screens that show one answer per order). */
export function orderHasValidTracking(order: Order): boolean {
  return packagesOf(order).every(hasValidTracking);
}
