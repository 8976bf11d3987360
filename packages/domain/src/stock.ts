// Stock arithmetic on plain numbers: what can still be sold, which orders cannot be filled, which
// SKUs run low. The levels themselves live in @consign/sync's per-device counters (adjustStock /
// stockLevels); these functions never store anything.

import type { Order, OrderState } from "./order.ts";

export type Levels = ReadonlyMap<string, number>;
/** Units promised to open orders, per SKU, keyed by order id. */
export type Reservations = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface OrderLines {
  orderId: string;
  /** Oldest first decides who gets scarce stock: pass the purchase time. */
  placedAt: number;
  lines: { sku: string; quantity: number }[];
}

/** Reserves an order's units (idempotent per order: a second call replaces the first). */
export function reserveForOrder(
  reservations: Reservations,
  order: OrderLines,
): Map<string, Map<string, number>> {
  const next = new Map([...reservations].map(([sku, byOrder]) => [sku, new Map(byOrder)]));
  for (const byOrder of next.values()) byOrder.delete(order.orderId);
  for (const line of order.lines) {
    if (line.quantity <= 0) continue;
    const byOrder = next.get(line.sku) ?? new Map<string, number>();
    byOrder.set(order.orderId, (byOrder.get(order.orderId) ?? 0) + line.quantity);
    next.set(line.sku, byOrder);
  }
  return next;
}

/**
 * On dispatch the reservation becomes a real decrement: returns the stock changes to apply with
 * adjustStock (negative numbers) and the reservations without this order.
 */
export function takeOnDispatch(
  reservations: Reservations,
  orderId: string,
): { changes: Map<string, number>; reservations: Map<string, Map<string, number>> } {
  const changes = new Map<string, number>();
  const next = new Map<string, Map<string, number>>();
  for (const [sku, byOrder] of reservations) {
    const copy = new Map(byOrder);
    const qty = copy.get(orderId);
    if (qty !== undefined) {
      changes.set(sku, -qty);
      copy.delete(orderId);
    }
    if (copy.size > 0) next.set(sku, copy);
  }
  return { changes, reservations: next };
}

const reserved = (reservations: Reservations, sku: string) =>
  [...(reservations.get(sku)?.values() ?? [])].reduce((a, b) => a + b, 0);

/** Units each open order holds of each tracked SKU (SKUs without a level are not held). */
export function reservationsOf(
  open: readonly OrderLines[],
  levels: Levels,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const o of open) {
    for (const l of o.lines) {
      if (!levels.has(l.sku)) continue;
      const byOrder = out.get(l.sku) ?? new Map<string, number>();
      byOrder.set(o.orderId, (byOrder.get(o.orderId) ?? 0) + l.quantity);
      out.set(l.sku, byOrder);
    }
  }
  return out;
}

/** What Amazon may offer: the level less what open orders hold, never below zero. */
export function availableToSell(
  level: number,
  reservationsForSku: number | ReadonlyMap<string, number>,
): number {
  const held =
    typeof reservationsForSku === "number"
      ? reservationsForSku
      : [...reservationsForSku.values()].reduce((a, b) => a + b, 0);
  return Math.max(0, Math.floor(level - held));
}

/** Available quantity of every SKU that has a level or a reservation. */
export function availableBySku(levels: Levels, reservations: Reservations): Map<string, number> {
  const out = new Map<string, number>();
  for (const sku of new Set([...levels.keys(), ...reservations.keys()])) {
    out.set(sku, availableToSell(levels.get(sku) ?? 0, reserved(reservations, sku)));
  }
  return out;
}

/**
 * Orders that stock cannot fill, oldest first getting stock first: flagged so someone can act
 * (find stock, contact the buyer) before Amazon counts a seller cancellation.
 */
export function unfillable(
  orders: readonly OrderLines[],
  levels: Levels,
): { orderId: string; short: { sku: string; needed: number; available: number }[] }[] {
  const queue = new StockQueue();
  queue.reset(orders);
  return [...queue.shortfalls(levels)].map(([orderId, short]) => ({ orderId, short }));
}

/** An order waiting for stock: what it needs of each SKU (lines of one SKU added up; SKUs by number). */
interface Queued {
  orderId: string;
  placedAt: number;
  skus: number[];
  quantities: number[];
}

const sameNeed = (a: Queued, b: Queued) =>
  a.placedAt === b.placedAt &&
  a.skus.length === b.skus.length &&
  a.skus.every((k, i) => k === b.skus[i] && a.quantities[i] === b.quantities[i]);

function sameLevels(a: Levels, b: Levels): boolean {
  if (a.size !== b.size) return false;
  for (const [sku, n] of a) if (b.get(sku) !== n) return false;
  return true;
}

/** Who gets scarce stock first: the oldest order, then the lower order id. */
const firstServed = (a: Queued, b: Queued) => a.placedAt - b.placedAt || a.orderId.localeCompare(b.orderId);

/**
 * The open orders in the order stock goes to them (oldest first), kept as orders change: the PWA holds one
 * for its 50,000 orders, so a change to one order moves one order in the queue instead of sorting every
 * order's lines again, and the shortfalls are one pass down the queue.
 */
export class StockQueue {
  private byId = new Map<string, Queued>();
  private queue: Queued[] = [];
  /** SKUs by number: the pass hands out stock from an array, not a map per SKU. */
  private skuNumbers = new Map<string, number>();
  private skus: string[] = [];

  /**
   * The last answer and the levels it was for, kept until the queue or the levels change: most changes to an
   * order (a weight, a note, a label) leave what it needs of stock as it was.
   */
  private answered: { levels: Map<string, number>; value: Map<string, Shortfall[]> } | null = null;

