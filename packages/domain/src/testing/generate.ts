// Seeded, repeatable orders for tests, benchmarks and the sandbox seed. Not for production code paths.
//
//   import { generateOrders, makeOrder, createRng } from "@consign/domain/testing";
//   const orders = generateOrders(100_000, { seed: 42, now: Date.UTC(2026, 10, 25, 12) });

import type { CourierId, Order, OrderItem, OrderState, Shipment } from "../order.ts";
import { UK_MARKETPLACE_ID } from "../order.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../time.ts";
import { s10CheckDigit } from "../tracking.ts";

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rng {
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  digits(n: number): string;
  chars(n: number, alphabet: string): string;
}

export function rng(seed: number): Rng {
  const next = createRng(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (list) => list[Math.floor(next() * list.length)]!,
    chance: (p) => next() < p,
    digits: (n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(next() * 10));
      return s;
    },
    chars: (n, alphabet) => {
      let s = "";
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
  };
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const FIRST = [
  "Olivia",
  "Amelia",
  "Isla",
  "Ava",
  "Mia",
  "Noah",
  "Oliver",
  "George",
  "Arthur",
  "Leo",
  "Harry",
  "Oscar",
  "Muhammad",
  "Jack",
  "Charlie",
  "Freya",
  "Sophia",
  "Grace",
  "Ella",
  "Aoife",
  "Siobhan",
  "Callum",
  "Rhys",
  "Eilidh",
  "Zoë",
  "Priya",
  "Tomasz",
  "Chloé",
];
const LAST = [
  "Smith",
  "Jones",
  "Williams",
  "Taylor",
  "Brown",
  "Davies",
  "Evans",
  "Wilson",
  "Thomas",
  "Johnson",
  "Roberts",
  "Robinson",
  "Thompson",
  "Wright",
  "Walker",
  "White",
  "Edwards",
  "Hughes",
  "Green",
  "Hall",
  "Lewis",
  "Harris",
  "Clarke",
  "Patel",
  "Jackson",
  "MacDonald",
  "O'Neill",
  "Murphy",
  "Campbell",
  "Stewart",
  "Kowalski",
  "Nowak",
  "Khan",
  "Ahmed",
];
const AREAS = [
  "SW",
  "SE",
  "N",
  "E",
  "W",
  "NW",
  "B",
  "M",
  "L",
  "LS",
  "S",
  "G",
  "EH",
  "CF",
  "BS",
  "NG",
  "LE",
  "CV",
  "BT",
  "IV",
  "HS",
  "KW",
  "ZE",
  "PA",
  "PH",
  "AB",
  "TR",
  "PL",
  "EX",
  "OX",
  "CB",
  "NR",
  "YO",
];
const NOUNS = [
  "Phone Case",
  "USB-C Cable",
  "Notebook",
  "Water Bottle",
  "Dog Lead",
  "Garden Gloves",
  "LED Strip",
  "Yoga Mat",
  "Coffee Mug",
  "Screwdriver Set",
  "Socks",
  "Tea Towel",
  "Bike Light",
  "Candle",
  "Puzzle",
  "Kettle Descaler",
  "Phone Stand",
  "Cable Ties",
  "Plant Pot",
  "Hair Clips",
];
const ADJECTIVES = [
  "Black",
  "Blue",
  "Premium",
  "Eco",
  "Heavy Duty",
  "Compact",
  "Large",
  "Small",
  "Vintage",
  "Wireless",
  "Organic",
  "Waterproof",
  "Folding",
  "Magnetic",
  "Scented",
];
const LEVELS = ["Standard", "Standard", "Standard", "Expedited", "NextDay", "SecondDay"];
const COURIERS: readonly CourierId[] = [
  "royal-mail",
  "royal-mail",
  "royal-mail",
  "evri",
  "dpd",
  "amazon-shipping",
];
const AMAZON_CARRIER: Record<CourierId, string> = {
  "royal-mail": "Royal Mail",
  evri: "Hermes UK",
  dpd: "DPD",
  "amazon-shipping": "Amazon Shipping",
};

interface Product {
  sku: string;
  asin: string;
  title: string;
  price: number;
  weightGrams: number;
}

function catalogue(r: Rng, size: number): Product[] {
  const out: Product[] = [];
  for (let i = 0; i < size; i++) {
    const noun = r.pick(NOUNS);
    out.push({
      sku: `${noun.slice(0, 3).toUpperCase()}-${r.digits(4)}-${r.pick(["BK", "BL", "RD", "WH", "GR"])}`,
      asin: `B0${r.chars(8, ALNUM)}`,
      title:
        `${r.pick(ADJECTIVES)} ${noun} ${r.pick(["for Kitchen", "for Home", "2-Pack", "with Case", "UK Plug", "Gift Set", ""])}`.trim(),
      price: r.int(299, 4999) / 100,
      weightGrams: r.int(40, 4000),
    });
  }
  return out;
}

/** A tracking number of the courier's format; `valid: false` gives a near-miss (wrong check digit or length). */
export function generateTrackingNumber(r: Rng, courier: CourierId, valid = true): string {
  switch (courier) {
    case "royal-mail": {
      const serial = r.digits(8);
      const check = s10CheckDigit(serial);
      return `${r.chars(2, UPPER)}${serial}${valid ? check : (check + 1) % 10}GB`;
    }
    case "evri":
      return r.chars(valid ? 16 : 15, ALNUM);
    case "dpd":
      return r.digits(valid ? 14 : 10);
    case "amazon-shipping":
      return valid ? `QA${r.digits(10)}` : `QA-${r.digits(4)}`;
  }
}

export interface GenerateOptions {
  seed?: number;
  /** The instant the data is "as of"; purchases spread over the `days` before it. */
  now?: number;
  days?: number;
}

/** Orders spread over the last `days` days, in a realistic mix of states, couriers and mishaps. */
export function generateOrders(count: number, options: GenerateOptions = {}): Order[] {
  const r = rng(options.seed ?? 1);
  const now = options.now ?? Date.UTC(2026, 10, 25, 12);
  const days = options.days ?? 100;
  const products = catalogue(r, 400);
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) {
    const purchaseDate = now - Math.floor(r.next() * days * DAY_MS);
    const handlingDays = r.pick([1, 1, 2, 2, 3]);
    const latestShipDate = purchaseDate + handlingDays * DAY_MS;
    const latestDeliveryDate = latestShipDate + r.int(1, 4) * DAY_MS;
    const mfn = r.chance(0.95);
    const itemCount = r.chance(0.85) ? 1 : r.int(2, 4);
    const items: OrderItem[] = [];
    let total = 0;
    let weight = 0;
    for (let k = 0; k < itemCount; k++) {
      const p = r.pick(products);
      const qty = r.chance(0.9) ? 1 : 2;
      total += p.price * qty;
      weight += p.weightGrams * qty;
      items.push({
        orderItemId: r.digits(14),
        sku: p.sku,
        asin: p.asin,
        title: p.title,
        quantityOrdered: qty,
        quantityShipped: 0,
        unitPrice: { amount: p.price.toFixed(2), currencyCode: "GBP" },
      });
    }
    const first = r.pick(FIRST);
    const name = `${first} ${r.pick(LAST)}`;
    const area = r.pick(AREAS);
    const postcode = `${area}${r.int(1, 20)} ${r.int(1, 9)}${r.chars(2, UPPER)}`;
    const order: Order = {
      orderId: `20${r.int(2, 6)}-${r.digits(7)}-${r.digits(7)}`,
      marketplaceId: UK_MARKETPLACE_ID,
      purchaseDate,
      lastUpdated: purchaseDate,
      amazonStatus: "UNSHIPPED",
      fulfilmentChannel: mfn ? "MFN" : "AFN",
      shipServiceLevel: r.pick(LEVELS),
      isPrime: r.chance(0.3),
      earliestShipDate: purchaseDate,
      latestShipDate,
      earliestDeliveryDate: latestShipDate + DAY_MS,
      latestDeliveryDate,
      orderTotal: { amount: total.toFixed(2), currencyCode: "GBP" },
      items,
      buyerName: name,
      recipient: { name, line1: `${r.int(1, 200)} High Street`, city: "Town", postcode, countryCode: "GB" },
      state: "new",
      labelRevision: 0,
      shipments: [],
      confirmation: { state: "none", attempts: 0 },
      package: {
        weightGrams: weight,
        lengthMm: r.int(100, 600),
        widthMm: r.int(80, 400),
        heightMm: r.int(5, 300),
      },
    };
    if (mfn) progress(order, r, now);
    else {
      order.amazonStatus = latestShipDate < now ? "SHIPPED" : "UNSHIPPED";
    }
    if (r.chance(0.012)) order.buyerCancellationRequested = true;
    addDefects(order, r, now);
    orders.push(order);
  }
  return orders;
}

