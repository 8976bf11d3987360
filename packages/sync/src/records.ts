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

/**
 * Parsed records of one document in two generations of at most half the limit each: a read looks in
 * the young one, then the old one (and brings the parse back into the young one); when the young one
 * is full it becomes the old one and the old one is dropped. Every step is O(1) (no eviction scan),
 * and what was read recently stays.
 */
interface Generations {
  young: Map<string, Parsed>;
  old: Map<string, Parsed>;
}

const parsedBy = new WeakMap<Y.Map<unknown>, Generations>();
let cacheLimit = 10_000;

/**
 * The cap the room sets (workers/edge RoomSync.ts): a Durable Object has 128 MB, and a parsed record
 * takes roughly half a kilobyte to a kilobyte of heap beside its string (BENCHMARKS.md, issue 23). A room of up to 5,000 open
 * orders keeps every parse (its API lists and metrics passes parse nothing twice); a larger one parses
 * again what it has not read lately, instead of keeping 50,000 parsed.
 */
export const ROOM_RECORD_CACHE = 5_000;

/**
 * How many parsed records each document keeps at most (per document). The room lowers it to bound its
 * heap; a device, which lists every order, keeps the default.
 */
export function setRecordCacheLimit(limit: number): void {
  cacheLimit = Math.max(0, limit);
}

/** Parsed records held now for this document (tests and benchmarks). */
export function cachedRecordCount(doc: Y.Doc): number {
  const cache = parsedBy.get(ordersMap(doc) as Y.Map<unknown>);
  return cache === undefined ? 0 : cache.young.size + cache.old.size;
}

/** The record a stored value reads as: a string is parsed (or its parse reused), an object is itself. */
export function recordOf(orders: Y.Map<unknown>, orderId: string, stored: unknown): OrderRecord | undefined {
  if (typeof stored !== "string") return stored as OrderRecord | undefined;
  let cache = parsedBy.get(orders);
  if (cache === undefined) {
    cache = { young: new Map(), old: new Map() };
    parsedBy.set(orders, cache);
  }
  const young = cache.young.get(orderId);
  if (young !== undefined && young.raw === stored) return young.record;
  const old = cache.old.get(orderId);
  const parsed =
    old !== undefined && old.raw === stored
      ? old
      : { raw: stored, record: JSON.parse(stored) as OrderRecord };
  const half = Math.ceil(cacheLimit / 2);
  if (half === 0) return parsed.record;
  cache.young.set(orderId, parsed);
  if (cache.young.size >= half) {
    cache.old = cache.young;
    cache.young = new Map();
  }
  return parsed.record;
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
