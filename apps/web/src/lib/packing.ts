// Scan station logic: find an order from a scanned order number or tracking number, then verify its
// items one scan at a time (SKU or ASIN), refusing what is not in the order or already packed.

import type { Order } from "@consign/domain";

const norm = (s: string) => s.trim().toUpperCase().replace(/\s+/g, "");

/** The order a scan refers to: its order number, or the tracking number of one of its labels. */
export function findOrderByScan(
  code: string,
  orders: Iterable<Order>,
  byId?: Map<string, Order>,
): Order | undefined {
  const c = norm(code);
  if (!c) return undefined;
  const direct = byId?.get(code.trim());
  if (direct) return direct;
  for (const o of orders) {
    if (norm(o.orderId) === c) return o;
    for (const s of o.shipments) if (norm(s.trackingNumber) === c) return o;
  }
  return undefined;
}

export interface PackLine {
  orderItemId: string;
  sku: string;
  asin: string;
  title: string;
  expected: number;
  scanned: number;
}

export type ScanResult =
  | { kind: "packed"; line: PackLine; complete: boolean }
  | { kind: "already_packed"; line: PackLine }
  | { kind: "not_in_order"; code: string };

export class PackingCheck {
  readonly lines: PackLine[];

  constructor(order: Order) {
    this.lines = order.items.map((i) => ({
      orderItemId: i.orderItemId,
      sku: i.sku,
      asin: i.asin,
      title: i.title,
      expected: Math.max(0, i.quantityOrdered - i.quantityShipped) || i.quantityOrdered,
      scanned: 0,
    }));
  }

  get complete(): boolean {
    return this.lines.every((l) => l.scanned >= l.expected);
  }

  /** One scanned item barcode (SKU or ASIN). */
  scan(code: string): ScanResult {
    const c = norm(code);
    const matching = this.lines.filter((l) => norm(l.sku) === c || norm(l.asin) === c);
    if (matching.length === 0) return { kind: "not_in_order", code: code.trim() };
    const open = matching.find((l) => l.scanned < l.expected);
    if (!open) return { kind: "already_packed", line: matching[0]! };
    open.scanned++;
    return { kind: "packed", line: open, complete: this.complete };
  }
}
