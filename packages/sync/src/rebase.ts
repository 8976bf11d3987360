// Rebase: Yjs keeps a tombstone for every overwritten or deleted value, so a document that lives a
// year would grow without end even though the live document holds a few days of orders. When
// tombstones dominate, the room starts a fresh document holding only the current values, under a
// new generation id, and tells every device to reload (close code 4409).
//
// The device's side (the PWA), see README "When the generation changes":
//   1. connect with `params: { gen: documentGeneration(doc) ?? "" }`;
//   2. on a close with GENERATION_CHANGED (4409): create a fresh doc, connect it with gen "",
//      wait for "synced", then `carryUnsyncedEdits(oldDoc, freshDoc)` so edits the room never saw
//      (made offline) are written again into the new generation; then drop the old doc's store.

import * as Y from "yjs";
import { CURRENT_LAYOUT, isStringsLayout, LAYOUT_KEY } from "./layout.ts";
import { recordOf } from "./records.ts";
import { MAP, metaMap, type OrderRecord, orderIdOfWorkKey, ordersMap, workKey, workMap } from "./schema.ts";
import { applyTextDiff, isTextField, rootTexts, textRootName, writeTextField } from "./text.ts";
import { isPersonsChoice, isWorkedOutField, WORKED_OUT_FIELDS } from "./worked-out.ts";

/** A value to write into another document: a collaborative text is copied (a Yjs type lives in one document). */
function copyOf(value: unknown): unknown {
  return value instanceof Y.Text ? new Y.Text(value.toString()) : value;
}

/** True when the text holds an insertion the state vector `seen` does not cover (deletions alone are not carried). */
function editedSince(text: Y.Text, seen: Map<number, number>): boolean {
  for (let item = text._start; item !== null; item = item.right) {
    if (item.id.clock + item.length > (seen.get(item.id.client) ?? 0)) return true;
  }
  return false;
}

/** Close code the room uses when a device holds an older generation of the document. */
export const GENERATION_CHANGED = 4409;

const REBASE_KEYS: ReadonlySet<string> = new Set([
  "generation",
  "rebasedFrom",
  "rebasedFromGeneration",
  LAYOUT_KEY,
]);
const COPIED_MAPS = [MAP.orders, MAP.work, MAP.stock, MAP.settings, MAP.runs, MAP.printQueue] as const;

export function documentGeneration(doc: Y.Doc): string | undefined {
  const gen = metaMap(doc).get("generation");
  return typeof gen === "string" ? gen : undefined;
}

/**
 * Stamps a generation on a document that has none (the room does this once, on creation). A document
 * holding no orders yet starts in the current layout (layout.ts); one with orders keeps its own until
 * it is renewed (`rebaseDocument`).
 */
export function initialiseGeneration(doc: Y.Doc, generation: string, origin?: unknown): boolean {
  if (documentGeneration(doc) !== undefined) return false;
  doc.transact(() => {
    metaMap(doc).set("generation", generation);
    if (ordersMap(doc).size === 0 && workMap(doc).size === 0) metaMap(doc).set(LAYOUT_KEY, CURRENT_LAYOUT);
  }, origin);
  return true;
}

export interface DocumentHealth {
  /** Structs (runs of items) in the document, live and deleted. */
  structs: number;
  /** Of those, deleted ones: tombstones. */
  tombstones: number;
  /** Live entries across the top-level maps. */
  liveEntries: number;
}

export function documentHealth(doc: Y.Doc): DocumentHealth {
  let structs = 0;
  let tombstones = 0;
  for (const list of doc.store.clients.values()) {
    for (const struct of list) {
      structs++;
      if (struct.deleted) tombstones++;
    }
  }
  let liveEntries = 0;
  for (const name of [...COPIED_MAPS, MAP.meta]) liveEntries += doc.getMap(name).size;
  return { structs, tombstones, liveEntries };
}

/** Tombstones dominate: more deleted structs than live entries, and enough of them to matter. */
export function shouldRebase(health: DocumentHealth, minTombstones = 2_000): boolean {
  return health.tombstones >= minTombstones && health.tombstones > health.liveEntries;
}

/** A `work` value the room worked out (not a person's choice): it moves into the record in layout 3. */
function isWorkedOut(key: string, value: unknown): boolean {
  const field = key.slice(key.lastIndexOf("/") + 1);
  return isWorkedOutField(field) && !isPersonsChoice(field, value);
}

/** The record with the order's worked-out parcel and service of `old`'s `work` keys folded in (layout 3). */
function withWorkedOut(
  old: Y.Doc,
  orderId: string,
  record: OrderRecord | undefined,
): OrderRecord | undefined {
  if (record === undefined) return record;
  const work = workMap(old);
  const out: Record<string, unknown> = { ...record };
  for (const field of WORKED_OUT_FIELDS) {
    const value = work.get(workKey(orderId, field));
    if (value !== undefined && !isPersonsChoice(field, value)) out[field] = value;
  }
  return out as OrderRecord;
}

