// The order list's views, filters, batch check and dispatch clock: pure functions of orders and a clock.

import {
  type CourierId,
  canPrintLabel,
  DEFAULT_DISPATCH_CUTOFF,
  type DispatchCutoffs,
  dispatchRisk,
  type LabelBlock,
  type LabelInputs,
  labelEligibility,
  NO_WEIGHTS,
  type Order,
  type OrderState,
  openCancellationRequest,
} from "@consign/domain";
import type { WarehouseClock } from "./clock.ts";

export type ViewId =
  | "due_today"
  | "ready"
  | "attention"
  | "on_hold"
  | "bought_not_printed"
  | "printed_unconfirmed"
  | "dispatched_today"
  | "all";

export const VIEWS: readonly { id: ViewId; label: string }[] = [
  { id: "due_today", label: "Due today" },
  { id: "ready", label: "Ready" },
  { id: "attention", label: "Needs attention" },
  { id: "on_hold", label: "On hold" },
  { id: "bought_not_printed", label: "Bought, not printed" },
  { id: "printed_unconfirmed", label: "Printed, not confirmed" },
  { id: "dispatched_today", label: "Dispatched today" },
  { id: "all", label: "All" },
];

const UNSHIPPED: readonly OrderState[] = ["new", "ready", "label_bought", "printed"];
export const isUnshipped = (o: Order) => UNSHIPPED.includes(o.state);

export type ShipBy = "overdue" | "today" | "tomorrow" | "later";
export function shipBy(o: Order, c: WarehouseClock): ShipBy {
  if (o.latestShipDate < c.now) return "overdue";
  if (o.latestShipDate < c.tomorrowStart) return "today";
  if (o.latestShipDate < c.dayAfterStart) return "tomorrow";
  return "later";
}

/** Why an order needs a person, in words; null when it does not. */
export function attentionReason(o: Order): string | null {
  if (o.confirmation.state === "failed") {
    return `Amazon refused the dispatch confirmation${o.confirmation.error ? `: ${o.confirmation.error}` : ""}`;
  }
  if (openCancellationRequest(o)) {
    return `The buyer asked to cancel${o.cancellationRequestReason ? `: “${o.cancellationRequestReason}”` : ""}`;
  }
  return null;
}

export type Readiness =
  | "ready"
  | "missing_weight"
  | "missing_customs"
  | "missing_address"
  | "on_hold"
  | "cancel_requested"
  | "has_label"
  | "closed";
const READINESS: Record<LabelBlock, Readiness> = {
  cancelled: "closed",
  cancellation_requested: "cancel_requested",
  on_hold: "on_hold",
  already_labelled: "has_label",
  dispatched: "closed",
  missing_address: "missing_address",
  missing_weight: "missing_weight",
  missing_customs: "missing_customs",
};
/**
 * Whether a label can be bought for the order now: the domain's labelEligibility (the same rules
 * the API and the room apply), with the seller's SKU weights when known.
 */
export function readiness(o: Order, inputs: LabelInputs = NO_WEIGHTS): Readiness {
  const e = labelEligibility(o, inputs);
  return e.eligible ? "ready" : READINESS[e.block];
}

/** Has a label that is not void and can still be printed (bought here, by the API or on another tablet). */
export const boughtNotPrinted = (o: Order) => o.state === "label_bought" && canPrintLabel(o);

/** The one thing a row offers to do with its order, by where the order stands. */
export type RowActionKind = "review" | "release" | "buy" | "print" | "dispatch";
export interface RowAction {
  kind: RowActionKind;
  /** The button's words (the order number is added for screen readers). */
  label: string;
}

/**
 * The action that matters for this order now, offered on its row so a packer needs no selection
 * for one order: a buyer's cancellation request is reviewed first (in the drawer); a held order is
 * released; an order without a label is bought and printed; a bought label printed; a printed
 * order marked dispatched. Orders that are done offer nothing.
 */
export function rowAction(o: Order): RowAction | null {
  if (openCancellationRequest(o)) return { kind: "review", label: "Review" };
  switch (o.state) {
    case "on_hold":
      return { kind: "release", label: "Release" };
    case "new":
    case "ready":
      return { kind: "buy", label: "Buy & print" };
    case "label_bought":
      return canPrintLabel(o) ? { kind: "print", label: "Print" } : null;
    case "printed":
      return o.confirmation.state === "confirmed" ? null : { kind: "dispatch", label: "Dispatch" };
    default:
      return null;
  }
}

export function inView(o: Order, view: ViewId, c: WarehouseClock): boolean {
  switch (view) {
    case "due_today":
      return isUnshipped(o) && o.latestShipDate < c.tomorrowStart;
    case "ready":
      return readiness(o) === "ready";
    case "attention":
      return attentionReason(o) !== null;
    case "on_hold":
      return o.state === "on_hold";
    case "bought_not_printed":
      return boughtNotPrinted(o);
    case "printed_unconfirmed":
      return (o.state === "printed" || o.state === "dispatched") && o.confirmation.state !== "confirmed";
    case "dispatched_today":
      return (o.state === "dispatched" || o.state === "confirmed") && (o.dispatchedAt ?? 0) >= c.todayStart;
    case "all":
      return true;
  }
}

