// The first screen of the orders list as the team's copy holds it now, for a device that has no copy
// of its own yet (a new tablet signing in): the first rows of every view, every view's count and the
// dispatch clock's figures, small enough to arrive long before the whole document (5.67 MB at 5,000
// orders). The device paints it as it paints a first screen it kept itself: inert until its live list
// replaces it. Every role that may open the socket gets the whole document, so all of them get this.

import {
  byDeadline,
  countViews,
  courierClock,
  type DispatchCutoffs,
  dispatchFigures,
  firstRowsOf,
  type Order,
  TEAM_FIRST_SCREEN_VERSION,
  type TeamFirstScreen,
  VIEWS,
  type ViewId,
  warehouseClock,
} from "@consign/domain";

/** The first screen of `orders` (the live list, any order) on the room's clock and cut-offs. */
export function teamFirstScreen(
  sellerId: string,
  orders: readonly Order[],
  now: number,
  cutoffs: DispatchCutoffs,
): TeamFirstScreen {
  const clock = warehouseClock(now);
  const sorted = [...orders].sort(byDeadline);
  const byId = new Map<string, Order>();
  const views = {} as Record<ViewId, string[]>;
  for (const { id } of VIEWS) {
    const rows = firstRowsOf(sorted, id, clock);
    views[id] = rows.map((o) => o.orderId);
    for (const o of rows) byId.set(o.orderId, o);
  }
  return {
    version: TEAM_FIRST_SCREEN_VERSION,
    sellerId,
    at: now,
    counts: countViews(orders, clock),
    dispatch: dispatchFigures(orders, clock, cutoffs),
    couriers: courierClock(orders, now, cutoffs.couriers),
    views,
    orders: [...byId.values()],
  };
}
