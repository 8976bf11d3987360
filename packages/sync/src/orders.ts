// Typed reads and writes of orders. Every write goes through `writeOrder`, which routes each field
// to its home (the order's record, or one `work` key per working field) and skips what is unchanged,
// so writing the same thing twice changes nothing in the document.

import type { Order } from "@consign/domain";
import type * as Y from "yjs";
import { jsonEqual, withoutUndefined } from "./equal.ts";
import { isStringsLayout, isWorkedOutInRecord } from "./layout.ts";
import { readRecord, recordEntries, recordOf, storeRecord } from "./records.ts";
import {
  isWorkField,
  type OrderRecord,
  ordersMap,
  WORK_FIELDS,
  type WorkField,
  type WorkFields,
  workDefaults,
  workKey,
  workMap,
} from "./schema.ts";
import { createOrderTexts, isTextField, plainValue, textValue, writeTextField } from "./text.ts";
import { isPersonsChoice, isWorkedOutField } from "./worked-out.ts";

/** The order as the team sees it (record + working fields), or undefined if not in the live document. */
export function readOrder(doc: Y.Doc, orderId: string): Order | undefined {
  const record = readRecord(doc, orderId);
  if (record === undefined) return undefined;
  return withWork(doc, record);
}

/** Every order in the live document (open work and recently dispatched). */
export function listOrders(doc: Y.Doc): Order[] {
  const out: Order[] = [];
  for (const [, record] of recordEntries(doc)) out.push(withWork(doc, record));
  return out;
}

export function hasOrder(doc: Y.Doc, orderId: string): boolean {
  return ordersMap(doc).has(orderId);
}

/**
 * What a working field reads as while it has no key. A field equal to it is not written for an
 * order that has no key yet: a new order costs the document no working keys at all until someone
 * works on it (a quarter of the live document's size and load time, measured at 5,000 orders).
 */
const DEFAULTS: Partial<Record<WorkField, unknown>> = workDefaults();
function defaultOf(field: WorkField): unknown {
  return DEFAULTS[field];
}

function withWork(doc: Y.Doc, record: OrderRecord): Order {
  const work = workMap(doc);
  const order: Record<string, unknown> = { ...record, ...workDefaults() };
  for (const field of WORK_FIELDS) {
    const value = isTextField(field)
      ? textValue(doc, record.orderId, field)
      : plainValue(work.get(workKey(record.orderId, field)));
    if (value !== undefined) order[field] = value;
  }
  return order as unknown as Order;
}

export interface UpsertResult {
  added: string[];
  changed: string[];
  unchanged: number;
}

export interface UpsertOptions {
  /**
   * "keep" (default): working fields of an order already in the document are left as the team set
   * them; only a new order takes them from the import. "replace": the given values win.
   */
  work?: "keep" | "replace";
}

/**
 * Adds or updates orders, in one transaction. Idempotent: importing the same orders again changes
 * nothing, and only what differs is written (so a re-import makes no tombstones).
 */
export function upsertOrders(
  doc: Y.Doc,
  orders: readonly Order[],
  origin: unknown,
  options: UpsertOptions = {},
): UpsertResult {
  const result: UpsertResult = { added: [], changed: [], unchanged: 0 };
  doc.transact(() => {
    for (const order of orders) {
      const isNew = !ordersMap(doc).has(order.orderId);
      const wrote = writeOrder(doc, order, { onlyMissingWork: !isNew && options.work !== "replace" });
      // Layout 1: its notes start as an empty text made here, once, so devices only ever type into it.
      // (Layout 2: no text until someone types; see text.ts.)
      if (isNew && !isStringsLayout(doc)) createOrderTexts(doc, order.orderId);
      if (isNew) result.added.push(order.orderId);
      else if (wrote) result.changed.push(order.orderId);
      else result.unchanged++;
    }
  }, origin);
  return result;
}

