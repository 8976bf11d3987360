// Change notification for views: which orders changed in each transaction, local or remote.

import type * as Y from "yjs";
import { MAP, orderIdOfWorkKey } from "./schema.ts";
import { textOfRootName } from "./text.ts";

/** The top-level name of a root type (layout 2's notes are top-level texts named for their order). */
function rootNameOf(doc: Y.Doc, type: Y.AbstractType<unknown>): string | undefined {
  for (const [name, shared] of doc.share) if (shared === type) return name;
  // A placeholder turned into its type (text.ts `existingRootText`) shares its items.
  if (type._start !== null)
    for (const [name, shared] of doc.share) if (shared._start === type._start) return name;
  return undefined;
}

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
      if (!isOrders && (type as unknown) !== work) {
        // An order's notes in layout 2: a top-level text named for the order.
        const name = rootNameOf(doc, type as Y.AbstractType<unknown>);
        const text = name === undefined ? undefined : textOfRootName(name);
        if (text !== undefined) orderIds.add(text.orderId);
        continue;
      }
      for (const key of keys) {
        if (key !== null) orderIds.add(isOrders ? key : orderIdOfWorkKey(key));
      }
    }
    if (orderIds.size > 0) onChange({ orderIds, origin: tr.origin, local: tr.local });
  };
  doc.on("afterTransaction", listener);
  return () => doc.off("afterTransaction", listener);
}
