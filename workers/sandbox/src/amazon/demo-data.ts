// Deterministic UK demo orders for one sandbox seller. The same seed and the same `now` give the same
// orders. Recent orders await dispatch with deadlines relative to `now`; older ones were shipped or
// cancelled; a schedule of future orders becomes visible as their time passes.

import { digits, hashSeed, intBetween, pick, type Random, seededRandom } from "./random.ts";
import { FIRST_NAMES, INWARD_LETTERS, PRODUCTS, STREETS, SURNAMES, TOWNS } from "./uk-data.ts";
import { type SandboxOrder, UK_MARKETPLACE_ID, type WireOrder, type WireOrderItem } from "./wire.ts";

export interface SeedOptions {
  sellingPartnerId: string;
  /** Orders that already exist at `now` (history plus those awaiting dispatch). */
  orders: number;
  historyDays: number;
  seed: string | number;
  now: number;
  /** How many of `orders` still await dispatch (placed in the last 48 hours). Default: 6%, at least 3. */
  unshipped?: number;
  /** Future orders per hour that appear as time passes (0 for none). Default 4. */
  arrivalsPerHour?: number;
  /** How far ahead the schedule of future orders reaches. Default 48 hours. */
  arrivalHours?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** No seeded order is newer than this, so Amazon's two-minute search lag never hides one. */
const NEWEST_GAP = 5 * 60_000;

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
const endOfDay = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59, 59);
};
const startOfDay = (t: number) => endOfDay(t) - DAY + 1000;
const pounds = (pence: number): string => (pence / 100).toFixed(2);
const money = (pence: number) => ({ amount: pounds(pence), currencyCode: "GBP" });

/** Royal Mail S10 tracking number with its check digit (weights 8,6,4,2,3,5,9,7). */
export function royalMailTracking(rnd: Random): string {
  const body = digits(rnd, 8);
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * (weights[i] as number);
  let check = 11 - (sum % 11);
  if (check === 10) check = 0;
  else if (check === 11) check = 5;
  return `${pick(rnd, ["GQ", "FQ", "TT", "JD"])}${body}${check}GB`;
}

function postcode(rnd: Random, outward: string): string {
  return `${outward} ${intBetween(rnd, 1, 9)}${pick(rnd, [...INWARD_LETTERS])}${pick(rnd, [...INWARD_LETTERS])}`;
}

export type Level = "STANDARD" | "EXPEDITED" | "SECOND_DAY" | "NEXT_DAY";

export function shipWindows(created: number, level: Level) {
  const hour = new Date(created).getUTCHours();
  const handlingDays = level === "NEXT_DAY" ? (hour < 14 ? 0 : 1) : level === "STANDARD" ? 2 : 1;
  let latestShip = endOfDay(created + handlingDays * DAY);
  if (new Date(latestShip).getUTCDay() === 0) latestShip += DAY; // no Sunday collections
  const transit = { NEXT_DAY: 1, SECOND_DAY: 2, EXPEDITED: 3, STANDARD: 5 }[level];
  return {
    shipByWindow: { earliestDateTime: iso(created), latestDateTime: iso(latestShip) },
    deliverByWindow: {
      earliestDateTime: iso(startOfDay(latestShip + DAY)),
      latestDateTime: iso(endOfDay(latestShip + transit * DAY)),
    },
    latestShip,
  };
}

export interface Kind {
  status: "UNSHIPPED" | "SHIPPED" | "CANCELLED";
}

