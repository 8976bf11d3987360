// The straightforward versions the benchmarks compare against (and the tests hold the fast ones equal to):
// one `.filter` per metric with Date objects, rules re-validated and interpreted for every order, and a
// linear scan of concatenated fields for search.

import { METRIC_DEFINITIONS, type MetricId } from "../metrics/definitions.ts";
import type { Order } from "../order.ts";
import { postcodeParts } from "../rules/facts.ts";
import { shippingRuleSchema } from "../rules/schema.ts";
import { isValidTrackingNumber } from "../tracking.ts";

type Counts = Record<MetricId, { numerator: number; denominator: number }>;

export function naiveMetrics(orders: readonly Order[], nowMs: number): Counts {
  const now = new Date(nowMs);
  const daysAgo = (d: number) => new Date(nowMs - d * 86_400_000);
  const inWindow = (at: number | undefined, days: number) =>
    at !== undefined && new Date(at) >= daysAgo(days) && new Date(at) <= now;
  const happened = (at: number | undefined) => at !== undefined && new Date(at) <= now;
  const cancelled = (o: Order) => o.cancelledBy !== undefined && happened(o.cancelledAt);
  const confirmed = (o: Order) => happened(o.confirmation.confirmedAt);
  const late = (o: Order) =>
    o.fulfilmentChannel === "MFN" &&
    !cancelled(o) &&
    (confirmed(o)
      ? new Date(o.confirmation.confirmedAt!) > new Date(o.latestShipDate)
      : new Date(o.latestShipDate) < now);
  const valid = (o: Order) => {
    const s = [...o.shipments].reverse().find((x) => x.voidedAt === undefined);
    return s !== undefined && isValidTrackingNumber(s.courier, s.trackingNumber);
  };
  const defect = (o: Order) =>
    happened(o.defects?.negativeFeedbackAt) ||
    (o.defects?.azClaim !== undefined && !o.defects.azClaim.denied && happened(o.defects.azClaim.at)) ||
    happened(o.defects?.chargebackAt);
  const buyerAsked = (o: Order) =>
    o.buyerCancellationRequested === true || o.items.some((i) => i.cancellationRequested);
  const mfn = (o: Order) => o.fulfilmentChannel === "MFN";
  const count = (list: Order[], bad: (o: Order) => boolean) => ({
    numerator: list.filter(bad).length,
    denominator: list.length,
  });

  const odr = orders.filter((o) => inWindow(o.purchaseDate, METRIC_DEFINITIONS.orderDefectRate.windowDays));
  const pcr = orders.filter((o) => mfn(o) && inWindow(o.purchaseDate, 7));
  const ld10 = orders.filter((o) => mfn(o) && !cancelled(o) && inWindow(o.latestShipDate, 10));
  const ld30 = orders.filter((o) => mfn(o) && !cancelled(o) && inWindow(o.latestShipDate, 30));
  const vtr = orders.filter((o) => mfn(o) && confirmed(o) && inWindow(o.confirmation.confirmedAt, 30));
  const otd = orders.filter((o) => mfn(o) && confirmed(o) && inWindow(o.latestDeliveryDate, 14) && valid(o));
  const pop = orders.filter((o) => inWindow(o.purchaseDate, 90));
  const refund = orders.filter((o) => inWindow(o.purchaseDate, 30));
  return {
    orderDefectRate: count(odr, defect),
    preFulfilmentCancellationRate: count(
      pcr,
      (o) => cancelled(o) && o.cancelledBy === "seller" && !buyerAsked(o),
    ),
    lateDispatchRate10: count(ld10, late),
    lateDispatchRate30: count(ld30, late),
    validTrackingRate: count(vtr, valid),
    onTimeDeliveryRate: count(
      otd,
      (o) =>
        o.deliveredAt !== undefined &&
        new Date(o.deliveredAt) <= new Date(o.latestDeliveryDate!) &&
        happened(o.deliveredAt),
    ),
    perfectOrderPercentage: count(
      pop,
      (o) =>
        !(
          happened(o.defects?.negativeFeedbackAt) ||
          happened(o.defects?.azClaim?.at) ||
          happened(o.defects?.chargebackAt) ||
          happened(o.defects?.refundedAt) ||
          happened(o.defects?.buyerMessageAt) ||
          cancelled(o) ||
          late(o)
        ),
    ),
    refundRate: count(refund, (o) => happened(o.defects?.refundedAt)),
  };
}

