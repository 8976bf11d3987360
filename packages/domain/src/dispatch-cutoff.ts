// The dispatch cut-off: the UK time the courier collects (Settings → Warehouse, `dispatchCutoff`).
// An order still to leave goes with the next collection; whether that is in time for Amazon's
// ship-by is the late risk every screen and the API show. Pure: the caller passes `now` (the room's
// clock, which a simulation moves), never Date.now().
import { isClockTime, nextUkTime, ukTimeOnDay } from "./courier-day.ts";
import type { Millis, Order, OrderState } from "./order.ts";

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
  return today >= now ? today : nextUkTime(now, hhmm);
}

export function dispatchRisk(
  order: Pick<Order, "state" | "latestShipDate">,
  now: Millis,
  cutoff: string,
): DispatchRisk | null {
  if (GONE.has(order.state)) return null;
  if (order.latestShipDate < now) return "late";
  if (order.latestShipDate < nextCollection(now, cutoff)) return "misses_collection";
  return null;
}
