// GET /archive/{month} in the API's one order shape: the month's archived orders (by purchase date,
// newest first), each as GET /orders shows it, revision and changedAt included.
import { unwrap } from "../http/result.ts";
import type { SellerBackend } from "./backend.ts";
import { presentOrder } from "./present.ts";
import type { ApiOrder } from "./schemas/orders.ts";

/** [start, end) of a yyyy-mm month in UTC, epoch ms. */
export function monthRange(month: string): { from: number; to: number } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1, 1), to: Date.UTC(y, m, 1) };
}

export async function archiveMonthView(
  backend: Pick<SellerBackend, "listOrders">,
  month: string,
  now: number,
): Promise<{ month: string; orders: ApiOrder[] }> {
  const { from, to } = monthRange(month);
  const page = unwrap(
    await backend.listOrders(
      { archiveOnly: true, purchasedFrom: from, purchasedTo: to, sort: "purchased", limit: 1_000_000 },
      now,
    ),
  );
  // On the room's clock and cut-off, as GET /orders presents them.
  const at = page.clock ?? { now, cutoff: undefined, couriers: undefined };
  return { month, orders: page.orders.map((o) => presentOrder(o, at.now, at.cutoff, at.couriers)) };
}
