// The documents behind two report types, built from the seller's demo orders and buyer events:
// GET_V2_SELLER_PERFORMANCE_REPORT (JSON per accountHealthReport-2020-11-18.json: aggregate figures
// only, no order ids) and GET_SELLER_FEEDBACK_DATA (tab-separated, one row per feedback, with the
// order id: this is where Amazon tells which orders got negative feedback).

import { type SandboxOrder, UK_MARKETPLACE_ID } from "../amazon/wire.ts";
import type { BuyerEvents } from "./buyer-events.ts";

const DAY = 86_400_000;

function dayStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}
const minute = (t: number) => `${new Date(t).toISOString().slice(0, 16)}Z`;

/** Amazon's ranges run from 00:00 of the first day to 23:59 of the last, in UTC. */
function range(lastDay: number, days: number) {
  const to = dayStart(lastDay);
  const from = to - (days - 1) * DAY;
  return {
    fromMs: from,
    toMs: to + DAY - 1,
    wire: { reportingDateFrom: minute(from), reportingDateTo: minute(to + DAY - 60_000) },
  };
}

type Condition = "LESS_THAN" | "GREATER_THAN" | "EQUALS";
const status = (rate: number, target: number, cond: Condition, count: number) =>
  count === 0
    ? "NONE"
    : (cond === "LESS_THAN" ? rate < target : cond === "GREATER_THAN" ? rate > target : rate === target)
      ? "GOOD"
      : "BAD";
const ratio = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 1e6) / 1e6);

const latestShip = (o: SandboxOrder) =>
  Date.parse(o.order.fulfillment.shipByWindow.latestDateTime ?? o.order.createdTime);
const latestDelivery = (o: SandboxOrder) =>
  Date.parse(o.order.fulfillment.deliverByWindow.latestDateTime ?? o.order.createdTime);
const shipTime = (o: SandboxOrder) =>
  o.order.packages[0] ? Date.parse(o.order.packages[0].shipTime) : undefined;

