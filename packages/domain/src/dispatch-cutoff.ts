// The dispatch cut-off: the UK time an order must be ready by to go with the courier's collection.
// Each courier has its own (courier-cutoffs.ts, Settings → End of day); an order with no courier yet
// reads the team's (Settings → Warehouse, `dispatchCutoff`). An order still to leave goes with the
// next collection; whether that is in time for Amazon's ship-by is the late risk every screen and the
// API show. Pure: the caller passes `now` (the room's clock, which a simulation moves), never Date.now().

import {
  COURIER_ORDER,
  type CourierHandover,
  type CourierHandovers,
  courierOf,
  cutoffFor,
  type DispatchCutoffs,
} from "./courier-cutoffs.ts";
import { isClockTime, ukTimeOnDay } from "./courier-day.ts";
import { type LabelInputs, labelEligibility, NO_WEIGHTS } from "./eligibility.ts";
import type { CourierId, Millis, Order, OrderState } from "./order.ts";
import { COURIER_NAMES } from "./words.ts";

export const DEFAULT_DISPATCH_CUTOFF = "17:00";

/**
 * Why an order still to leave will be late, or null when the next collection is in time:
 *   "late"               its ship-by has already passed;
 *   "misses_collection"  it cannot leave before its ship-by: the next collection comes after it
 *                        (today's cut-off has gone, or the deadline falls before it).
 */
export type DispatchRisk = "late" | "misses_collection";

const GONE: ReadonlySet<OrderState> = new Set(["dispatched", "confirmed", "cancelled"]);

/** The setting as written, or the default when it is missing or not a time. */
export function dispatchCutoffOf(setting: unknown): string {
  return typeof setting === "string" && isClockTime(setting) ? setting : DEFAULT_DISPATCH_CUTOFF;
}

/** The next collection at or after `now`: today's cut-off if still to come, else tomorrow's. */
export function nextCollection(now: Millis, cutoff: string): Millis {
  const hhmm = dispatchCutoffOf(cutoff);
  const today = ukTimeOnDay(now, hhmm);
  return today >= now ? today : ukTimeOnDay(today + 25 * 3_600_000, hhmm);
}

/**
 * The order's risk against a cut-off: one time for every order (a string), or the team's and each
 * courier's (`DispatchCutoffs`), when the order is read against its own courier's cut-off.
 */
export function dispatchRisk(
  order: Pick<Order, "state" | "latestShipDate"> & Partial<Pick<Order, "shipments" | "service">>,
  now: Millis,
  cutoff: string | DispatchCutoffs,
): DispatchRisk | null {
  if (GONE.has(order.state)) return null;
  if (order.latestShipDate < now) return "late";
  const hhmm =
    typeof cutoff === "string"
      ? cutoff
      : cutoffFor({ shipments: order.shipments ?? [], service: order.service }, cutoff);
  return riskAt(order.latestShipDate, now, nextCollection(now, hhmm));
}

/** The risk of an order still to leave with ship-by `latestShipDate`, its next collection at `collection`. */
function riskAt(latestShipDate: Millis, now: Millis, collection: Millis): DispatchRisk | null {
  if (latestShipDate < now) return "late";
  if (latestShipDate < collection) return "misses_collection";
  return null;
}

const LABELLED: ReadonlySet<OrderState> = new Set(["label_bought", "printed"]);
const TO_LEAVE: ReadonlySet<OrderState> = new Set(["new", "ready", "label_bought", "printed"]);

/** One courier's line on the dispatch clock. */
export interface CourierClockLine {
  courier: CourierId;
  name: string;
  /** Today's cut-off and handover (UK day of `now`) as epoch ms; they may have passed. */
  cutoffAt: Millis;
  handoverAt: Millis;
  handover: CourierHandover["handover"];
  /** Milliseconds to today's cut-off (negative once it has passed). */
  msToCutoff: number;
  /**
   * Orders ready to go with this courier: labelled (bought or printed) and waiting for it, or with
   * everything a label needs (the app's "Ready" view: `labelEligibility`), not yet gone.
   */
  ready: number;
  /** Orders still to leave with this courier whose ship-by has passed. */
  late: number;
  /** Orders still to leave with this courier whose next collection (its cut-off) comes after their ship-by. */
  missCollection: number;
}

/**
 * What the dispatch clock reads of an order, none of it depending on the time: worked out once per version
 * of an order (the PWA keeps them per order object, so the clock's 30-s tick and a change to one order of
 * 50,000 do not read every order's eligibility and courier again).
 */