export interface Filters {
  state: OrderState | null;
  shipBy: Exclude<ShipBy, "later"> | null;
  courier: CourierId | null;
  prime: boolean | null;
  marketplace: string | null;
}
export const NO_FILTERS: Filters = {
  state: null,
  shipBy: null,
  courier: null,
  prime: null,
  marketplace: null,
};

export function matchesFilters(o: Order, f: Filters, c: WarehouseClock): boolean {
  if (f.state !== null && o.state !== f.state) return false;
  if (f.shipBy !== null && shipBy(o, c) !== f.shipBy) return false;
  if (f.courier !== null && o.service?.courier !== f.courier) return false;
  if (f.prime !== null && o.isPrime !== f.prime) return false;
  if (f.marketplace !== null && o.marketplaceId !== f.marketplace) return false;
  return true;
}

/** Default order: dispatch deadline first, then order number. */
export function byDeadline(a: Order, b: Order): number {
  return a.latestShipDate - b.latestShipDate || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
}

export function countViews(orders: Iterable<Order>, c: WarehouseClock): Record<ViewId, number> {
  const counts: Record<ViewId, number> = {
    due_today: 0,
    ready: 0,
    attention: 0,
    on_hold: 0,
    bought_not_printed: 0,
    printed_unconfirmed: 0,
    dispatched_today: 0,
    all: 0,
  };
  for (const o of orders) for (const v of VIEWS) if (inView(o, v.id, c)) counts[v.id]++;
  return counts;
}

export interface BatchCheck {
  ready: Order[];
  missingWeight: Order[];
  missingCustoms: Order[];
  missingAddress: Order[];
  onHold: Order[];
  cancelRequested: Order[];
  hasLabel: Order[];
  closed: Order[];
  sentence: string;
}
/**
 * "137 selected: 120 ready · 12 missing weight · 5 on hold (left out)". Orders that already have a
 * label are not bought again but printed with the run ("4 already labelled, printed with them").
 */
export function checkBatch(orders: readonly Order[], inputs: LabelInputs = NO_WEIGHTS): BatchCheck {
  const out: BatchCheck = {
    ready: [],
    missingWeight: [],
    missingCustoms: [],
    missingAddress: [],
    onHold: [],
    cancelRequested: [],
    hasLabel: [],
    closed: [],
    sentence: "",
  };
  for (const o of orders) {
    const r = readiness(o, inputs);
    if (r === "ready") out.ready.push(o);
    else if (r === "missing_weight") out.missingWeight.push(o);
    else if (r === "missing_customs") out.missingCustoms.push(o);
    else if (r === "missing_address") out.missingAddress.push(o);
    else if (r === "on_hold") out.onHold.push(o);
    else if (r === "cancel_requested") out.cancelRequested.push(o);
    else if (r === "has_label") out.hasLabel.push(o);
    else out.closed.push(o);
  }
  const parts = [`${out.ready.length} ready`];
  if (out.hasLabel.length) parts.push(`${out.hasLabel.length} already labelled (printed with them)`);
  const left: string[] = [];
  if (out.missingWeight.length) left.push(`${out.missingWeight.length} missing weight`);
  if (out.missingCustoms.length) left.push(`${out.missingCustoms.length} missing customs data`);
  if (out.missingAddress.length) left.push(`${out.missingAddress.length} without an address yet`);
  if (out.onHold.length) left.push(`${out.onHold.length} on hold`);
  if (out.cancelRequested.length) left.push(`${out.cancelRequested.length} cancellation requested`);
  if (out.closed.length) left.push(`${out.closed.length} dispatched or cancelled`);
  out.sentence = `${orders.length} selected: ${[...parts, ...left].join(" · ")}${left.length > 0 ? " (left out)" : ""}`;
  return out;
}

export interface DispatchClockFigures {
  left: number;
  late: number;
  /** Due today, not late yet, but the next collection comes after their ship-by (the cut-off has gone). */
  missCollection: number;
}
/**
 * Orders still to leave today (deadline before tomorrow), how many are already late, and how many
 * will miss their ship-by because the next collection comes after it (the domain's dispatchRisk,
 * the rule the API's shipBy.risk reads too: each order against its own courier's cut-off when
 * `cutoff` carries the couriers', else one cut-off for all).
 */
export function dispatchFigures(
  orders: Iterable<Order>,
  c: WarehouseClock,
  cutoff: string | DispatchCutoffs = DEFAULT_DISPATCH_CUTOFF,
): DispatchClockFigures {
  let left = 0;
  let late = 0;
  let missCollection = 0;
  for (const o of orders) {
    if (!isUnshipped(o) || o.latestShipDate >= c.tomorrowStart) continue;
    left++;
    const risk = dispatchRisk(o, c.now, cutoff);
    if (risk === "late") late++;
    else if (risk === "misses_collection") missCollection++;
  }
  return { left, late, missCollection };
}

export const STATE_TEXT: Record<OrderState, { text: string; icon: string }> = {
  new: { text: "New", icon: "○" },
  ready: { text: "Ready", icon: "◔" },
  label_bought: { text: "Label bought", icon: "◑" },
  printed: { text: "Printed", icon: "◕" },
  dispatched: { text: "Dispatched", icon: "➜" },
  confirmed: { text: "Confirmed", icon: "✓" },
  on_hold: { text: "On hold", icon: "⏸" },
  cancelled: { text: "Cancelled", icon: "✕" },
};