export function performanceReport(orders: SandboxOrder[], events: BuyerEvents, now: number): unknown {
  const visible = orders.filter((o) => o.createdMs <= now && o.order.fulfillment.fulfilledBy === "MERCHANT");
  const inRange = (t: number, r: { fromMs: number; toMs: number }) => t >= r.fromMs && t <= r.toMs;

  // ODR: 60 days of orders, ending 14 days ago (Amazon leaves time for feedback and claims).
  const odr = range(now - 14 * DAY, 60);
  const odrOrders = visible.filter((o) => inRange(o.createdMs, odr));
  const ids = new Set(odrOrders.map((o) => o.order.orderId));
  const negative = new Set(
    events.feedback.filter((f) => f.rating <= 2 && ids.has(f.orderId)).map((f) => f.orderId),
  );
  const claims = new Set(
    events.claims.filter((c) => !c.reversedAt && ids.has(c.orderId)).map((c) => c.orderId),
  );
  const chargebacks = new Set(events.chargebacks.filter((c) => ids.has(c.orderId)).map((c) => c.orderId));
  const defective = new Set([...negative, ...claims, ...chargebacks]);
  const odrRate = ratio(defective.size, odrOrders.length);
  const odrSection = {
    reportingDateRange: odr.wire,
    orderCount: odrOrders.length,
    orderWithDefects: { count: defective.size, status: defective.size > 0 ? "BAD" : "GOOD" },
    claims: { count: claims.size, status: "NONE" },
    chargebacks: { count: chargebacks.size, status: "NONE" },
    negativeFeedback: { count: negative.size, status: "NONE" },
    fulfillmentType: "mfn",
    status: status(odrRate, 0.01, "LESS_THAN", odrOrders.length),
    rate: odrRate,
    targetValue: 0.01,
    targetCondition: "LESS_THAN",
  };

  // Late dispatch: orders whose latest ship date is in the last 30 days, dispatched after it.
  const lsr = range(now, 30);
  const lsrOrders = visible.filter(
    (o) => inRange(latestShip(o), lsr) && o.order.fulfillment.fulfillmentStatus === "SHIPPED",
  );
  const late = lsrOrders.filter((o) => (shipTime(o) ?? 0) > latestShip(o)).length;
  const lsrRate = ratio(late, lsrOrders.length);

  // Pre-fulfilment cancellations: orders placed in the last 7 days that the seller cancelled.
  const pfc = range(now, 7);
  const pfcOrders = visible.filter((o) => inRange(o.createdMs, pfc));
  const cancelled = pfcOrders.filter((o) =>
    o.order.orderItems.some((i) => i.cancellation?.cancellationExecution?.cancelledBy === "SELLER"),
  ).length;
  const pfcRate = ratio(cancelled, pfcOrders.length);

  // Valid tracking: packages confirmed in the last 30 days.
  const vtr = range(now, 30);
  const vtrShipped = visible.filter((o) => inRange(shipTime(o) ?? -1, vtr));
  const vtrRate = ratio(vtrShipped.length, vtrShipped.length);

  // On-time delivery: packages whose latest delivery date was in the 14 days ending yesterday.
  const otd = range(now - DAY, 14);
  const otdOrders = visible.filter((o) => o.order.packages.length > 0 && inRange(latestDelivery(o), otd));
  const onTime = otdOrders.filter((o) => o.order.packages[0]?.packageStatus.status === "DELIVERED").length;
  const units = (list: SandboxOrder[]) =>
    list.reduce((n, o) => n + o.order.orderItems.reduce((m, i) => m + i.quantityOrdered, 0), 0);
  const otdRate = ratio(onTime, otdOrders.length);
  const onTimeOrders = otdOrders.filter((o) => o.order.packages[0]?.packageStatus.status === "DELIVERED");

  const listingLevel = (days: number) => ({
    reportingDateRange: range(now, days).wire,
    defectsCount: 0,
    status: "GOOD",
    targetValue: 0,
    targetCondition: "EQUALS",
  });
  const odrAfn = {
    ...odrSection,
    orderCount: 0,
    orderWithDefects: { count: 0, status: "NONE" },
    claims: { count: 0, status: "NONE" },
    chargebacks: { count: 0, status: "NONE" },
    negativeFeedback: { count: 0, status: "NONE" },
    fulfillmentType: "afn",
    status: "NONE",
    rate: 0,
  };

  return {
    accountStatuses: [{ marketplaceId: UK_MARKETPLACE_ID, status: "NORMAL" }],
    performanceMetrics: [
      {
        marketplaceId: UK_MARKETPLACE_ID,
        invoiceDefectRate: {
          reportingDateRange: range(now, 7).wire,
          orderCount: 0,
          invoiceDefect: { count: 0, status: "NONE" },
          missingInvoice: { count: 0, status: "NONE" },
          lateInvoice: { count: 0, status: "NONE" },
          status: "NONE",
          rate: 0,
          targetValue: 0.05,
          targetCondition: "LESS_THAN",
        },
        lateShipmentRate: {
          reportingDateRange: lsr.wire,
          orderCount: lsrOrders.length,
          lateShipmentCount: late,
          status: status(lsrRate, 0.04, "LESS_THAN", lsrOrders.length),
          rate: lsrRate,
          targetValue: 0.04,
          targetCondition: "LESS_THAN",
        },
        orderDefectRate: { mfn: odrSection, afn: odrAfn },
        onTimeDeliveryRate: {
          reportingDateRange: otd.wire,
          shipmentCountWithValidTracking: otdOrders.length,
          onTimeDeliveryCount: onTime,
          status: status(otdRate, 0.97, "GREATER_THAN", otdOrders.length),
          rate: otdRate,
          targetValue: 0.97,
          targetCondition: "GREATER_THAN",
        },
        unitOnTimeDeliveryRate: {
          reportingDateRange: otd.wire,
          status: status(
            ratio(units(onTimeOrders), units(otdOrders)),
            0.97,
            "GREATER_THAN",
            otdOrders.length,
          ),
          targetValue: 0.97,
          targetCondition: "GREATER_THAN",
          unitOnTimeDeliveryCount: units(onTimeOrders),
          totalUnitCount: units(otdOrders),
          rate: ratio(units(onTimeOrders), units(otdOrders)),
        },
        validTrackingRate: {
          reportingDateRange: vtr.wire,
          shipmentCount: vtrShipped.length,
          validTrackingCount: vtrShipped.length,
          status: status(vtrRate, 0.95, "GREATER_THAN", vtrShipped.length),
          rate: vtrRate,
          targetValue: 0.95,
          targetCondition: "GREATER_THAN",
        },
        preFulfillmentCancellationRate: {
          reportingDateRange: pfc.wire,
          orderCount: pfcOrders.length,
          cancellationCount: cancelled,
          status: status(pfcRate, 0.025, "LESS_THAN", pfcOrders.length),
          rate: pfcRate,
          targetValue: 0.025,
          targetCondition: "LESS_THAN",
        },
        warningStates: [],
        accountHealthRating: {
          ahrStatus: "GREAT",
          accountHealthRatingStatus: "GREAT",
          reportingDateRange: range(now, 180).wire,
        },
        listingPolicyViolations: listingLevel(180),
        productAuthenticityCustomerComplaints: listingLevel(180),
        productConditionCustomerComplaints: listingLevel(180),
        productSafetyCustomerComplaints: listingLevel(180),
        receivedIntellectualPropertyComplaints: listingLevel(180),
        restrictedProductPolicyViolations: listingLevel(180),
        suspectedIntellectualPropertyViolations: listingLevel(180),
        foodAndProductSafetyIssues: listingLevel(180),
        otherPolicyViolations: listingLevel(180),
        documentRequests: listingLevel(180),
      },
    ],
  };
}

/** Seller Central's feedback report: tab-separated, a header line, dates as dd/mm/yy (UK). */
export function feedbackReport(events: BuyerEvents): string {
  const ukDate = (t: number) => {
    const d = new Date(t);
    const two = (n: number) => String(n).padStart(2, "0");
    return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)}`;
  };
  const rows = [...events.feedback]
    .sort((a, b) => b.at - a.at)
    .map((f) =>
      [
        ukDate(f.at),
        String(f.rating),
        f.comment,
        "",
        f.orderId,
        `${f.orderId.replace(/-/g, "")}@marketplace.amazon.co.uk`,
      ].join("\t"),
    );
  return `${["Date", "Rating", "Comments", "Response", "Order ID", "Rater Email"].join("\t")}\n${rows.join("\n")}\n`;
}
