import type { Order } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";

/** A plain new UK order with the given id, bought at `at` (the domain's test order). */
export function order(id: string, at = Date.UTC(2026, 3, 1)): Order {
  const base = makeOrder({ orderId: id, purchaseDate: at });
  return { ...base, items: base.items.map((item, i) => ({ ...item, orderItemId: `${id}-${i + 1}` })) };
}

export function orderIds(n: number, prefix = "203-0000001"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(7, "0")}`);
}