export interface DispatchFacts {
  /** Still to leave: new, ready, label bought or printed. */
  toLeave: boolean;
  latestShipDate: Millis;
  /** The courier of its active shipment, or of the service chosen for it. */
  courier: CourierId | undefined;
  /** Labelled (bought or printed), or with everything a label needs (the "Ready" view). */
  ready: boolean;
}

export function dispatchFactsOf(order: Order, inputs: LabelInputs = NO_WEIGHTS): DispatchFacts {
  const toLeave = TO_LEAVE.has(order.state);
  return {
    toLeave,
    latestShipDate: order.latestShipDate,
    courier: courierOf(order),
    ready: toLeave && (LABELLED.has(order.state) || labelEligibility(order, inputs).eligible),
  };
}

/** `nextCollection` for each cut-off time met in one pass (one pass reads a handful of times). */
function collections(now: Millis): (hhmm: string) => Millis {
  const at = new Map<string, Millis>();
  return (hhmm) => {
    let t = at.get(hhmm);
    if (t === undefined) {
      t = nextCollection(now, hhmm);
      at.set(hhmm, t);
    }
    return t;
  };
}

/** Each order's facts, worked out as they are read. */
export function* dispatchFactsOfAll(orders: Iterable<Order>, inputs: LabelInputs = NO_WEIGHTS) {
  for (const o of orders) yield dispatchFactsOf(o, inputs);
}

/**
 * How many orders still to leave before `tomorrowStart` there are, how many of them are late, and how many
 * will miss their collection: `dispatchRisk` for each, each read against its own courier's cut-off when
 * `cutoff` carries the couriers' (else one cut-off for all).
 */
export function dispatchTally(
  facts: Iterable<DispatchFacts>,
  now: Millis,
  tomorrowStart: Millis,
  cutoff: string | DispatchCutoffs,
): { left: number; late: number; missCollection: number } {
  const next = collections(now);
  let left = 0;
  let late = 0;
  let missCollection = 0;
  for (const f of facts) {
    if (!f.toLeave || f.latestShipDate >= tomorrowStart) continue;
    left++;
    const hhmm =
      typeof cutoff === "string" ? cutoff : f.courier ? cutoff.couriers[f.courier].cutoff : cutoff.team;
    const risk = riskAt(f.latestShipDate, now, next(hhmm));
    if (risk === "late") late++;
    else if (risk === "misses_collection") missCollection++;
  }
  return { left, late, missCollection };
}

/**
 * The dispatch clock, per courier: each courier the seller uses (named in `used`, or with an order
 * still to leave with it), today's cut-off and collection or drop-off, the time left to the cut-off,
 * its ready orders and those at risk, read with `dispatchRisk` against the courier's own cut-off
 * (what the API's shipBy.risk says). Couriers in Royal Mail, DPD, Evri, Amazon Shipping order.
 */
export function courierClock(
  orders: Iterable<Order>,
  now: Millis,
  couriers: CourierHandovers,
  used: Iterable<CourierId> = [],
  inputs: LabelInputs = NO_WEIGHTS,
): CourierClockLine[] {
  return courierLines(dispatchFactsOfAll(orders, inputs), now, couriers, used);
}

/** `courierClock` from the orders' facts (kept per order by the PWA's orders store). */
export function courierLines(
  facts: Iterable<DispatchFacts>,
  now: Millis,
  couriers: CourierHandovers,
  used: Iterable<CourierId> = [],
): CourierClockLine[] {
  const next = collections(now);
  const lines = new Map<CourierId, CourierClockLine>();
  const lineFor = (courier: CourierId): CourierClockLine => {
    let line = lines.get(courier);
    if (!line) {
      const times = couriers[courier];
      const cutoffAt = ukTimeOnDay(now, times.cutoff);
      line = {
        courier,
        name: COURIER_NAMES[courier],
        cutoffAt,
        handoverAt: ukTimeOnDay(now, times.handoverAt),
        handover: times.handover,
        msToCutoff: cutoffAt - now,
        ready: 0,
        late: 0,
        missCollection: 0,
      };
      lines.set(courier, line);
    }
    return line;
  };
  for (const courier of used) lineFor(courier);
  for (const f of facts) {
    if (!f.toLeave || !f.courier) continue;
    const line = lineFor(f.courier);
    if (f.ready) line.ready++;
    const risk = riskAt(f.latestShipDate, now, next(couriers[f.courier].cutoff));
    if (risk === "late") line.late++;
    else if (risk === "misses_collection") line.missCollection++;
  }
  return COURIER_ORDER.flatMap((c) => {
    const line = lines.get(c);
    return line ? [line] : [];
  });
}
