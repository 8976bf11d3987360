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
    const orderIds = new Set<string>();
    for (const [type, keys] of tr.changed) {
      // An edit inside an order's text (notes) changes the text, not the work map: its key says whose.
      const item = (type as Y.AbstractType<unknown>)._item;
      if (item !== null) {
        if (item.parent === work && typeof item.parentSub === "string")
          orderIds.add(orderIdOfWorkKey(item.parentSub));
        continue;
      }
      const isOrders = (type as unknown) === orders;
      if (!isOrders && (type as unknown) !== work) continue;
      for (const key of keys) {
        if (key !== null) orderIds.add(isOrders ? key : orderIdOfWorkKey(key));
      }
    }
    if (orderIds.size > 0) onChange({ orderIds, origin: tr.origin, local: tr.local });
  };
  doc.on("afterTransaction", listener);
  return () => doc.off("afterTransaction", listener);
}