/**
 * A fresh document with the same current values and no history, stamped with a new generation, in
 * the current layout (layout.ts): records as JSON strings with the room's worked-out parcel and
 * service inside, notes in their top-level texts (only where there are words), whatever the layout
 * of `old`.
 */
export function rebaseDocument(old: Y.Doc, newGeneration: string): Y.Doc {
  const fresh = new Y.Doc();
  fresh.transact(() => {
    const meta = metaMap(fresh);
    meta.set(LAYOUT_KEY, CURRENT_LAYOUT);
    const oldOrders = old.getMap<unknown>(MAP.orders);
    for (const name of COPIED_MAPS) {
      const target = fresh.getMap(name);
      for (const [key, value] of old.getMap(name).entries()) {
        if (name === MAP.orders) {
          target.set(key, JSON.stringify(withWorkedOut(old, key, recordOf(oldOrders, key, value))));
        } else if (name === MAP.work && isWorkedOut(key, value)) {
          // Layout 3: the room's worked-out parcel and service are in the record (above).
        } else if (name === MAP.work && isTextField(key.slice(key.lastIndexOf("/") + 1))) {
          const text = value instanceof Y.Text ? value.toString() : typeof value === "string" ? value : "";
          if (text !== "")
            fresh.getText(`${key.slice(key.lastIndexOf("/") + 1)}/${orderIdOfWorkKey(key)}`).insert(0, text);
        } else target.set(key, copyOf(value));
      }
    }
    for (const { orderId, field, text } of rootTexts(old)) {
      const words = text.toString();
      if (words !== "" && oldOrders.has(orderId))
        fresh.getText(textRootName(orderId, field)).insert(0, words);
    }
    for (const [key, value] of metaMap(old).entries()) {
      if (!REBASE_KEYS.has(key)) meta.set(key, value);
    }
    meta.set("generation", newGeneration);
    meta.set("rebasedFrom", toBase64(Y.encodeStateVector(old)));
    const previous = documentGeneration(old);
    if (previous !== undefined) meta.set("rebasedFromGeneration", previous);
  });
  return fresh;
}

export interface CarryResult {
  carried: number;
  /** Why nothing could be carried, when so. */
  skipped?: string;
}

/**
 * Writes into `fresh` (a new generation, synced from the room) every value `old` holds that the
 * room had not seen when it rebased: edits made offline or in flight. Deletions are not carried.
 * Works only from the generation just before `fresh`; from older ones nothing is carried.
 */
export function carryUnsyncedEdits(old: Y.Doc, fresh: Y.Doc, origin?: unknown): CarryResult {
  const meta = metaMap(fresh);
  const from = meta.get("rebasedFrom");
  if (typeof from !== "string") return { carried: 0, skipped: "the new document was not made by a rebase" };
  if (meta.get("rebasedFromGeneration") !== documentGeneration(old)) {
    return { carried: 0, skipped: "the device's copy is older than the previous generation" };
  }
  const seen = Y.decodeStateVector(fromBase64(from));
  let carried = 0;
  fresh.transact(() => {
    for (const name of COPIED_MAPS) {
      const source = old.getMap(name);
      const target = fresh.getMap(name);
      for (const [key, item] of source._map) {
        if (item.deleted) continue;
        if (name === MAP.work && !ordersMap(fresh).has(orderIdOfWorkKey(key))) continue;
        const value = source.get(key);
        const current = target.get(key);
        const field = name === MAP.work ? key.slice(key.lastIndexOf("/") + 1) : "";
        if (value instanceof Y.Text && current instanceof Y.Text) {
          // A text edited offline: its unseen edits are inside it, whatever the age of its key.
          if (!editedSince(value, seen)) continue;
          if (applyTextDiff(current, value.toString())) carried++;
          continue;
        }
        if (value instanceof Y.Text && isTextField(field) && isStringsLayout(fresh)) {
          // A notes text of the old layout edited offline: into the order's text of the new one.
          if (!editedSince(value, seen)) continue;
          if (writeTextField(fresh, orderIdOfWorkKey(key), field, value.toString())) carried++;
          continue;
        }
        if (item.id.clock < (seen.get(item.id.client) ?? 0)) continue;
        if (isTextField(field) && isStringsLayout(fresh)) {
          if (
            writeTextField(fresh, orderIdOfWorkKey(key), field, typeof value === "string" ? value : undefined)
          )
            carried++;
          continue;
        }
        target.set(
          key,
          name === MAP.orders && isStringsLayout(fresh) && typeof value !== "string"
            ? JSON.stringify(value)
            : copyOf(value),
        );
        carried++;
      }
    }
    // Layout 2's notes: each order's top-level text, edited offline.
    for (const { orderId, field, text } of rootTexts(old)) {
      if (!ordersMap(fresh).has(orderId) || !editedSince(text, seen)) continue;
      if (writeTextField(fresh, orderId, field, text.toString())) carried++;
    }
  }, origin);
  return { carried };
}

// Base64 through btoa/atob, the same text as lib0's: lib0/buffer takes Node's Buffer anywhere without a
// `window`, so in a web worker (the PWA's document worker) it threw "Buffer is not defined".
function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
function fromBase64(text: string): Uint8Array {
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}
