// The simulated seller's world on Amazon's side (test/sim drives it through ./control.ts):
//
//   - the buyers: a day of UK orders, ~1,000 on an average day (Mondays +40%, one peak day at three
//     times normal), arriving through the day with an evening peak (15:00–22:00 UK), 30% Prime with
//     tighter ship-by dates, multi-item orders, a few cancellation requests and address problems;
//   - after despatch: each parcel's delivery (the courier sandbox's own journey for its tracking
//     number: on time, late, a failed attempt, lost), a little negative feedback (more when dispatch
//     or delivery was late), a few A-to-z claims and refunds;
//   - Amazon's own account-health figures, computed from what Amazon actually received: the shipment
//     confirmations (when, with which tracking number), the cancellations and the buyers' side.
//
// Pure functions of a seed and the sandbox clock: the same seed gives the same month.

import { type Level, makeOrder, shipWindows } from "../amazon/demo-data.ts";
import { digits, hashSeed, pick, type Random, seededRandom } from "../amazon/random.ts";
import type { OrderRow, ReceivedConfirmation } from "../amazon/store.ts";
import type { SandboxOrder } from "../amazon/wire.ts";
import { draw, type JourneyEvent, plannedJourney } from "../couriers/tracking.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DayPlanOptions {
  sellingPartnerId: string;
  /** 00:00 UTC of the day (the UK day in winter; the simulation runs in GMT months). */
  dayStartMs: number;
  seed: string;
  /** Orders on an average day (the 1,000; the short test uses fewer). */
  averagePerDay: number;
  /** The Black-Friday-like day: three times normal. */
  peak?: boolean;
  /** Share of Prime orders (default 0.3). */
  primeShare?: number;
  /** Share of orders whose buyer asks to cancel before dispatch (default 0.012). */
  cancelRequestShare?: number;
  /** Share of orders with an address a courier cannot take (default 0.004). */
  addressProblemShare?: number;
}

/** Day-of-week factors (Sunday first) averaging 1.0: Mondays +40% against the average. */
export const WEEKDAY_FACTOR = [0.85, 1.4, 0.95, 0.95, 0.95, 0.95, 0.95] as const;

/** Relative arrival rate per UTC hour: quiet nights, steady day, the 15:00–22:00 evening peak. */
export const HOURLY_WEIGHT = [
  0.25, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1, 1, 1, 1.1, 1.1, 1.1, 1.8, 1.9, 2, 2.2, 2.4, 2.4, 2.2, 1.8,
  0.8,
] as const;
const HOURLY_TOTAL = HOURLY_WEIGHT.reduce((a, b) => a + b, 0);

/** How many orders arrive on a day: the weekday's factor, three times on the peak day. */
export function dayVolume(dayStartMs: number, averagePerDay: number, peak = false): number {
  const weekday = new Date(dayStartMs).getUTCDay();
  return Math.round(averagePerDay * (WEEKDAY_FACTOR[weekday] ?? 1) * (peak ? 3 : 1));
}

/** What the plan put into an order beyond Amazon's own fields (for the report, never sent to Consign). */
export interface PlannedTraits {
  /** When Amazon creates it (the seller's clock): the simulation's driver waits for it to reach the room. */
  createdMs: number;
  /** When the buyer asks to cancel (the seller's clock), for the few who do. */
  cancelRequestMs?: number;
  prime: boolean;
  items: number;
  cancelRequest: boolean;
  addressProblem: boolean;
  /**
   * For an address problem: the full postcode, as the owner finds it (asking the buyer, or a
   * postcode finder from the address lines). Never on the order Amazon gives Consign.
   */
  fullPostcode?: string;
}

function arrivalTime(rnd: Random, dayStartMs: number): number {
  let x = rnd() * HOURLY_TOTAL;
  let hour = 0;
  for (; hour < 23; hour++) {
    const w = HOURLY_WEIGHT[hour] ?? 0;
    if (x < w) break;
    x -= w;
  }
  return dayStartMs + hour * HOUR + Math.floor(rnd() * HOUR);
}

