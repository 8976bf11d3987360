// The seam between the app and the seller's Yjs document: @consign/sync owns the schema and the typed
// reads and writes; the app goes through here so a schema change touches one file.

import type { Order } from "@consign/domain";
import {
  isTextField,
  plainValue,
  recordEntries,
  rootTexts,
  applyOrderAction as syncApplyOrderAction,
  WORK_FIELDS,
  workDefaults,
  workMap,
} from "@consign/sync";
import * as Y from "yjs";
import { thisDevice } from "./this-device.ts";

export {
  type LabelRunProgress,
  listOrders,
  listRuns,
  MAP,
  observeOrders,
  orderText,
  readOrder,
  readSetting,
  setWork,
  type TextField,
  textValue,
  WORK_FIELD_RULES,
  workKey,
  workMap,
  writeOrder,
  writeSetting,
  writeTextField,
} from "@consign/sync";

/** Applies an order action made on this device; its history entry names the device. */
export function applyOrderAction(...args: Parameters<typeof syncApplyOrderAction>): Order {
  const [doc, orderId, action, actor, origin] = args;
  const device = actor.device ?? thisDevice();
  return syncApplyOrderAction(doc, orderId, action, device ? { ...actor, device } : actor, origin);
}

const FIELD_SLOT: ReadonlyMap<string, number> = new Map(WORK_FIELDS.map((f, i) => [f, i]));

/**
 * Every order in the document, each exactly as `readOrder` gives it (same values, same key order), read in
 * one pass over the `work` map instead of one lookup per order and working field (14 × 5,000 gets).
 */
export function readAllOrders(doc: Y.Doc): Map<string, Order> {
  const slotsOf = new Map<string, unknown[]>();
  const put = (id: string, slot: number, value: unknown) => {
    let slots = slotsOf.get(id);
    if (!slots) {
      slots = new Array<unknown>(WORK_FIELDS.length);
      slotsOf.set(id, slots);
    }
    slots[slot] = value;
  };
  // Layout 2's notes: a top-level text per order that has words (a text at the work key, below, wins).
  for (const { orderId, field, text } of rootTexts(doc)) {
    const value = plainValue(text);
    if (value !== undefined) put(orderId, FIELD_SLOT.get(field)!, value);
  }
  for (const [key, stored] of workMap(doc).entries()) {
    // Notes are collaborative text: read as their content (absent when empty), as readOrder does.
    // A text there is where the order's notes are, even empty; an empty string is no note (as textValue reads).
    const value = plainValue(stored);
    const slash = key.lastIndexOf("/");
    const field = key.slice(slash + 1);
    if (isTextField(field) ? !(stored instanceof Y.Text) && !value : value === undefined) continue;
    const slot = slash < 0 ? undefined : FIELD_SLOT.get(field);
    if (slot === undefined) continue;
    put(key.slice(0, slash), slot, value);
  }
  const out = new Map<string, Order>();
  for (const [id, record] of recordEntries(doc)) {
    const order: Record<string, unknown> = { ...record, ...workDefaults() };
    const slots = slotsOf.get(record.orderId);
    if (slots) {
      for (let i = 0; i < WORK_FIELDS.length; i++) {
        const value = slots[i];
        if (value !== undefined) order[WORK_FIELDS[i]!] = value;
      }
    }
    out.set(id, order as unknown as Order);
  }
  return out;
}