/** Moves an MFN order along its life as far as `now` allows. */
function progress(order: Order, r: Rng, now: number): void {
  const cancelRoll = r.next();
  if (cancelRoll < 0.015) {
    const at = Math.min(now, order.purchaseDate + r.int(1, 30) * HOUR_MS);
    order.state = "cancelled";
    order.cancelledBy = cancelRoll < 0.007 ? "seller" : cancelRoll < 0.013 ? "buyer" : "amazon";
    order.cancelledAt = at;
    order.amazonStatus = "CANCELLED";
    return;
  }
  // Most orders confirm before the deadline; some a little after; recent ones may still be in the warehouse.
  const lateRoll = r.next();
  const confirmAt =
    lateRoll < 0.03
      ? order.latestShipDate + r.int(1, 48 * 60) * MINUTE_MS
      : order.purchaseDate + Math.floor(r.next() * (order.latestShipDate - order.purchaseDate));
  if (confirmAt > now) {
    const states: OrderState[] = ["new", "ready", "label_bought", "printed"];
    order.state = r.pick(states);
    if (r.chance(0.03)) {
      order.heldFrom = order.state;
      order.state = "on_hold";
    }
    if (order.state === "label_bought" || order.state === "printed" || order.heldFrom === "label_bought") {
      order.shipments.push(shipment(order, r, confirmAt - HOUR_MS, true));
    }
    return;
  }
  const s = shipment(order, r, confirmAt - HOUR_MS, r.chance(0.985));
  order.shipments.push(s);
  order.state = "confirmed";
  order.amazonStatus = "SHIPPED";
  order.printedAt = confirmAt - 30 * MINUTE_MS;
  order.dispatchedAt = confirmAt - 5 * MINUTE_MS;
  order.confirmation = { state: "confirmed", confirmedAt: confirmAt, attempts: 1 };
  for (const item of order.items) item.quantityShipped = item.quantityOrdered;
  const deliveredAt = confirmAt + r.int(12, r.chance(0.97) ? 72 : 160) * HOUR_MS;
  if (deliveredAt <= now && r.chance(0.98)) {
    order.deliveredAt = deliveredAt;
    order.tracking = {
      checkedAt: deliveredAt + HOUR_MS,
      status: "delivered",
      event: { at: deliveredAt, description: "Delivered" },
    };
  } else if (confirmAt + 6 * HOUR_MS <= now) {
    // Still on its way, or lost: the courier's tracking was read within the last six hours.
    order.tracking = { checkedAt: Math.max(confirmAt, now - r.int(0, 6) * HOUR_MS), status: "in_transit" };
  }
  order.lastUpdated = confirmAt;
}

