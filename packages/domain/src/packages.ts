// An order's parcels. Amazon counts valid tracking and on-time delivery per package, and takes one
// confirmShipment per package (its own packageReferenceId and items). Most orders leave in one parcel
// and never set `packages`: for them the order's own label, confirmation and delivery are the package.

import { ConsignError, type FieldError } from "./errors.ts";
import type {
  DispatchConfirmation,
  Millis,
  Order,
  OrderPackage,
  PackageItem,
  PackageSpec,
  ParcelTracking,
  Shipment,
} from "./order.ts";

/** The parcels an order leaves in: its explicit packages, or the order itself as package "1". */
export function packagesOf(order: Order): OrderPackage[] {
  const explicit = order.packages;
  if (explicit !== undefined && explicit.length > 0) return explicit;
  const single: OrderPackage = {
    packageReferenceId: "1",
    items: order.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
    shipments: order.shipments,
    confirmation: order.confirmation,
  };
  if (order.package !== undefined) single.spec = order.package;
  if (order.deliveredAt !== undefined) single.deliveredAt = order.deliveredAt;
  if (order.tracking !== undefined) single.tracking = order.tracking;
  return [single];
}

/** The newest label not voided: the one Amazon tracks for this parcel. */
export function activeShipmentOf(shipments: readonly Shipment[]): Shipment | undefined {
  for (let i = shipments.length - 1; i >= 0; i--) {
    const s = shipments[i]!;
    if (s.voidedAt === undefined) return s;
  }
  return undefined;
}

/**
 * When the whole order was confirmed to Amazon: the last of its packages' confirmations, or
 * undefined while any package is unconfirmed at `now`. Late dispatch counts this moment: an order
 * is not dispatched until every parcel is (Amazon's "ship confirmation completed").
 */
export function dispatchCompletedAt(order: Order, now: Millis): Millis | undefined {
  const list = order.packages;
  if (list === undefined || list.length === 0) {
    const at = order.confirmation.confirmedAt;
    return at !== undefined && at <= now ? at : undefined;
  }
  let last = Number.NEGATIVE_INFINITY;
  for (const p of list) {
    const at = p.confirmation.confirmedAt;
    if (at === undefined || at > now) return undefined;
    if (at > last) last = at;
  }
  return last;
}

/**
 * When Amazon first heard that any part of the order left: the earliest package confirmation.
 * From then on a decision not to ship is a refund, not a pre-fulfilment cancellation.
 */
export function firstConfirmedAt(order: Order): Millis | undefined {
  const list = order.packages;
  if (list === undefined || list.length === 0) return order.confirmation.confirmedAt;
  let first: Millis | undefined;
  for (const p of list) {
    const at = p.confirmation.confirmedAt;
    if (at !== undefined && (first === undefined || at < first)) first = at;
  }
  return first;
}

/** Units of each order line not yet in any of `packages`; a split is complete when all are zero. */
export function unpackedUnits(order: Order, packages: readonly { items: readonly PackageItem[] }[]) {
  const left = new Map<string, number>();
  for (const i of order.items) left.set(i.orderItemId, (left.get(i.orderItemId) ?? 0) + i.quantityOrdered);
  for (const p of packages)
    for (const i of p.items) left.set(i.orderItemId, (left.get(i.orderItemId) ?? 0) - i.quantity);
  return left;
}

/** One parcel a packer plans: which units of which lines go in it, and optionally its size. */
export interface ParcelPlan {
  items: PackageItem[];
  spec?: PackageSpec;
}

/**
 * Splits an order into parcels: every unit of every line in exactly one parcel, each parcel with
 * something in it, numbered "1", "2", … as Amazon's packageReferenceId. One parcel undoes a split.
 * Refused, naming each field, when the units do not add up or when a label has already been
 * bought or a confirmation sent for the order (void the labels first).
 */
export function splitIntoPackages(order: Order, parcels: readonly ParcelPlan[]): OrderPackage[] | undefined {
  const fields: FieldError[] = [];
  const lines = new Set(order.items.map((i) => i.orderItemId));
  if (parcels.length === 0) fields.push({ path: "parcels", message: "at least one parcel" });
  if (parcels.length > 30) fields.push({ path: "parcels", message: "at most 30 parcels" });
  parcels.forEach((p, n) => {
    if (p.items.length === 0) fields.push({ path: `parcels.${n}.items`, message: "an empty parcel" });
    p.items.forEach((item, k) => {
      if (!lines.has(item.orderItemId))
        fields.push({
          path: `parcels.${n}.items.${k}.orderItemId`,
          message: `not a line of ${order.orderId}`,
        });
      if (!Number.isInteger(item.quantity) || item.quantity < 1)
        fields.push({
          path: `parcels.${n}.items.${k}.quantity`,
          message: "a whole number of units, 1 or more",
        });
    });
  });
  if (fields.length === 0) {
    for (const [orderItemId, left] of unpackedUnits(order, parcels)) {
      if (left === 0) continue;
      const line = order.items.find((i) => i.orderItemId === orderItemId);
      fields.push({
        path: "parcels",
        message:
          left > 0
            ? `${left} unit${left === 1 ? "" : "s"} of ${line?.sku ?? orderItemId} in no parcel`
            : `${-left} unit${left === -1 ? "" : "s"} of ${line?.sku ?? orderItemId} more than ordered`,
      });
    }
  }
  if (fields.length > 0) {
    throw new ConsignError(
      "bad_request",
      `The parcels of ${order.orderId} do not add up to the order.`,
      fields,
    );
  }
  const labelled =
    activeShipmentOf(order.shipments) !== undefined ||
    (order.packages ?? []).some((p) => activeShipmentOf(p.shipments) !== undefined) ||
    firstConfirmedAt(order) !== undefined ||
    order.confirmation.state === "pending";
  if (labelled) {
    throw new ConsignError(
      "conflict",
      `${order.orderId} already has a label or a confirmation to Amazon: void its labels before splitting it.`,
    );
  }
  if (parcels.length === 1) return undefined;
  return parcels.map((p, n) => ({
    packageReferenceId: String(n + 1),
    items: p.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
    ...(p.spec ? { spec: p.spec } : {}),
    shipments: [],
    confirmation: { state: "none" as const, attempts: 0 },
  }));
}