/** One day of orders, created at their arrival times (they become visible as the clock passes them). */
export function planDay(opts: DayPlanOptions): {
  orders: SandboxOrder[];
  traits: Record<string, PlannedTraits>;
} {
  // The seed and the day only: two sellers given the same seed get the same orders (the two runs).
  const rnd = seededRandom(hashSeed(`${opts.seed}:${opts.dayStartMs}`));
  const n = dayVolume(opts.dayStartMs, opts.averagePerDay, opts.peak);
  const primeShare = opts.primeShare ?? 0.3;
  const cancelShare = opts.cancelRequestShare ?? 0.012;
  const addressShare = opts.addressProblemShare ?? 0.004;
  const day = new Date(opts.dayStartMs).toISOString().slice(2, 10).replace(/-/g, "");
  const orders: SandboxOrder[] = [];
  const traits: Record<string, PlannedTraits> = {};
  const ids = new Set<string>();
  for (let i = 0; i < n; i++) {
    let id = "";
    do
      id = `${pick(rnd, ["202", "203", "204", "205", "206"])}-${day.slice(1)}${digits(rnd, 2)}-${digits(rnd, 7)}`;
    while (ids.has(id));
    ids.add(id);
    const created = arrivalTime(rnd, opts.dayStartMs);
    const o = makeOrder(rnd, id, created, { status: "UNSHIPPED" }, created);
    const prime = rnd() < primeShare;
    const level: Level = prime
      ? rnd() < 0.6
        ? "NEXT_DAY"
        : "SECOND_DAY"
      : rnd() < 0.75
        ? "STANDARD"
        : "EXPEDITED";
    const w = shipWindows(created, level);
    o.order.fulfillment.fulfillmentServiceLevel = level;
    o.order.fulfillment.shipByWindow = w.shipByWindow;
    o.order.fulfillment.deliverByWindow = w.deliverByWindow;
    o.order.programs = [...(prime ? ["PRIME"] : []), ...o.order.programs.filter((p) => p !== "PRIME")];
    const cancelRequest = rnd() < cancelShare;
    // The buyer changes their mind within four hours (a request that may come after dispatch too).
    if (cancelRequest) o.cancelRequestMs = created + 10 * 60_000 + Math.floor(rnd() * 4 * HOUR);
    const addressProblem = rnd() < addressShare;
    let fullPostcode: string | undefined;
    if (addressProblem) {
      // A postcode with no inward part: no courier can take it until someone fixes it.
      const a = o.order.recipient.deliveryAddress;
      if (a) {
        fullPostcode = a.postalCode ?? undefined;
        a.postalCode = (a.postalCode ?? "").split(" ")[0] ?? "";
      }
    }
    orders.push(o);
    traits[id] = {
      createdMs: created,
      ...(o.cancelRequestMs !== undefined ? { cancelRequestMs: o.cancelRequestMs } : {}),
      prime,
      items: o.order.orderItems.reduce((s, it) => s + it.quantityOrdered, 0),
      cancelRequest,
      addressProblem,
      ...(fullPostcode ? { fullPostcode } : {}),
    };
  }
  orders.sort((a, b) => a.createdMs - b.createdMs);
  return { orders, traits };
}

// --- after despatch: what the buyers and Amazon see ---------------------------------------------

export interface OrderOutcome {
  orderId: string;
  createdMs: number;
  latestShipMs: number;
  latestDeliveryMs: number;
  status: string;
  prime: boolean;
  /** Amazon's first accepted shipment confirmation (sandbox time), and how many it accepted. */
  confirmedMs: number | null;
  confirmationsAccepted: number;
  confirmationsRefused: number;
  shipDateMs: number | null;
  trackingNumber: string | null;
  carrier: string | null;
  lateDispatch: boolean;
  validTracking: boolean;
  /** The carrier's delivered scan (sandbox time), once it has happened. */
  deliveredMs: number | null;
  /**
   * Delivered by the latest delivery date (true), delivered after it or still not delivered once it
   * passed (false), or not known yet (null; also for an order with no tracking number).
   */
  onTimeDelivery: boolean | null;
  lost: boolean;
  negativeFeedbackMs: number | null;
  claimMs: number | null;
  refundMs: number | null;
  cancelled: "buyer" | "seller" | null;
  cancelRequested: boolean;
}

