// Instant search over the live orders: one lowercased text per order, updated as orders change, so a
// keystroke scans strings rather than rebuilding anything. Matches every word typed (order number, buyer,
// postcode with or without its space, SKU, ASIN, title, tracking number).
//
// Texts are made lazily: upserts wait in a queue that `indexSome` works through in idle time (so the list
// shows before 50,000 texts are built) and that `match` finishes first. A query that extends the previous
// one (the person typed one more letter) only re-checks the previous matches.

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
  private readonly queue = new Map<string, Order>();
  /** The last non-empty query (lowercased) and its matches, while the index has not changed since. */
  private last: { query: string; ids: Set<string> } | null = null;

  upsert(o: Order): void {
    this.queue.set(o.orderId, o);
    this.last = null;
  }
  remove(orderId: string): void {
    this.queue.delete(orderId);
    this.text.delete(orderId);
    this.last = null;
  }
  /** Orders waiting to be indexed. */
  get pending(): number {
    return this.queue.size;
  }
  /** Indexes waiting orders until `more()` says stop (checked every 100); true when none are left. */
  indexSome(more: () => boolean = () => true): boolean {
    let n = 0;
    for (const [id, o] of this.queue) {
      this.text.set(id, searchText(o));
      this.queue.delete(id);
      if (++n % 100 === 0 && !more()) break;
    }
    return this.queue.size === 0;
  }
  /** Ids of orders matching every word of the query; null for an empty query (everything matches). */
  match(query: string): Set<string> | null {
    const q = query.toLowerCase();
    const words = q.split(/\s+/).filter(Boolean);
    if (words.length === 0) return null;
    this.indexSome();
    const out = new Set<string>();
    const last = this.last;
    if (last && q.startsWith(last.query)) {
      // Every word of the longer query contains a word of the shorter one: only its matches can match.
      for (const id of last.ids) {
        const text = this.text.get(id);
        if (text !== undefined && words.every((w) => text.includes(w))) out.add(id);
      }
    } else {
      for (const [id, text] of this.text) {
        if (words.every((w) => text.includes(w))) out.add(id);
      }
    }
    this.last = { query: q, ids: out };
    return out;
  }
}