/** Interprets the rule objects afresh for one order: validates each rule, then reads its conditions. */
export function naiveAssign(
  rules: readonly unknown[],
  order: Order,
): { ruleId: string; serviceCode: string } | null {
  for (const raw of rules) {
    const rule = shippingRuleSchema.parse(raw);
    if (!rule.enabled) continue;
    const w = rule.when;
    const pkg = order.package;
    const inRange = (v: number | undefined, r?: { min?: number | undefined; max?: number | undefined }) =>
      r === undefined || (v !== undefined && v >= (r.min ?? -Infinity) && v <= (r.max ?? Infinity));
    const { area, district } = postcodeParts(order.recipient?.postcode ?? "");
    const country = (order.recipient?.countryCode ?? "").toUpperCase();
    const itemCount = order.items.reduce((n, i) => n + i.quantityOrdered, 0);
    const value = order.orderTotal ? Number.parseFloat(order.orderTotal.amount) : undefined;
    const sides =
      pkg?.lengthMm !== undefined && pkg.widthMm !== undefined && pkg.heightMm !== undefined
        ? [pkg.lengthMm, pkg.widthMm, pkg.heightMm].sort((a, b) => b - a)
        : undefined;
    const box = w.fitsWithinMm
      ? [w.fitsWithinMm.length, w.fitsWithinMm.width, w.fitsWithinMm.height].sort((a, b) => b - a)
      : undefined;
    const ok =
      (w.prime === undefined || w.prime === order.isPrime) &&
      (!w.countries || w.countries.includes(country)) &&
      !w.notCountries?.includes(country) &&
      (!w.postcodeAreas || w.postcodeAreas.includes(area) || w.postcodeAreas.includes(district)) &&
      (!w.notPostcodeAreas ||
        !(w.notPostcodeAreas.includes(area) || w.notPostcodeAreas.includes(district))) &&
      (!w.shipServiceLevels || w.shipServiceLevels.includes(order.shipServiceLevel)) &&
      inRange(pkg?.weightGrams, w.weightGrams) &&
      inRange(itemCount, w.itemCount) &&
      inRange(value, w.orderValue) &&
      (!box || sides?.every((s, i) => s <= box[i]!)) &&
      (!w.skus || order.items.some((i) => w.skus!.includes(i.sku))) &&
      (!w.skuPrefixes || order.items.some((i) => w.skuPrefixes!.some((p) => i.sku.startsWith(p))));
    if (ok) return { ruleId: rule.id, serviceCode: rule.use.serviceCode };
  }
  return null;
}

/** Linear scan: every order's searchable fields joined, lower-cased, checked with `includes`. */
export function naiveSearch(orders: readonly Order[], query: string, limit = 20): string[] {
  const q = query.toLowerCase().trim();
  if (q === "") return [];
  const out: string[] = [];
  for (const o of orders) {
    const text = [
      o.orderId,
      o.buyerName ?? "",
      o.recipient?.name ?? "",
      o.recipient?.postcode ?? "",
      o.recipient?.postcode.replace(/\s+/g, "") ?? "",
      ...o.items.flatMap((i) => [i.sku, i.asin, i.title]),
      ...o.shipments.map((s) => s.trackingNumber),
    ]
      .join(" ")
      .toLowerCase();
    if (text.includes(q)) out.push(o.orderId);
  }
  return out.slice(0, limit);
}