interface ConfirmationBody {
  packageDetail?: {
    trackingNumber?: string;
    carrierCode?: string;
    carrierName?: string;
    shippingMethod?: string;
    shipDate?: string;
  };
}

/** Every order's fate as Amazon and its buyer know it at `now`. */
export function outcomes(
  rows: OrderRow[],
  confirmations: ReceivedConfirmation[],
  now: number,
  journeys: ReadonlyMap<string, readonly JourneyEvent[]> = new Map(),
): OrderOutcome[] {
  const byOrder = new Map<string, ReceivedConfirmation[]>();
  for (const c of confirmations) {
    const list = byOrder.get(c.orderId) ?? [];
    list.push(c);
    byOrder.set(c.orderId, list);
  }
  const out: OrderOutcome[] = [];
  for (const row of rows) {
    if (row.createdMs > now) continue;
    const o = row.order;
    const latestShipMs = Date.parse(o.fulfillment.shipByWindow.latestDateTime ?? o.createdTime);
    const latestDeliveryMs = Date.parse(o.fulfillment.deliverByWindow.latestDateTime ?? o.createdTime);
    const received = byOrder.get(o.orderId) ?? [];
    const accepted = received.filter((c) => c.accepted);
    const first = accepted[0];
    const body = first ? (JSON.parse(first.body) as ConfirmationBody) : null;
    const confirmedMs = first ? Date.parse(first.receivedAt) : null;
    const trackingNumber = body?.packageDetail?.trackingNumber ?? null;
    const carrier = body?.packageDetail?.carrierName ?? body?.packageDetail?.carrierCode ?? null;
    const shipDateMs = body?.packageDetail?.shipDate ? Date.parse(body.packageDetail.shipDate) : null;
    const cancelledItem = o.orderItems.find((i) => i.cancellation?.cancellationExecution);
    const cancelled =
      o.fulfillment.fulfillmentStatus === "CANCELLED"
        ? cancelledItem?.cancellation?.cancellationExecution?.cancelledBy === "BUYER" ||
          cancelledItem?.cancellation?.cancellationRequest
          ? "buyer"
          : "seller"
        : null;
    // Late: confirmed after the latest ship date, or not confirmed at all once it has passed.
    const lateDispatch =
      cancelled === null && (confirmedMs !== null ? confirmedMs > latestShipMs : now > latestShipMs);
    const validTracking = !!trackingNumber && /^[A-Z0-9]{8,40}$/i.test(trackingNumber) && !!carrier;
    let deliveredMs: number | null = null;
    let lost = false;
    if (trackingNumber && confirmedMs !== null) {
      // Amazon reads the delivery from the carrier's scans for the tracking number it was given:
      // the courier sandbox's own journey for that parcel when a sandbox courier sold it; else (a
      // number no sandbox courier knows) a journey planned from the confirmation.
      const journey =
        journeys.get(trackingNumber) ??
        plannedJourney({
          trackingNumber,
          service: body?.packageDetail?.shippingMethod ?? carrier ?? "",
          createdAt: shipDateMs ?? confirmedMs,
        });
      const delivered = journey.find((e) => e.stage === "delivered");
      lost = journey.some((e) => e.stage === "returned" && e.at <= now);
      if (delivered && delivered.at <= now) deliveredMs = delivered.at;
    }
    // On time: delivered by the latest delivery date, and not before Amazon had its tracking (a
    // confirmation after the delivery is not on time). Late once that date passed undelivered.
    const onTimeDelivery =
      deliveredMs !== null
        ? deliveredMs <= latestDeliveryMs && confirmedMs !== null && confirmedMs <= deliveredMs
        : trackingNumber && confirmedMs !== null && now > latestDeliveryMs
          ? false
          : null;
    // The buyer's side: more unhappy buyers when dispatch or delivery was late, or the parcel lost.
    const lateDelivery = onTimeDelivery === false;
    const unhappy =
      0.004 +
      (lateDispatch ? 0.06 : 0) +
      (lateDelivery ? 0.04 : 0) +
      (lost ? 0.25 : 0) +
      (!first && cancelled === null && now > latestShipMs + 2 * DAY ? 0.3 : 0);
    const settled = deliveredMs ?? (lost || !first ? latestDeliveryMs : null);
    let negativeFeedbackMs: number | null = null;
    if (settled !== null && cancelled === null && draw(o.orderId, 11) < unhappy) {
      const at = settled + Math.floor((1 + draw(o.orderId, 12) * 4) * DAY);
      if (at <= now) negativeFeedbackMs = at;
    }
    let claimMs: number | null = null;
    const claimChance = 0.0006 + (lost ? 0.3 : 0) + (lateDelivery ? 0.01 : 0) + (lateDispatch ? 0.01 : 0);
    if (settled !== null && cancelled === null && draw(o.orderId, 13) < claimChance) {
      const at = Math.max(settled, latestDeliveryMs) + Math.floor((2 + draw(o.orderId, 14) * 5) * DAY);
      if (at <= now) claimMs = at;
    }
    let refundMs: number | null = null;
    if (claimMs !== null) refundMs = claimMs + DAY;
    else if (deliveredMs !== null && draw(o.orderId, 15) < 0.015) {
      const at = deliveredMs + Math.floor((3 + draw(o.orderId, 16) * 10) * DAY);
      if (at <= now) refundMs = at;
    }
    out.push({
      orderId: o.orderId,
      createdMs: row.createdMs,
      latestShipMs,
      latestDeliveryMs,
      status: o.fulfillment.fulfillmentStatus,
      prime: o.programs.includes("PRIME"),
      confirmedMs,
      confirmationsAccepted: accepted.length,
      confirmationsRefused: received.length - accepted.length,
      shipDateMs,
      trackingNumber,
      carrier,
      lateDispatch,
      validTracking: first ? validTracking : false,
      deliveredMs,
      onTimeDelivery,
      lost,
      negativeFeedbackMs,
      claimMs,
      refundMs,
      cancelled,
      cancelRequested: row.cancelRequestMs !== null && row.cancelRequestMs <= now,
    });
  }
  return out;
}

