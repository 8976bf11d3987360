// The order list's views, filters, batch check and dispatch clock: pure functions of orders and a clock.
// Which orders each view holds, the counts and the dispatch clock's figures are @consign/domain's
// (views.ts), shared with the room, which answers a new device's first screen with them.

import {
  type CourierId,
  canPrintLabel,
  type LabelInputs,
  NO_WEIGHTS,
  type Order,
  type OrderState,
  openCancellationRequest,
  readiness,
  type WarehouseClock,
} from "@consign/domain";

export {
  attentionReason,
  boughtNotPrinted,
  byDeadline,
  countViews,
  type DispatchClockFigures,
  dispatchFigures,
  dispatchFiguresOf,
  inView,
  isUnshipped,
  type Readiness,
  readiness,
  VIEWS,
  type ViewId,
} from "@consign/domain";

export type ShipBy = "overdue" | "today" | "tomorrow" | "later";
export function shipBy(o: Order, c: WarehouseClock): ShipBy {
  if (o.latestShipDate < c.now) return "overdue";
  if (o.latestShipDate < c.tomorrowStart) return "today";
  if (o.latestShipDate < c.dayAfterStart) return "tomorrow";
  return "later";
}

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
