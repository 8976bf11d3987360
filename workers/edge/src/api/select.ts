// Filtering and cursor pagination of orders for GET /api/v1/orders. Pure: the SellerRoom calls it
// over the live document's orders, the test double over its own.
import {
  activeShipment,
  ConsignError,
  type CourierHandovers,
  type CourierId,
  ErrorCode,
  type Order,
  type OrderState,
  orderTokens,
  type ShipByBucket,
  shipByBucket,
  tokenize,
  ukOffsetMinutes,
} from "@consign/domain";

export type OrderSort = "purchased" | "shipBy" | "updated";

/** The list query after validation (times in epoch ms). */
export interface OrderQuery {
  state?: OrderState[] | undefined;
  shipBy?: ShipByBucket[] | undefined;
  courier?: CourierId[] | undefined;
  prime?: boolean | undefined;
  marketplace?: string | undefined;
  q?: string | undefined;
  updatedSince?: number | undefined;
  /** Purchase-date range [purchasedFrom, purchasedTo), epoch ms. */
  purchasedFrom?: number | undefined;
  purchasedTo?: number | undefined;
  /** "archived": archived orders are listed with the live ones. */
  include?: "archived" | undefined;
  /** Internal (GET /archive/{month}): the archive alone, without the live list. */
  archiveOnly?: boolean | undefined;
  sort: OrderSort;
  limit: number;
  cursor?: string | undefined;
}

/** An order with where it stands in the change feed (see room/changes.ts). */
export type FeedOrder = Order & {
  /** The seller's change-feed revision of the order's latest change; 0 when unchanged since the feed began. */
  revision?: number;
  /** When the order last changed, ours or Amazon's (epoch ms): the later of that change and Amazon's lastUpdated. */
  changedAt?: number;
};

/** Where an order stands in the change feed, for `updatedSince` and `sort=updated`. */
export type RevisionOf = (orderId: string) => { revision: number; at: number } | undefined;

export interface OrderPage {
  orders: FeedOrder[];
  nextCursor: string | null;
  /** The seller's clock the page was selected at, and the dispatch cut-off: what the orders are presented with. */
  clock?: DispatchClock;
}

/** The room's time (a simulation moves it), the team's dispatch cut-off ("HH:MM", UK) and each courier's. */
export interface DispatchClock {
  now: number;
  cutoff: string;
  /** Each courier's cut-off: an order with a courier is read against its own (absent: the team's for all). */
  couriers?: CourierHandovers;
}

interface Cursor {
  sort: OrderSort;
  key: number;
  orderId: string;
}

const keyOf: Record<OrderSort, (o: Order, revisionOf: RevisionOf) => number> = {
  purchased: (o) => o.purchaseDate,
  shipBy: (o) => o.latestShipDate,
  // The revision, not a time: two changes in the same millisecond still page apart, and an order
  // changed while a client pages moves behind its cursor, so the client sees it again.
  updated: (o, revisionOf) => revisionOf(o.orderId)?.revision ?? 0,
};

/** When an order last changed, ours or Amazon's. */
export function changedAt(o: Order, revisionOf: RevisionOf): number {
  return Math.max(o.lastUpdated, revisionOf(o.orderId)?.at ?? 0);
}

const noRevisions: RevisionOf = () => undefined;
/** purchased runs newest first; the others soonest/oldest first. */
const direction: Record<OrderSort, 1 | -1> = { purchased: -1, shipBy: 1, updated: 1 };

export function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.sort, cursor.key, cursor.orderId]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const parsed: unknown = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [sort, key, orderId] = parsed as [unknown, unknown, unknown];
    if (sort !== "purchased" && sort !== "shipBy" && sort !== "updated") return null;
    if (typeof key !== "number" || !Number.isFinite(key) || typeof orderId !== "string") return null;
    return { sort, key, orderId };
  } catch {
    return null;
  }
}