export interface RateFigure {
  numerator: number;
  denominator: number;
  rate: number | null;
}

const rate = (numerator: number, denominator: number): RateFigure => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
});

/**
 * Amazon's account-health figures at `now`, from what Amazon received. Windows end at `now` (the
 * simulation is shorter than Amazon's 60-day ODR window, which would also leave out the last 14 days).
 */
export function accountHealth(all: OrderOutcome[], now: number) {
  const within = (t: number | null, days: number) => t !== null && t > now - days * DAY && t <= now;
  const due = (days: number) =>
    all.filter(
      (o) => o.cancelled === null && within(Math.min(o.latestShipMs, now), days) && o.latestShipMs <= now,
    );
  const lateDispatch = (days: number) => {
    const orders = due(days);
    return rate(orders.filter((o) => o.lateDispatch).length, orders.length);
  };
  const created7 = all.filter((o) => within(o.createdMs, 7));
  const shipped30 = all.filter((o) => within(o.confirmedMs, 30));
  // On-time delivery (DOMAIN.md): packages with tracking whose latest delivery date falls in the
  // last 14 days, delivered by that date; a package still undelivered then counts as not on time.
  const delivery14 = all.filter(
    (o) => o.cancelled === null && o.validTracking && within(o.latestDeliveryMs, 14),
  );
  const odrOrders = all.filter((o) => within(o.createdMs, 60));
  const defect = (o: OrderOutcome) => o.negativeFeedbackMs !== null || o.claimMs !== null;
  return {
    at: new Date(now).toISOString(),
    lateDispatch10: lateDispatch(10),
    lateDispatch30: lateDispatch(30),
    preFulfilmentCancellation7: rate(
      created7.filter((o) => o.cancelled === "seller").length,
      created7.length,
    ),
    validTracking30: rate(shipped30.filter((o) => o.validTracking).length, shipped30.length),
    onTimeDelivery14: rate(delivery14.filter((o) => o.onTimeDelivery === true).length, delivery14.length),
    orderDefect60: rate(odrOrders.filter(defect).length, odrOrders.length),
    negativeFeedback: odrOrders.filter((o) => o.negativeFeedbackMs !== null).length,
    claims: odrOrders.filter((o) => o.claimMs !== null).length,
    refunds: all.filter((o) => o.refundMs !== null).length,
  };
}
