// Pick lists and packing slips (A4 PDFs from @consign/labels) for a label run or for any set of
// orders: GET /api/v1/labels/runs/{runId}/pick-list.pdf and /packing-slips.pdf, and
// GET /api/v1/documents/pick-list.pdf and /packing-slips.pdf?orderIds=… . Orders come from the live
// document or the archive; an order that is in neither, or that is cancelled, is named with why and
// left out, never silently dropped.
import { ConsignError, ErrorCode, type Order } from "@consign/domain";
import { renderPackingSlips, renderPickList } from "@consign/labels";

export type OrderDocumentKind = "pick-list" | "packing-slips";

export interface OrderDocument {
  pdf: Uint8Array;
  /** Orders on the document, in the order asked. */
  included: string[];
  /** Orders asked for but not on it, with why. */
  missing: { orderId: string; reason: string }[];
}

/** At most this many orders on one document (a run's size). */
export const MAX_DOCUMENT_ORDERS = 500;

export function orderDocument(
  kind: OrderDocumentKind,
  orderIds: readonly string[],
  deps: { order(orderId: string): Order | undefined; sellerName?: string },
): OrderDocument {
  if (orderIds.length === 0) {
    throw new ConsignError(ErrorCode.BadRequest, "Name at least one order.", [
      { path: "orderIds", message: "at least one order id" },
    ]);
  }
  if (orderIds.length > MAX_DOCUMENT_ORDERS) {
    throw new ConsignError(ErrorCode.BadRequest, `At most ${MAX_DOCUMENT_ORDERS} orders on one document.`, [
      { path: "orderIds", message: `${orderIds.length} given, at most ${MAX_DOCUMENT_ORDERS}` },
    ]);
  }
  const orders: Order[] = [];
  const included: string[] = [];
  const missing: OrderDocument["missing"] = [];
  for (const orderId of new Set(orderIds)) {
    const order = deps.order(orderId);
    if (!order) missing.push({ orderId, reason: "no such order for this seller" });
    else if (order.state === "cancelled")
      missing.push({ orderId, reason: "cancelled: nothing to pick or pack" });
    else {
      orders.push(order);
      included.push(orderId);
    }
  }
  if (orders.length === 0) {
    throw new ConsignError(
      ErrorCode.NotFound,
      "None of these orders can go on a document.",
      missing.slice(0, 50).map((m) => ({ path: m.orderId, message: m.reason })),
    );
  }
  const options = { ...(deps.sellerName ? { sellerName: deps.sellerName } : {}) };
  const pdf = kind === "pick-list" ? renderPickList(orders, options) : renderPackingSlips(orders, options);
  return { pdf, included, missing };
}