export function makeOrder(
  rnd: Random,
  orderId: string,
  created: number,
  kind: Kind,
  now: number,
): SandboxOrder {
  const prime = rnd() < 0.35;
  const level: Level = prime
    ? rnd() < 0.6
      ? "NEXT_DAY"
      : "SECOND_DAY"
    : rnd() < 0.75
      ? "STANDARD"
      : "EXPEDITED";
  const windows = shipWindows(created, level);
  const business = rnd() < 0.06;
  const town = pick(rnd, TOWNS);
  const first = pick(rnd, FIRST_NAMES);
  const last = pick(rnd, SURNAMES);
  const name = `${first} ${last}`;
  const lineCount = rnd() < 0.78 ? 1 : rnd() < 0.75 ? 2 : 3;
  const products = [...PRODUCTS].sort(() => rnd() - 0.5).slice(0, lineCount);
  let itemsPence = 0;
  const items: WireOrderItem[] = products.map((p) => {
    const qty = rnd() < 0.85 ? 1 : intBetween(rnd, 2, 3);
    const unit = Math.round(Number(p.price) * 100);
    itemsPence += unit * qty;
    return {
      orderItemId: digits(rnd, 14).replace(/^0/, "1"),
      quantityOrdered: qty,
      product: {
        asin: p.asin,
        title: p.title,
        sellerSku: p.sku,
        condition: { conditionType: "NEW", conditionSubtype: "NEW" },
        price: { unitPrice: money(unit) },
      },
      proceeds: {
        proceedsTotal: money(unit * qty),
        breakdowns: [{ type: "ITEM", subtotal: money(unit * qty) }],
      },
      fulfillment: { quantityFulfilled: 0, quantityUnfulfilled: qty },
    };
  });
  const shippingPence = prime ? 0 : level === "EXPEDITED" ? 499 : 299;
  const order: WireOrder = {
    orderId,
    createdTime: iso(created),
    lastUpdatedTime: iso(created),
    programs: [...(prime ? ["PRIME"] : []), ...(business ? ["AMAZON_BUSINESS"] : [])],
    salesChannel: {
      channelName: "AMAZON",
      marketplaceId: UK_MARKETPLACE_ID,
      marketplaceName: "Amazon.co.uk",
    },
    buyer: {
      buyerName: name,
      buyerEmail: `${digits(rnd, 12)}@marketplace.amazon.co.uk`,
      ...(business ? { buyerCompanyName: `${last} & Co Ltd` } : {}),
    },
    recipient: {
      deliveryAddress: {
        name,
        addressLine1: `${intBetween(rnd, 1, 180)} ${pick(rnd, STREETS)}`,
        ...(rnd() < 0.2 ? { addressLine2: `Flat ${intBetween(rnd, 1, 24)}` } : {}),
        city: town.city,
        districtOrCounty: town.county,
        postalCode: postcode(rnd, pick(rnd, town.outward)),
        countryCode: "GB",
        phone: `+44 7700 900${digits(rnd, 3)}`,
        addressType: business ? "COMMERCIAL" : "RESIDENTIAL",
      },
    },
    proceeds: {
      grandTotal: money(itemsPence + shippingPence),
      breakdowns: [
        { type: "ITEM", subtotal: money(itemsPence) },
        { type: "SHIPPING", subtotal: money(shippingPence) },
      ],
    },
    fulfillment: {
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      fulfillmentServiceLevel: level,
      shipByWindow: windows.shipByWindow,
      deliverByWindow: windows.deliverByWindow,
    },
    orderItems: items,
    packages: [],
  };
  let updated = created;
  if (kind.status === "SHIPPED") {
    const late = rnd() < 0.015; // a healthy seller: about 1.5% late, under Amazon's 4%
    const shipTime = Math.min(
      now - NEWEST_GAP,
      late
        ? windows.latestShip + intBetween(rnd, 1, 30) * HOUR
        : created + Math.floor(rnd() * Math.max(HOUR, windows.latestShip - created)),
    );
    order.fulfillment.fulfillmentStatus = "SHIPPED";
    for (const item of items)
      item.fulfillment = { quantityFulfilled: item.quantityOrdered, quantityUnfulfilled: 0 };
    const delivered = shipTime + intBetween(rnd, 1, 3) * DAY < now;
    order.packages = [
      {
        packageReferenceId: "1",
        createdTime: iso(shipTime),
        packageStatus: { status: delivered ? "DELIVERED" : "IN_TRANSIT" },
        carrier: "Royal Mail",
        shipTime: iso(shipTime),
        shippingService: prime ? "Tracked 24" : "Tracked 48",
        trackingNumber: royalMailTracking(rnd),
        packageItems: items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityOrdered })),
      },
    ];
    updated = shipTime;
  } else if (kind.status === "CANCELLED") {
    const byBuyer = rnd() < 0.7;
    order.fulfillment.fulfillmentStatus = "CANCELLED";
    for (const item of items) {
      item.cancellation = {
        ...(byBuyer
          ? { cancellationRequest: { requester: "BUYER", cancelReason: "Ordered by mistake" } }
          : {}),
        cancellationExecution: {
          cancelledBy: byBuyer ? "BUYER" : "SELLER",
          cancelReason: byBuyer ? "Buyer cancelled" : "Out of stock",
        },
      };
    }
    updated = Math.min(now - NEWEST_GAP, created + intBetween(rnd, 1, 20) * HOUR);
  }
  order.lastUpdatedTime = iso(updated);
  return { order, createdMs: created, updatedMs: updated };
}

