// Order records as stored under `orders`: a JSON string (layout 2) or, in documents of layout 1, the
// object itself. Read through here, never `ordersMap(doc).get` directly. A string is parsed once and
// the parse reused while the stored string is the same one (a new record is a new string), in a cache
// with a cap, so a room of 50,000 orders does not keep 50,000 parsed records beside their strings.

import type * as Y from "yjs";
import { isStringsLayout } from "./layout.ts";
import { type OrderRecord, ordersMap } from "./schema.ts";

interface Parsed {
  raw: string;
  record: OrderRecord;
}

/** Parsed records per `orders` map, oldest read first (a Map keeps insertion order). */
const parsedBy = new WeakMap<Y.Map<unknown>, Map<string, Parsed>>();
let cacheLimit = 10_000;

/**
 * The cap the room sets (workers/edge core.ts): a Durable Object has 128 MB, and parsed records take
 * several times their string (BENCHMARKS.md, issue 23); the room reads every order only in its
 * periodic passes (metrics, health), where parsing again costs less than keeping 50,000 parsed.
 */
export const ROOM_RECORD_CACHE = 2_000;

/**
 * How many parsed records each document keeps (per document; the least recently read go first).
 * The room lowers it to bound its heap; a device that lists every order keeps the default.
 */
export function setRecordCacheLimit(limit: number): void {
  cacheLimit = Math.max(0, limit);
}

/** Parsed records held now for this document (tests and benchmarks). */
export function cachedRecordCount(doc: Y.Doc): number {
  return parsedBy.get(ordersMap(doc) as Y.Map<unknown>)?.size ?? 0;
}

/** The record a stored value reads as: a string is parsed (or its parse reused), an object is itself. */
export function recordOf(orders: Y.Map<unknown>, orderId: string, stored: unknown): OrderRecord | undefined {
  if (typeof stored !== "string") return stored as OrderRecord | undefined;
  let cache = parsedBy.get(orders);
  if (cache === undefined) {
    cache = new Map();
    parsedBy.set(orders, cache);
  }
  const hit = cache.get(orderId);
  if (hit !== undefined && hit.raw === stored) {
    // Most recently read goes last, so the cap drops what nobody read for longest.
    cache.delete(orderId);
    cache.set(orderId, hit);
    return hit.record;
  }
  const record = JSON.parse(stored) as OrderRecord;
  if (cacheLimit > 0) {
    cache.delete(orderId);
    cache.set(orderId, { raw: stored, record });
    while (cache.size > cacheLimit) cache.delete(cache.keys().next().value as string);
  } else if (hit !== undefined) cache.delete(orderId);
  return record;
}

/** The order's record, or undefined when the order is not in the live document. */
export function readRecord(doc: Y.Doc, orderId: string): OrderRecord | undefined {
  const orders = ordersMap(doc) as Y.Map<unknown>;
  return recordOf(orders, orderId, orders.get(orderId));
}

/** Every record in the live document, with its order id. */
export function* recordEntries(doc: Y.Doc): Generator<[string, OrderRecord]> {
  const orders = ordersMap(doc) as Y.Map<unknown>;
  for (const [id, stored] of orders.entries()) {
    const record = recordOf(orders, id, stored);
    if (record !== undefined) yield [id, record];
  }
}

/** Stores a record in the document's layout (a JSON string in layout 2). */
export function storeRecord(doc: Y.Doc, orderId: string, record: OrderRecord): void {
  (ordersMap(doc) as Y.Map<unknown>).set(orderId, isStringsLayout(doc) ? JSON.stringify(record) : record);
}
