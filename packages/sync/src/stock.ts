// Stock as a PN-counter: each counter (a device tab, or the room) owns one key per SKU holding the
// net change it has made. Only its owner writes a key, so concurrent adjustments from different
// devices never overwrite each other: the level is the sum of every counter's key.
//
// The counter id must be stable and unique per writer: the PWA passes a per-tab id kept in
// sessionStorage (so the number of keys stays SKUs × tabs, not SKUs × page loads); the default is
// the document's clientID, unique per session. Two writers sharing one id would lose increments.

import type * as Y from "yjs";
import { stockMap } from "./schema.ts";

function keyOf(sku: string, counterId: string | number): string {
  return `${sku}/${counterId}`;
}

function skuOfKey(key: string): string {
  const slash = key.lastIndexOf("/");
  return slash < 0 ? key : key.slice(0, slash);
}

/** Adds `delta` (negative when stock is taken) to the SKU's level; returns the new level. */
export function adjustStock(
  doc: Y.Doc,
  sku: string,
  delta: number,
  options: { counterId?: string | number; origin?: unknown } = {},
): number {
  if (!Number.isFinite(delta))
    throw new RangeError(`Stock change for ${sku} must be a number, got ${delta}.`);
  const key = keyOf(sku, options.counterId ?? doc.clientID);
  const stock = stockMap(doc);
  if (delta !== 0) doc.transact(() => stock.set(key, (stock.get(key) ?? 0) + delta), options.origin);
  return stockLevel(doc, sku);
}

/** The SKU's level: the sum of every counter. */
export function stockLevel(doc: Y.Doc, sku: string): number {
  const prefix = `${sku}/`;
  let level = 0;
  for (const [key, value] of stockMap(doc).entries()) {
    if (key.startsWith(prefix) && skuOfKey(key) === sku) level += value;
  }
  return level;
}

/** Every SKU's level in one pass. */
export function stockLevels(doc: Y.Doc): Map<string, number> {
  const levels = new Map<string, number>();
  for (const [key, value] of stockMap(doc).entries()) {
    const sku = skuOfKey(key);
    levels.set(sku, (levels.get(sku) ?? 0) + value);
  }
  return levels;
}
