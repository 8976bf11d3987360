// What to do first: the unshipped orders by time left to their dispatch deadline, how many more bad
// orders each metric can take before it breaches, and what today's misses would do to late dispatch.

import { formatPercent } from "./format.ts";
import { lateDispatchStatus } from "./metrics/classify.ts";
import type { AccountMetrics } from "./metrics/compute.ts";
import { computeMetrics, metricList } from "./metrics/compute.ts";
import { METRIC_DEFINITIONS, type MetricId } from "./metrics/definitions.ts";
import { badOrdersToBreach } from "./metrics/status.ts";
import { windowFrom } from "./metrics/windows.ts";
import type { Millis, Order, OrderState } from "./order.ts";

/** States in which the parcel has not left yet. */
export const UNSHIPPED_STATES: readonly OrderState[] = ["new", "ready", "label_bought", "printed", "on_hold"];

export interface RankedOrder {
  order: Order;
  /** latestShipDate − now: negative when overdue. */
  msLeft: Millis;
  overdue: boolean;
}

/** Unshipped MFN orders, the least time left first (overdue ones lead, most overdue first). */
export function rankUnshipped(orders: readonly Order[], now: Millis): RankedOrder[] {
  const out: RankedOrder[] = [];
  for (const order of orders) {
    if (order.fulfilmentChannel !== "MFN" || !UNSHIPPED_STATES.includes(order.state)) continue;
    const msLeft = order.latestShipDate - now;
    out.push({ order, msLeft, overdue: msLeft < 0 });
  }
  out.sort(
    (a, b) =>
      a.msLeft - b.msLeft ||
      a.order.purchaseDate - b.order.purchaseDate ||
      (a.order.orderId < b.order.orderId ? -1 : a.order.orderId > b.order.orderId ? 1 : 0),
  );
  return out;
}

export interface Headroom {
  metric: MetricId;
  /** Seller-fulfilled ("MFN") or FBA ("AFN"): headroom is never shared between the two. */
  channel: "MFN" | "AFN";
  windowDays: number;
  /** How many more bad orders the metric can absorb and stay below (or above) its target. */
  canAbsorb: number | null;
  /** The number of further bad orders that makes it breach; 0 when it already breaches. */
  breachesAfter: number | null;
  alreadyBreaching: boolean;
  sentence: string;
}

/** Headroom for every metric that has a target. */
export function metricHeadroom(metrics: AccountMetrics): Headroom[] {
  const out: Headroom[] = [];
  for (const result of metricList(metrics)) {
    const base = METRIC_DEFINITIONS[result.metric];
    const def = result.channel === "AFN" ? { ...base, label: `FBA ${base.label}` } : base;
    if (def.targetBp === null || def.comparator === "none") continue;
    const k = badOrdersToBreach(
      result.numerator,
      result.denominator,
      def.targetBp,
      def.comparator,
      def.badArrives,
    );
    const target = formatPercent(def.targetBp / 10_000);
    const window = `the ${def.windowDays}-day window`;
    let sentence: string;
    if (k === 0) {
      sentence = `${def.label} over ${def.windowDays} days is ${formatPercent(result.rate ?? 0)}: it breaches ${target} now.`;
    } else if (k === null) {
      sentence = `Too few orders in ${window} for ${def.label.toLowerCase()} to breach ${target}.`;
    } else {
      sentence = `${k} more ${k === 1 ? def.badOne : def.badMany} in ${window} ${k === 1 ? "breaches" : "breach"} ${target}.`;
    }
    out.push({
      metric: result.metric,
      channel: result.channel,
      windowDays: def.windowDays,
      canAbsorb: k === null ? null : Math.max(0, k - 1),
      breachesAfter: k,
      alreadyBreaching: k === 0,
      sentence,
    });
  }
  return out;
}

export interface LateDispatchProjection {
  windowDays: 10 | 30;
  currentRate: number | null;
  projectedRate: number | null;
  numerator: number;
  denominator: number;
  /** Orders among those given that would newly count as late. */
  newlyLate: number;
  sentence: string;
}

/**
 * "If these N orders miss today, the 10-day late dispatch rate goes to X%."
 * Each given MFN order not already counted late joins the window as late (if its deadline is still to come it
 * enters the window when it passes; if it is already in the window on time it cannot become late and is left
 * alone). Computed at `now`, without sliding the window forward to the end of the day.
 */
export function projectLateDispatch(
  orders: readonly Order[],
  missing: readonly Order[],
  now: Millis,
  windowDays: 10 | 30 = 10,
  current: AccountMetrics = computeMetrics(orders, now),
): LateDispatchProjection {
  const result = windowDays === 10 ? current.mfn.lateDispatchRate10 : current.mfn.lateDispatchRate30;
  const from = windowFrom(now, windowDays);
  let numerator = result.numerator;
  let denominator = result.denominator;
  let newlyLate = 0;
  for (const order of missing) {
    const status = lateDispatchStatus(order, now);
    if (status === "excluded" || status === "on_time" || order.latestShipDate < from) continue;
    const inWindow = order.latestShipDate <= now;
    if (status === "late" && inWindow) continue;
    numerator++;
    if (!inWindow) denominator++;
    newlyLate++;
  }
  const projectedRate = denominator === 0 ? null : numerator / denominator;
  const n = missing.length;
  const sentence =
    projectedRate === null
      ? `No orders fall in the ${windowDays}-day late dispatch window.`
      : `If ${n === 1 ? "this order misses" : `these ${n} orders miss`} today, the ${windowDays}-day late dispatch rate goes to ${formatPercent(projectedRate)}.`;
  return { windowDays, currentRate: result.rate, projectedRate, numerator, denominator, newlyLate, sentence };
}
