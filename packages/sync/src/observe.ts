// Change notification for views: which orders changed in each transaction, local or remote.

import type * as Y from "yjs";
import { MAP, orderIdOfWorkKey } from "./schema.ts";

export interface OrdersChange {
  /** Ids of orders added, changed or removed. */
  orderIds: Set<string>;
  origin: unknown;
  local: boolean;
}

/** Calls `onChange` once per transaction that touched orders; returns the function that stops it. */
export function observeOrders(doc: Y.Doc, onChange: (change: OrdersChange) => void): () => void {
  const orders = doc.getMap(MAP.orders);
  const work = doc.getMap(MAP.work);
  const listener = (tr: Y.Transaction) => {
    const orderKeys = tr.changed.get(orders);
    const workKeys = tr.changed.get(work);
    if (!orderKeys && !workKeys) return;
    const orderIds = new Set<string>();
    for (const key of orderKeys ?? []) if (key !== null) orderIds.add(key);
    for (const key of workKeys ?? []) if (key !== null) orderIds.add(orderIdOfWorkKey(key));
    if (orderIds.size > 0) onChange({ orderIds, origin: tr.origin, local: tr.local });
  };
  doc.on("afterTransaction", listener);
  return () => doc.off("afterTransaction", listener);
}