function shipment(order: Order, r: Rng, boughtAt: number, validTracking: boolean): Shipment {
  const courier = r.pick(COURIERS);
  return {
    id: `${order.orderId}:${order.labelRevision}`,
    courier,
    serviceCode: courier === "royal-mail" ? r.pick(["TPN24", "TPS48", "CRL24"]) : "STANDARD",
    trackingNumber: generateTrackingNumber(r, courier, validTracking),
    amazonCarrierCode: AMAZON_CARRIER[courier],
    boughtAt,
  };
}

function addDefects(order: Order, r: Rng, now: number): void {
  const after = (maxDays: number) => Math.min(now, order.purchaseDate + r.int(1, maxDays * 24) * HOUR_MS);
  const defects: NonNullable<Order["defects"]> = {};
  if (r.chance(0.004)) defects.negativeFeedbackAt = after(20);
  if (r.chance(0.002)) defects.azClaim = { at: after(30), denied: r.chance(0.4) };
  if (r.chance(0.001)) defects.chargebackAt = after(40);
  if (r.chance(0.02)) defects.refundedAt = after(25);
  if (r.chance(0.03)) defects.buyerMessageAt = after(5);
  if (Object.keys(defects).length > 0) order.defects = defects;
}

/** One plain MFN order, unshipped, to build test fixtures from. Override any field. */
export function makeOrder(overrides: Partial<Order> = {}): Order {
  const purchaseDate = overrides.purchaseDate ?? Date.UTC(2026, 10, 20, 10);
  return {
    orderId: "202-0000000-0000001",
    marketplaceId: UK_MARKETPLACE_ID,
    purchaseDate,
    lastUpdated: purchaseDate,
    amazonStatus: "UNSHIPPED",
    fulfilmentChannel: "MFN",
    shipServiceLevel: "Standard",
    isPrime: false,
    earliestShipDate: purchaseDate,
    latestShipDate: purchaseDate + 2 * DAY_MS,
    latestDeliveryDate: purchaseDate + 5 * DAY_MS,
    orderTotal: { amount: "19.99", currencyCode: "GBP" },
    items: [
      {
        orderItemId: "11111111111111",
        sku: "MUG-0001-BL",
        asin: "B0TESTASIN",
        title: "Blue Coffee Mug",
        quantityOrdered: 1,
        quantityShipped: 0,
      },
    ],
    buyerName: "Jane Buyer",
    recipient: {
      name: "Jane Buyer",
      line1: "1 High Street",
      city: "Leeds",
      postcode: "LS1 4AP",
      countryCode: "GB",
    },
    state: "new",
    labelRevision: 0,
    shipments: [],
    confirmation: { state: "none", attempts: 0 },
    ...overrides,
  };
}

export { naiveAssign, naiveMetrics, naiveSearch } from "./naive.ts";