/**
 * Writes the given fields of one order where they live; unchanged fields are not touched, a field
 * given as undefined is removed. Returns true when anything was written.
 *
 * In layout 3 (worked-out.ts) a parcel or service the room worked out goes into the record and
 * replaces what its `work` key held; a person's choice goes to the `work` key; undefined removes both.
 */
export function writeOrder(
  doc: Y.Doc,
  order: Partial<Order> & { orderId: string },
  options: { onlyMissingWork?: boolean } = {},
): boolean {
  const orders = ordersMap(doc);
  const work = workMap(doc);
  const id = order.orderId;
  let wrote = false;
  const recordPatch: Record<string, unknown> = {};
  let recordTouched = false;
  const inRecord = isWorkedOutInRecord(doc);
  for (const [field, value] of Object.entries(order)) {
    if (isTextField(field)) {
      if (options.onlyMissingWork && textValue(doc, id, field) !== undefined) continue;
      if (writeTextField(doc, id, field, value as string | undefined)) wrote = true;
    } else if (isWorkField(field)) {
      const key = workKey(id, field);
      const current = work.get(key);
      if (inRecord && isWorkedOutField(field) && (value === undefined || !isPersonsChoice(field, value))) {
        if (
          options.onlyMissingWork &&
          (current !== undefined || recordField(orders as Y.Map<unknown>, id, field) !== undefined)
        )
          continue;
        recordPatch[field] = value;
        recordTouched = true;
        // The room's value replaces whatever the key held, as writing the key did in layout 2 (working an
        // order out again never gets here over a person's choice: workOut hands their choice back).
        if (current !== undefined) {
          work.delete(key);
          wrote = true;
        }
        continue;
      }
      if (options.onlyMissingWork && current !== undefined) continue;
      if (value === undefined) {
        if (current !== undefined) {
          work.delete(key);
          wrote = true;
        }
      } else if (!jsonEqual(current ?? defaultOf(field), value)) {
        work.set(key, value);
        wrote = true;
      }
    } else {
      recordPatch[field] = value;
      recordTouched = true;
    }
  }
  if (recordTouched) {
    const stored = orders.get(id);
    const current = recordOf(orders as Y.Map<unknown>, id, stored);
    const next = withoutUndefined({ ...(current ?? {}), ...recordPatch }) as OrderRecord;
    // An object record in a document of layout 2 (written before it changed) is rewritten as a string.
    const relayout = stored !== undefined && typeof stored !== "string" && isStringsLayout(doc);
    if (current === undefined || relayout || !jsonEqual(current, next)) {
      storeRecord(doc, id, next);
      wrote = true;
    }
  }
  return wrote;
}

/** A field of the order's stored record (layout 3 keeps the worked-out parcel and service there). */
function recordField(orders: Y.Map<unknown>, id: string, field: string): unknown {
  const record = recordOf(orders, id, orders.get(id)) as Record<string, unknown> | undefined;
  return record?.[field];
}

/** Sets working fields of an order (package, service, notes, hold…); each merges on its own. */
export function setWork(doc: Y.Doc, orderId: string, fields: Partial<WorkFields>, origin?: unknown): boolean {
  if (!ordersMap(doc).has(orderId)) return false;
  let wrote = false;
  doc.transact(() => {
    for (const [field, value] of Object.entries(fields) as [WorkField, unknown][]) {
      if (isTextField(field)) {
        if (writeTextField(doc, orderId, field, value as string | undefined)) wrote = true;
        continue;
      }
      if (!isWorkField(field)) continue;
      const key = workKey(orderId, field);
      const current = workMap(doc).get(key);
      if (value === undefined) {
        if (current !== undefined) {
          workMap(doc).delete(key);
          wrote = true;
        }
      } else if (!jsonEqual(current ?? defaultOf(field), value)) {
        workMap(doc).set(key, value);
        wrote = true;
      }
    }
  }, origin);
  return wrote;
}