function compare(
  sort: OrderSort,
  a: { key: number; orderId: string },
  b: { key: number; orderId: string },
): number {
  const byKey = a.key === b.key ? 0 : a.key < b.key ? -1 : 1;
  const byId = a.orderId === b.orderId ? 0 : a.orderId < b.orderId ? -1 : 1;
  return (byKey || byId) * direction[sort];
}

/** True when every word of the query starts some word of the order (id, buyer, postcode, SKU, title, tracking). */
export function matchesSearch(order: Order, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const { exact, words: text } = orderTokens(order);
  const tokens = [...exact, ...text];
  return words.every((w) => tokens.some((t) => t.startsWith(w)));
}

export function courierOf(order: Order): CourierId | undefined {
  return activeShipment(order)?.courier ?? order.service?.courier;
}

/** Whether a listing reaches the archive: asked for, or a purchase-date range (which may lie in it). */
export function readsArchive(query: OrderQuery): boolean {
  return (
    query.archiveOnly === true ||
    query.include === "archived" ||
    query.purchasedFrom !== undefined ||
    query.purchasedTo !== undefined
  );
}

/** Live orders first, then archived ones not live any more (an order is in one place; live wins). */
export function* liveAndArchived(live: Iterable<Order>, archived: Iterable<Order>): Generator<Order> {
  const seen = new Set<string>();
  for (const o of live) {
    seen.add(o.orderId);
    yield o;
  }
  for (const o of archived) if (!seen.has(o.orderId)) yield o;
}

export function selectOrders(
  orders: Iterable<Order>,
  query: OrderQuery,
  now: number,
  revisionOf: RevisionOf = noRevisions,
): OrderPage {
  let after: Cursor | null = null;
  if (query.cursor !== undefined) {
    after = decodeCursor(query.cursor);
    if (!after || after.sort !== query.sort) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        "This cursor belongs to another listing: start again without it.",
        [{ path: "cursor", message: "use nextCursor from the previous page, with the same sort" }],
      );
    }
  }
  const offset = ukOffsetMinutes(now);
  const words = query.q ? tokenize(query.q) : [];
  const states = query.state ? new Set(query.state) : null;
  const buckets = query.shipBy ? new Set(query.shipBy) : null;
  const couriers = query.courier ? new Set(query.courier) : null;
  const key = keyOf[query.sort];

  const hits: { key: number; orderId: string; order: Order }[] = [];
  for (const order of orders) {
    if (states && !states.has(order.state)) continue;
    if (query.prime !== undefined && order.isPrime !== query.prime) continue;
    if (query.marketplace !== undefined && order.marketplaceId !== query.marketplace) continue;
    if (query.updatedSince !== undefined && changedAt(order, revisionOf) < query.updatedSince) continue;
    if (query.purchasedFrom !== undefined && order.purchaseDate < query.purchasedFrom) continue;
    if (query.purchasedTo !== undefined && order.purchaseDate >= query.purchasedTo) continue;
    if (buckets && !buckets.has(shipByBucket(order.latestShipDate, now, offset))) continue;
    if (couriers) {
      const courier = courierOf(order);
      if (!courier || !couriers.has(courier)) continue;
    }
    const entry = { key: key(order, revisionOf), orderId: order.orderId, order };
    if (after && compare(query.sort, entry, after) <= 0) continue;
    if (!matchesSearch(order, words)) continue;
    hits.push(entry);
  }
  hits.sort((a, b) => compare(query.sort, a, b));
  const page = hits.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    orders: page.map((h) => h.order),
    nextCursor:
      hits.length > query.limit && last
        ? encodeCursor({ sort: query.sort, key: last.key, orderId: last.orderId })
        : null,
  };
}

/** Orders an export from `from` (inclusive) to `to` (exclusive) needs: purchased, or a label bought, in the range. */
export function ordersTouching(orders: Iterable<Order>, from: number, to: number): Order[] {
  const out: Order[] = [];
  for (const o of orders) {
    if (
      (o.purchaseDate >= from && o.purchaseDate < to) ||
      o.shipments.some((s) => s.boughtAt >= from && s.boughtAt < to)
    ) {
      out.push(o);
    }
  }
  return out;
}
