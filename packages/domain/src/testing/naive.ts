// The straightforward versions the benchmarks compare against (and the tests hold the fast ones equal to):
// one `.filter` per metric with Date objects, rules re-validated and interpreted for every order, and a
// linear scan of concatenated fields for search.

import { METRIC_DEFINITIONS, type MetricId } from "../metrics/definitions.ts";
import type { Order } from "../order.ts";
import { postcodeParts } from "../rules/facts.ts";
import { shippingRuleSchema } from "../rules/schema.ts";
import { isValidTrackingNumber } from "../tracking.ts";

type Counts = Record<MetricId, { numerator: number; denominator: number }> & {
  afnOrderDefectRate: { numerator: number; denominator: number };
};

interface NaiveParcel {
  order: Order;
  confirmedAt?: number;
  deliveredAt?: number;
  trackedAt?: number;
  shipments: Order["shipments"];
}

export function naiveMetrics(orders: readonly Order[], nowMs: number): Counts {
  const now = new Date(nowMs);
  // Whole UTC days as Amazon's report draws them: N days back to 00:00 UTC of the first day.
  const startOfWindow = (days: number) => {
    const d = new Date(nowMs);
    d.setUTCHours(0, 0, 0, 0);
    d.setUTCDate(d.getUTCDate() - (days - 1));
    return d;
  };
  const inWindow = (at: number | undefined, days: number) =>
    at !== undefined && new Date(at) >= startOfWindow(days) && new Date(at) <= now;
  const happened = (at: number | undefined) => at !== undefined && new Date(at) <= now;
  const parcels = (o: Order): NaiveParcel[] =>
    o.packages && o.packages.length > 0
      ? o.packages.map((p) => ({
          order: o,
          confirmedAt: p.confirmation.confirmedAt,
          deliveredAt: p.deliveredAt,
          trackedAt: p.tracking?.checkedAt,
          shipments: p.shipments,
        }))
      : [
          {
            order: o,
            confirmedAt: o.confirmation.confirmedAt,
            deliveredAt: o.deliveredAt,
            trackedAt: o.tracking?.checkedAt,
            shipments: o.shipments,
          },
        ];
  const cancelled = (o: Order) => o.cancelledBy !== undefined && happened(o.cancelledAt);
  const afterDispatch = (o: Order) =>
    cancelled(o) &&
    parcels(o).some(
      (p) => p.confirmedAt !== undefined && new Date(p.confirmedAt) <= new Date(o.cancelledAt!),
    );
  const beforeDispatch = (o: Order) => cancelled(o) && !afterDispatch(o);
  const allConfirmed = (o: Order) => parcels(o).every((p) => happened(p.confirmedAt));
  const lastConfirmed = (o: Order) => Math.max(...parcels(o).map((p) => p.confirmedAt!));
  const late = (o: Order) =>
    o.fulfilmentChannel === "MFN" &&
    !beforeDispatch(o) &&
    (allConfirmed(o)
      ? new Date(lastConfirmed(o)) > new Date(o.latestShipDate)
      : new Date(o.latestShipDate) < now);
  const numbered = (p: NaiveParcel) => {
    const s = [...p.shipments].reverse().find((x) => x.voidedAt === undefined);
    return s !== undefined && isValidTrackingNumber(s.courier, s.trackingNumber);
  };
  const trackedAfterDelivery = (p: NaiveParcel) =>
    happened(p.deliveredAt) && new Date(p.deliveredAt!) < new Date(p.confirmedAt!);
  const claimCounts = (o: Order) => {
    const c = o.defects?.azClaim;
    if (c === undefined || !happened(c.at)) return false;
    return c.outcome === undefined ? !c.denied : ["open", "granted"].includes(c.outcome);
  };
  const defect = (o: Order) =>
    happened(o.defects?.negativeFeedbackAt) || claimCounts(o) || happened(o.defects?.chargebackAt);
  const refunded = (o: Order) =>
    happened(o.defects?.refundedAt) || happened(o.defects?.returnedAt) || afterDispatch(o);
  const buyerAsked = (o: Order) =>
    o.buyerCancellationRequested === true || o.items.some((i) => i.cancellationRequested);
  const mfn = (o: Order) => o.fulfilmentChannel === "MFN";
  const count = <T>(list: T[], bad: (o: T) => boolean) => ({
    numerator: list.filter(bad).length,
    denominator: list.length,
  });
  const mfnParcels = orders.filter(mfn).flatMap(parcels);

  const odr = orders.filter(
    (o) => mfn(o) && inWindow(o.purchaseDate, METRIC_DEFINITIONS.orderDefectRate.windowDays),
  );
  const afnOdr = orders.filter((o) => !mfn(o) && inWindow(o.purchaseDate, 60));
  const pcr = orders.filter((o) => mfn(o) && inWindow(o.purchaseDate, 7));
  const ld10 = orders.filter((o) => mfn(o) && !beforeDispatch(o) && inWindow(o.latestShipDate, 10));
  const ld30 = orders.filter((o) => mfn(o) && !beforeDispatch(o) && inWindow(o.latestShipDate, 30));
  const vtr = mfnParcels.filter((p) => happened(p.confirmedAt) && inWindow(p.confirmedAt, 30));
  // A parcel's delivery is known once it was scanned delivered, or its courier answered after the
  // latest delivery date (not delivered by then: late). Otherwise it awaits delivery data.
  const deliveryKnown = (p: NaiveParcel) =>
    happened(p.deliveredAt) ||
    (happened(p.trackedAt) && new Date(p.trackedAt!) >= new Date(p.order.latestDeliveryDate!));
  const otd = mfnParcels.filter(
    (p) =>
      happened(p.confirmedAt) && inWindow(p.order.latestDeliveryDate, 14) && numbered(p) && deliveryKnown(p),
  );
  const pop = orders.filter((o) => mfn(o) && inWindow(o.purchaseDate, 90));
  const refund = orders.filter((o) => mfn(o) && inWindow(o.purchaseDate, 30));
  return {
    orderDefectRate: count(odr, defect),
    afnOrderDefectRate: count(afnOdr, defect),
    preFulfilmentCancellationRate: count(
      pcr,
      (o) => beforeDispatch(o) && o.cancelledBy === "seller" && !buyerAsked(o),
    ),
    lateDispatchRate10: count(ld10, late),
    lateDispatchRate30: count(ld30, late),
    validTrackingRate: count(vtr, (p) => numbered(p) && !trackedAfterDelivery(p)),
    onTimeDeliveryRate: count(
      otd,
      (p) =>
        p.deliveredAt !== undefined &&
        new Date(p.deliveredAt) <= new Date(p.order.latestDeliveryDate!) &&
        happened(p.deliveredAt) &&
        !trackedAfterDelivery(p),
    ),
    perfectOrderPercentage: count(
      pop,
      (o) =>
        !(
          happened(o.defects?.negativeFeedbackAt) ||
          happened(o.defects?.azClaim?.at) ||
          happened(o.defects?.chargebackAt) ||
          refunded(o) ||
          happened(o.defects?.buyerMessageAt) ||
          cancelled(o) ||
          late(o)
        ),
    ),
    refundRate: count(refund, refunded),
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
