// Instant search over the live orders: one lowercased text per order, updated as orders change, so a
// keystroke scans strings rather than rebuilding anything. Matches every word typed (order number, buyer,
// postcode with or without its space, SKU, ASIN, title, tracking number).

import type { Order } from "@consign/domain";

export function searchText(o: Order): string {
  const parts = [o.orderId, o.buyerName ?? "", o.recipient?.name ?? "", o.recipient?.postcode ?? ""];
  parts.push((o.recipient?.postcode ?? "").replace(/\s+/g, ""), o.recipient?.city ?? "");
  for (const i of o.items) parts.push(i.sku, i.asin, i.title);
  for (const s of o.shipments) parts.push(s.trackingNumber);
  return parts.join("\u0001").toLowerCase();
}

export class SearchIndex {
  private readonly text = new Map<string, string>();

  upsert(o: Order): void {
    this.text.set(o.orderId, searchText(o));
  }
  remove(orderId: string): void {
    this.text.delete(orderId);
  }
  /** Ids of orders matching every word of the query; null for an empty query (everything matches). */
  match(query: string): Set<string> | null {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return null;
    const out = new Set<string>();
    for (const [id, text] of this.text) {
      if (words.every((w) => text.includes(w))) out.add(id);
    }
    return out;
  }
}
