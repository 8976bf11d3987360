// Orders kept sorted by dispatch deadline (`byDeadline`) as they change, so a view or a search only filters
// (in order) and never sorts 50,000 orders on a keystroke.

import type { Order } from "@consign/domain";
import { byDeadline } from "./views.ts";

/** First position whose order does not sort before `o`. */
function lowerBound(list: readonly Order[], o: Order): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byDeadline(list[mid]!, o) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedOrders {
  /** A new array after every change (so memos comparing by identity see the change). */
  all: readonly Order[] = [];

  reset(orders: Iterable<Order>): void {
    this.all = [...orders].sort(byDeadline);
  }

  /**
   * Orders changed: for each, `before` is what was held (undefined if new) and `after` what is now (undefined
   * if gone). One new array for the lot.
   */
  apply(changes: readonly (readonly [before: Order | undefined, after: Order | undefined])[]): void {
    const next = this.all.slice();
    for (const [before, after] of changes) {
      if (before) {
        const at = lowerBound(next, before);
        if (next[at]?.orderId === before.orderId) next.splice(at, 1);
        else {
          // Not where its deadline says (it should never happen): find it by id.
          const i = next.findIndex((o) => o.orderId === before.orderId);
          if (i >= 0) next.splice(i, 1);
        }
      }
      if (after) next.splice(lowerBound(next, after), 0, after);
    }
    this.all = next;
  }
}
