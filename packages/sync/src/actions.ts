// Lifecycle actions (mark ready, dispatched, hold…) applied to an order in the document, through
// the domain's state machine. Only the fields the action changed are written, one work key each.

import {
  type ActionContext,
  applyAction,
  ConsignError,
  ErrorCode,
  type Order,
  type OrderAction,
} from "@consign/domain";
import type * as Y from "yjs";
import { readOrder, writeOrder } from "./orders.ts";
import { WORK_FIELDS } from "./schema.ts";

/**
 * Applies one action to the order as it stands in the document and writes what changed.
 * Throws the domain's IllegalTransitionError when the action does not apply, and NotFound when
 * the order is not in the live document (archived or unknown).
 * `lastUpdated` stays Amazon's: the action's time is in the order's history.
 */
export function applyOrderAction(
  doc: Y.Doc,
  orderId: string,
  action: OrderAction,
  actor: ActionContext,
  origin?: unknown,
): Order {
  const current = readOrder(doc, orderId);
  if (current === undefined) {
    throw new ConsignError(
      ErrorCode.NotFound,
      `Order ${orderId} is not in the live list: it may have been archived. Search the archive for it.`,
    );
  }
  const next = applyAction(current, action, actor);
  const patch: Partial<Order> & { orderId: string } = { orderId };
  const patchFields = patch as Record<string, unknown>;
  for (const field of WORK_FIELDS) patchFields[field] = next[field];
  doc.transact(() => writeOrder(doc, patch), origin);
  return readOrder(doc, orderId) ?? next;
}