  /** Every order at once (a bulk read): the orders' lines, sorted once. */
  reset(orders: Iterable<OrderLines>): void {
    this.answered = null;
    this.byId.clear();
    for (const o of orders) this.byId.set(o.orderId, this.queued(o));
    this.queue = [...this.byId.values()].sort(firstServed);
  }

  /** Every order at once, from the orders themselves (those that hold stock). */
  resetOrders(orders: Iterable<Order>): void {
    const held: OrderLines[] = [];
    for (const o of orders) if (holdsStock(o)) held.push(lines(o));
    this.reset(held);
  }

  /** An order changed, arrived, or left (undefined: it is no longer in the document). */
  update(orderId: string, order: Order | undefined): void {
    const before = this.byId.get(orderId);
    const q = order && holdsStock(order) ? this.queued(lines(order)) : undefined;
    if (before && q && sameNeed(before, q)) return; // still waiting for the same stock, in the same place
    if (!before && !q) return;
    this.answered = null;
    if (before) {
      this.byId.delete(orderId);
      this.queue.splice(this.indexOf(before), 1);
    }
    if (!q) return;
    this.byId.set(orderId, q);
    this.queue.splice(this.insertAt(q), 0, q);
  }

  /** The orders stock on hand cannot fill, by order id, with what each is short of (tracked SKUs only). */
  shortfalls(levels: Levels): Map<string, Shortfall[]> {
    const answered = this.answered;
    if (answered && sameLevels(answered.levels, levels)) return answered.value;
    const out = new Map<string, Shortfall[]>();
    this.answered = { levels: new Map(levels), value: out };
    if (levels.size === 0) return out;
    // What is left of each SKU as stock is handed out; NaN for a SKU with no level (not tracked).
    const left = new Float64Array(this.skus.length).fill(Number.NaN);
    for (const [sku, level] of levels) {
      const k = this.skuNumbers.get(sku);
      if (k !== undefined) left[k] = level;
    }
    for (const o of this.queue) {
      let short: Shortfall[] | undefined;
      for (let i = 0; i < o.skus.length; i++) {
        const have = left[o.skus[i]!]!;
        const n = o.quantities[i]!;
        if (!(have < n)) continue; // enough left, or not tracked (NaN)
        if (!short) short = [];
        short.push({ sku: this.skus[o.skus[i]!]!, needed: n, available: Math.max(0, have) });
      }
      if (short) out.set(o.orderId, short);
      else for (let i = 0; i < o.skus.length; i++) left[o.skus[i]!]! -= o.quantities[i]!;
    }
    return out;
  }

  private queued(o: OrderLines): Queued {
    const skus: number[] = [];
    const quantities: number[] = [];
    for (const l of o.lines) {
      let k = this.skuNumbers.get(l.sku);
      if (k === undefined) {
        k = this.skus.length;
        this.skus.push(l.sku);
        this.skuNumbers.set(l.sku, k);
      }
      const at = skus.indexOf(k);
      if (at >= 0) quantities[at]! += l.quantity;
      else {
        skus.push(k);
        quantities.push(l.quantity);
      }
    }
    return { orderId: o.orderId, placedAt: o.placedAt, skus, quantities };
  }

  /** Where `q` goes (the first queued order served after it). */
  private insertAt(q: Queued): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (firstServed(this.queue[mid]!, q) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(q: Queued): number {
    // Its place by the same order, then the one object among any equal neighbours.
    let at = this.insertAt(q) - 1;
    while (at >= 0 && this.queue[at] !== q) at--;
    return at;
  }
}

export interface LowStockWarning {
  sku: string;
  available: number;
  threshold: number;
  /** "out" at zero (Amazon should stop selling it now), "low" at or below the threshold. */
  level: "out" | "low";
}

/** SKUs at or below their threshold (a default for SKUs without one), out-of-stock first. */
export function lowStock(
  available: ReadonlyMap<string, number>,
  thresholds: ReadonlyMap<string, number>,
  defaultThreshold = 0,
): LowStockWarning[] {
  const out: LowStockWarning[] = [];
  for (const [sku, n] of available) {
    const threshold = thresholds.get(sku) ?? defaultThreshold;
    if (n <= 0) out.push({ sku, available: n, threshold, level: "out" });
    else if (n <= threshold) out.push({ sku, available: n, threshold, level: "low" });
  }
  return out.sort((a, b) => a.available - b.available || a.sku.localeCompare(b.sku));
}

/** States in which an order still holds stock: bought by the buyer, not yet gone out of the door. */
const HOLDS_STOCK: ReadonlySet<OrderState> = new Set(["new", "ready", "label_bought", "printed", "on_hold"]);

export function holdsStock(order: Pick<Order, "state">): boolean {
  return HOLDS_STOCK.has(order.state);
}

/** The lines of an order that count against tracked stock (SKUs with a level), for `unfillable`. */
export function trackedLines(order: Order, levels: Levels): OrderLines {
  return {
    orderId: order.orderId,
    placedAt: order.purchaseDate,
    lines: order.items
      .filter((i) => levels.has(i.sku))
      .map((i) => ({ sku: i.sku, quantity: i.quantityOrdered })),
  };
}

/** Every line of an order (the queue skips SKUs with no level when it hands out stock). */
function lines(order: Order): OrderLines {
  return {
    orderId: order.orderId,
    placedAt: order.purchaseDate,
    lines: order.items.map((i) => ({ sku: i.sku, quantity: i.quantityOrdered })),
  };
}

export type Shortfall = { sku: string; needed: number; available: number };

/** The open orders stock cannot fill, by order id, with what each is short of. */
export function stockShortfalls(orders: Iterable<Order>, levels: Levels): Map<string, Shortfall[]> {
  if (levels.size === 0) return new Map();
  const queue = new StockQueue();
  queue.resetOrders(orders);
  return queue.shortfalls(levels);
}
