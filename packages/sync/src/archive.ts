// Keeping the live document bounded: it holds open work and what was closed in the last few days.
// Older orders move to the room's archive (monthly SQLite partitions, served over HTTP), which
// search and the metrics still reach.

import type { Millis, Order } from "@consign/domain";
import type * as Y from "yjs";
import { listOrders } from "./orders.ts";
import { type PrintJob, printQueueMap } from "./print-queue.ts";
import { ordersMap, WORK_FIELDS, workKey, workMap } from "./schema.ts";
import { clearRootTexts } from "./text.ts";

const DAY_MS = 86_400_000;

/**
 * When the order's work was finished, or undefined while it is still open. A dispatched order is
 * open until Amazon has the confirmation: the room still has to write the answer into it.
 */
export function closedAt(order: Order): Millis | undefined {
  if (order.state === "confirmed") {
    return order.confirmation.confirmedAt ?? order.dispatchedAt ?? order.lastUpdated;
  }
  if (order.state === "cancelled") return order.cancelledAt ?? order.lastUpdated;
  return undefined;
}

/** Orders closed more than `keepDays` days before `now`: to be written to the archive, then removed. */
export function selectForArchive(doc: Y.Doc, now: Millis, keepDays: number): Order[] {
  const cutoff = now - keepDays * DAY_MS;
  return listOrders(doc).filter((order) => {
    const at = closedAt(order);
    return at !== undefined && at < cutoff;
  });
}

/** Removes orders and all their working fields from the live document, in one transaction. */
export function removeOrders(doc: Y.Doc, orderIds: readonly string[], origin?: unknown): number {
  let removed = 0;
  doc.transact(() => {
    const orders = ordersMap(doc);
    const work = workMap(doc);
    for (const id of orderIds) {
      if (orders.has(id)) {
        orders.delete(id);
        removed++;
      }
      for (const field of WORK_FIELDS) {
        const key = workKey(id, field);
        if (work.has(key)) work.delete(key);
      }
      clearRootTexts(doc, id);
    }
    // Their labels' print records go with them (`label/${orderId}/${trackingNumber}`).
    const gone = new Set(orderIds);
    const queue = printQueueMap(doc);
    for (const [key, value] of [...queue.entries()]) {
      if (key.startsWith("label/") && gone.has(key.slice(6, key.lastIndexOf("/")))) queue.delete(key);
      // A print job goes when none of its orders is left in the live document.
      if (key.startsWith("job/") && !(value as PrintJob).orderIds.some((id) => orders.has(id)))
        queue.delete(key);
    }
  }, origin);
  return removed;
}
