// Turning counts into a status, with integer arithmetic only.
//
// "at_risk" means within a quarter of the allowance from the target:
//   ceiling (rate must stay below T): at risk when rate ≥ 75% of T          (late dispatch 4%: from 3%)
//   floor   (rate must stay above T): at risk when the shortfall from 100% ≥ 75% of (100% − T)
//                                                                            (valid tracking 95%: at or below 96.25%)
// Reaching the target itself is a breach: Amazon asks for "under 1%", "above 95%".

import type { Comparator, MetricStatus } from "./definitions.ts";

/** Fraction of the allowance at which a metric turns from healthy to at risk. */
export const AT_RISK_SHARE = 0.75;
const BP = 10_000;

export function metricStatus(
  numerator: number,
  denominator: number,
  targetBp: number | null,
  comparator: Comparator,
): MetricStatus {
  if (denominator === 0) return "no_data";
  if (targetBp === null || comparator === "none") return "healthy";
  if (comparator === "below") {
    if (numerator * BP >= targetBp * denominator) return "breaching";
    // numerator/denominator ≥ 0.75·T/BP  ⇔  4·numerator·BP ≥ 3·T·denominator
    if (4 * numerator * BP >= 3 * targetBp * denominator) return "at_risk";
    return "healthy";
  }
  if (numerator * BP <= targetBp * denominator) return "breaching";
  const shortfall = denominator - numerator;
  if (4 * shortfall * BP >= 3 * (BP - targetBp) * denominator) return "at_risk";
  return "healthy";
}

/**
 * The smallest number of further bad orders that makes the metric breach (0 when it already does),
 * or null when no number of them can (a ceiling metric whose window holds too few orders to turn).
 *  - "new": each bad order joins the window (numerator and denominator grow, or only the denominator for a floor);
 *  - "existing": each turns an order already counted (the denominator stays).
 */
export function badOrdersToBreach(
  numerator: number,
  denominator: number,
  targetBp: number,
  comparator: "below" | "above",
  arrives: "new" | "existing",
): number | null {
  if (denominator > 0 && metricStatus(numerator, denominator, targetBp, comparator) === "breaching") return 0;
  if (comparator === "below") {
    if (arrives === "new") {
      // (N+k)·BP ≥ T·(D+k)  ⇔  k ≥ (T·D − N·BP) / (BP − T)
      return Math.max(1, Math.ceil((targetBp * denominator - numerator * BP) / (BP - targetBp)));
    }
    // (N+k)·BP ≥ T·D  ⇔  k ≥ (T·D − N·BP) / BP, and only D − N orders can turn bad
    const k = Math.max(1, Math.ceil((targetBp * denominator - numerator * BP) / BP));
    return k <= denominator - numerator ? k : null;
  }
  // Floors count good orders in the numerator: a bad order lowers the rate.
  if (arrives === "new") {
    // N·BP ≤ T·(D+k)  ⇔  k ≥ (N·BP − T·D) / T
    return Math.max(1, Math.ceil((numerator * BP - targetBp * denominator) / targetBp));
  }
  // (N−k)·BP ≤ T·D  ⇔  k ≥ (N·BP − T·D) / BP, and at most N orders can turn
  const k = Math.max(1, Math.ceil((numerator * BP - targetBp * denominator) / BP));
  return k <= numerator ? k : null;
}

/**
 * Why a metric shows no rate, in words for the seller (and the API's `note`), or null when it has
 * one. On-time delivery needs the couriers' tracking: with parcels in its window but none of their
 * deliveries known yet, it says "no delivery data yet", never 0%.
 */
export function noRateReason(m: {
  metric: string;
  denominator: number;
  awaitingDeliveryData?: number;
}): string | null {
  if (m.denominator > 0) return null;
  if (m.metric === "onTimeDeliveryRate") {
    const waiting = m.awaitingDeliveryData ?? 0;
    return waiting > 0
      ? `No delivery data yet: no courier has reported on the ${waiting === 1 ? "parcel" : `${waiting} parcels`} due in this window.`
      : "No delivery data yet: no tracked parcel is due in this window.";
  }
  return "No orders in this window.";
}
