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
  const left = new Map(levels);
  const out: { orderId: string; short: { sku: string; needed: number; available: number }[] }[] = [];
  for (const o of [...orders].sort((a, b) => a.placedAt - b.placedAt || a.orderId.localeCompare(b.orderId))) {
    const need = new Map<string, number>();
    for (const l of o.lines) need.set(l.sku, (need.get(l.sku) ?? 0) + l.quantity);
    const short = [...need]
      .filter(([sku, n]) => (left.get(sku) ?? 0) < n)
      .map(([sku, n]) => ({ sku, needed: n, available: Math.max(0, left.get(sku) ?? 0) }));
    if (short.length > 0) out.push({ orderId: o.orderId, short });
    else for (const [sku, n] of need) left.set(sku, (left.get(sku) ?? 0) - n);
  }
  return out;
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

export type Shortfall = { sku: string; needed: number; available: number };

/** The open orders stock cannot fill, by order id, with what each is short of. */
export function stockShortfalls(orders: Iterable<Order>, levels: Levels): Map<string, Shortfall[]> {
  const lines: OrderLines[] = [];
  if (levels.size === 0) return new Map();
  for (const o of orders) {
    if (!holdsStock(o)) continue;
    const tracked = trackedLines(o, levels);
    if (tracked.lines.length > 0) lines.push(tracked);
  }
  return new Map(unfillable(lines, levels).map((u) => [u.orderId, u.short]));
}