/** Every order of a seeded seller, oldest first, including the future ones (not yet visible). */
export function generateOrders(opts: SeedOptions): SandboxOrder[] {
  const rnd = seededRandom(hashSeed(`${opts.sellingPartnerId}:${opts.seed}`));
  const now = opts.now;
  const total = Math.max(0, Math.floor(opts.orders));
  const unshipped = Math.min(total, opts.unshipped ?? Math.max(3, Math.round(total * 0.06)));
  const history = total - unshipped;
  const historyStart = now - Math.max(3, opts.historyDays) * DAY;
  const recentStart = now - 2 * DAY;
  const ids = new Set<string>();
  const newId = () => {
    for (;;) {
      const id = `${pick(rnd, ["202", "203", "204", "205", "206"])}-${digits(rnd, 7)}-${digits(rnd, 7)}`;
      if (!ids.has(id)) {
        ids.add(id);
        return id;
      }
    }
  };
  const out: SandboxOrder[] = [];
  for (let i = 0; i < history; i++) {
    const created = historyStart + Math.floor(rnd() * (recentStart - historyStart));
    out.push(makeOrder(rnd, newId(), created, { status: rnd() < 0.96 ? "SHIPPED" : "CANCELLED" }, now));
  }
  // A healthy seller has dispatched yesterday's orders: what still awaits dispatch is mostly due later
  // today or after, whatever the hour the demo starts. About one in twenty is kept however it falls
  // (so a few are at risk or late), and the first two already carry a buyer's cancellation request.
  for (let i = 0; i < unshipped; i++) {
    const id = newId();
    const keepAsItFalls = rnd() < 0.05;
    let o: SandboxOrder | undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const span = attempt === 0 ? 2 * DAY : Math.max(HOUR, (2 * DAY) / 2 ** attempt);
      const created = now - NEWEST_GAP - Math.floor(rnd() * (span - NEWEST_GAP));
      o = makeOrder(rnd, id, Math.max(recentStart, created), { status: "UNSHIPPED" }, now);
      const shipBy = Date.parse(o.order.fulfillment.shipByWindow.latestDateTime ?? "");
      if (keepAsItFalls || shipBy >= now + 2 * HOUR) break;
    }
    const order = o as SandboxOrder;
    // Three at risk, whatever the hour: one 45 minutes late, two due within the next three hours.
    const atRisk = [-45 * 60_000, 90 * 60_000, 3 * HOUR][i - 2];
    if (atRisk !== undefined) {
      const ship = now + atRisk;
      order.createdMs = Math.min(order.createdMs, ship - 2 * HOUR);
      order.updatedMs = order.createdMs;
      order.order.createdTime = iso(order.createdMs);
      order.order.lastUpdatedTime = iso(order.createdMs);
      order.order.fulfillment.shipByWindow = {
        earliestDateTime: iso(order.createdMs),
        latestDateTime: iso(ship),
      };
    }
    if (i < 2) order.cancelRequestMs = Math.min(now - 60_000, order.createdMs + 20 * 60_000);
    else if (rnd() < 0.04) order.cancelRequestMs = order.createdMs + Math.floor(rnd() * DAY);
    out.push(order);
  }
  const perHour = opts.arrivalsPerHour ?? 4;
  const arrivals = Math.round(perHour * (opts.arrivalHours ?? 48));
  for (let i = 0; i < arrivals; i++) {
    const created = now + 60_000 + Math.floor(((i + rnd()) / perHour) * HOUR);
    const o = makeOrder(rnd, newId(), created, { status: "UNSHIPPED" }, now);
    if (rnd() < 0.03) o.cancelRequestMs = created + Math.floor(rnd() * 6 * HOUR);
    out.push(o);
  }
  return out.sort((a, b) => a.createdMs - b.createdMs);
}