/**
 * Records Amazon's answer for one parcel and sums the order's confirmation up from its parcels:
 * confirmed when every parcel is (at the last one's moment, which late dispatch counts), failed
 * for good when any parcel is (naming it), else pending. An unknown parcel changes nothing.
 */
export function confirmPackage(
  order: Order,
  packageReferenceId: string,
  result: DispatchConfirmation,
): { packages: OrderPackage[]; confirmation: DispatchConfirmation } {
  const packages = (order.packages ?? []).map((p) =>
    p.packageReferenceId === packageReferenceId ? { ...p, confirmation: { ...result } } : p,
  );
  return { packages, confirmation: orderConfirmation(packages) };
}

/** The order's confirmation summed up from its parcels' (see confirmPackage). */
export function orderConfirmation(packages: readonly OrderPackage[]): DispatchConfirmation {
  let attempts = 0;
  let last = Number.NEGATIVE_INFINITY;
  let allConfirmed = packages.length > 0;
  let anySent = false;
  for (const p of packages) {
    const c = p.confirmation;
    attempts += c.attempts;
    if (c.state === "failed" && c.needsAttention) {
      return {
        state: "failed",
        attempts,
        needsAttention: true,
        error: `Parcel ${p.packageReferenceId}: ${c.error ?? "Amazon refused the confirmation."}`,
      };
    }
    if (c.state !== "none") anySent = true;
    if (c.state === "confirmed" && c.confirmedAt !== undefined) last = Math.max(last, c.confirmedAt);
    else allConfirmed = false;
  }
  if (allConfirmed) return { state: "confirmed", confirmedAt: last, attempts };
  const waiting = packages.find((p) => p.confirmation.state !== "confirmed" && p.confirmation.error);
  return {
    state: anySent ? "pending" : "none",
    attempts,
    ...(waiting ? { error: `Parcel ${waiting.packageReferenceId}: ${waiting.confirmation.error}` } : {}),
    ...(waiting?.confirmation.retryAt !== undefined ? { retryAt: waiting.confirmation.retryAt } : {}),
  };
}

/** The order (or any of its parcels) has a label not voided. */
export function hasLabel(order: Order): boolean {
  if (activeShipmentOf(order.shipments) !== undefined) return true;
  return (order.packages ?? []).some((p) => activeShipmentOf(p.shipments) !== undefined);
}

/** What a courier's tracking said of one parcel, at `checkedAt` (see recordTracking). */
export interface TrackingAnswer {
  checkedAt: Millis;
  status: ParcelTracking["status"];
  /** When the courier scanned it delivered; set only when it was. */
  deliveredAt?: Millis;
  event?: ParcelTracking["event"];
}

/**
 * Records a courier's tracking answer on one parcel of the order: its status and newest event, and
 * the delivery once the courier reports it (never moved once set: a later scan is not a second
 * delivery). A split order's own `deliveredAt` is its last parcel's delivery, once all have one.
 * Returns the fields to write, or null when the order has no such parcel.
 */
export function recordTracking(
  order: Order,
  packageReferenceId: string,
  answer: TrackingAnswer,
): Pick<Order, "tracking" | "deliveredAt" | "packages"> | null {
  const tracking: ParcelTracking = {
    checkedAt: answer.checkedAt,
    status: answer.status,
    ...(answer.event ? { event: answer.event } : {}),
  };
  const list = order.packages;
  if (list === undefined || list.length === 0) {
    if (packageReferenceId !== "1") return null;
    const deliveredAt = order.deliveredAt ?? answer.deliveredAt;
    return { tracking, ...(deliveredAt !== undefined ? { deliveredAt } : {}) };
  }
  if (!list.some((p) => p.packageReferenceId === packageReferenceId)) return null;
  const packages = list.map((p) => {
    if (p.packageReferenceId !== packageReferenceId) return p;
    const deliveredAt = p.deliveredAt ?? answer.deliveredAt;
    return { ...p, tracking, ...(deliveredAt !== undefined ? { deliveredAt } : {}) };
  });
  let last = Number.NEGATIVE_INFINITY;
  for (const p of packages) last = p.deliveredAt === undefined ? Number.NaN : Math.max(last, p.deliveredAt);
  return { packages, ...(Number.isFinite(last) ? { deliveredAt: last } : {}) };
}
