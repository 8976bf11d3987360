// The orders screen's views and the dispatch clock's figures, in UK calendar days: which orders each
// tab of the list holds, how many, and the first rows of each. Pure: the PWA draws its list with them
// and the room answers a new device's first screen with them (so both count and order alike).

import type { DispatchCutoffs } from "./courier-cutoffs.ts";
import type { CourierClockLine, DispatchFacts } from "./dispatch-cutoff.ts";
import { DEFAULT_DISPATCH_CUTOFF, dispatchFactsOfAll, dispatchTally } from "./dispatch-cutoff.ts";
import {
  canPrintLabel,
  type LabelBlock,
  type LabelInputs,
  labelEligibility,
  NO_WEIGHTS,
} from "./eligibility.ts";
import type { Order, OrderState } from "./order.ts";
import { ukOffsetMinutes } from "./shipBy.ts";
import { DAY_MS } from "./time.ts";
import { openCancellationRequest } from "./words.ts";

export interface WarehouseClock {
  now: number;
  todayStart: number;
  tomorrowStart: number;
  dayAfterStart: number;
}

/** UTC ms of UK midnight starting the wall-clock day `wallDay` (ms at 00:00 of that day, as if UTC). */
function ukMidnight(wallDay: number): number {
  let at = wallDay - ukOffsetMinutes(wallDay) * 60_000;
  at = wallDay - ukOffsetMinutes(at) * 60_000;
  return at;
}

/** The day boundaries around `now`, in UK time. */
export function warehouseClock(now: number): WarehouseClock {
  const wallDay = Math.floor((now + ukOffsetMinutes(now) * 60_000) / DAY_MS) * DAY_MS;
  return {
    now,
    todayStart: ukMidnight(wallDay),
    tomorrowStart: ukMidnight(wallDay + DAY_MS),
    dayAfterStart: ukMidnight(wallDay + 2 * DAY_MS),
  };
}

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

/** Default order: dispatch deadline first, then order number. */
export function byDeadline(a: Order, b: Order): number {
  return a.latestShipDate - b.latestShipDate || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
}

/** Every view at 0. */
export function emptyViewCounts(): Record<ViewId, number> {
  return {
    due_today: 0,
    ready: 0,
    attention: 0,
    on_hold: 0,
    bought_not_printed: 0,
    printed_unconfirmed: 0,
    dispatched_today: 0,
    all: 0,
  };
}

/** Adds `by` (1, or -1 for an order's old version) to each view `o` is in on the day of `c`. */
export function tallyViews(counts: Record<ViewId, number>, o: Order, c: WarehouseClock, by: 1 | -1): void {
  for (const v of VIEWS) if (inView(o, v.id, c)) counts[v.id] += by;
}

export function countViews(orders: Iterable<Order>, c: WarehouseClock): Record<ViewId, number> {
  const counts = emptyViewCounts();
  for (const o of orders) tallyViews(counts, o, c, 1);
  return counts;
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
  return dispatchTally(dispatchFactsOfAll(orders), c.now, c.tomorrowStart, cutoff);
}

/** `dispatchFigures` from the orders' facts (kept per order by the PWA's orders store). */
export function dispatchFiguresOf(
  facts: Iterable<DispatchFacts>,
  c: WarehouseClock,
  cutoff: string | DispatchCutoffs = DEFAULT_DISPATCH_CUTOFF,
): DispatchClockFigures {
  return dispatchTally(facts, c.now, c.tomorrowStart, cutoff);
}

/** Rows kept per view for a first screen: more than a tall tablet shows (800 px / 52 px rows ≈ 14; portrait 1,280 / 84 ≈ 15). */
export const FIRST_SCREEN_ROWS = 30;

/**
 * The first `rows` orders of `view` from orders already sorted by deadline (no filter, no search),
 * without their history (the bulk of a record, and no row shows it).
 */
export function firstRowsOf(
  sorted: Iterable<Order>,
  view: ViewId,
  clock: WarehouseClock,
  rows = FIRST_SCREEN_ROWS,
): Order[] {
  const out: Order[] = [];
  for (const o of sorted) {
    if (!inView(o, view, clock)) continue;
    const { history: _history, ...row } = o;
    out.push(row);
    if (out.length === rows) break;
  }
  return out;
}

/** Bumped when the room's first screen changes shape: a device reading another version paints nothing early. */
export const TEAM_FIRST_SCREEN_VERSION = 1;

/**
 * The room's first screen for a device with no copy of its own (GET /sync/{sellerId}/first-screen):
 * every view's first rows by id, each record once, the counts and the dispatch clock's figures at the
 * room's time. The PWA reads it as outside input.
 */
export interface TeamFirstScreen {
  version: typeof TEAM_FIRST_SCREEN_VERSION;
  sellerId: string;
  /** The room's time when it was read (ms). */
  at: number;
  counts: Record<ViewId, number>;
  dispatch: DispatchClockFigures;
  couriers: CourierClockLine[];
  /** Each view's first rows, as order ids in the list's order (records in `orders`). */
  views: Record<ViewId, string[]>;
  /** Every order some view's first rows hold, once, without its history. */
  orders: Order[];
}
