// The orders as the document worker last sent them (./doc-host.ts): what a page served by the worker
// holds of the document's orders, and the orders store's source there (./orders.ts).

import type { Order } from "@consign/domain";
import type { FromWorker } from "./doc-messages.ts";
import type { OrderSource } from "./orders.ts";

export class OrderProjection implements OrderSource {
  private readonly orders = new Map<string, Order>();
  private readonly listeners = new Set<(ids: ReadonlySet<string>, more?: boolean) => void>();
  /** The orders of an "every order" set received so far (its last part drops the orders none had). */
  private incoming: Set<string> | null = null;

  /**
   * `eachPart`: the store hears of each part of an "every order" set as a change of its own (session 10's
   * way, kept only to measure beside it). By default each part but the last is told as `more` (the store
   * takes its orders in that part's task, ./orders.ts) and the last as the change: the list, its counts and
   * the dispatch clock go over the orders once instead of once a part (at 20,000 orders, ten passes and
   * ten sorts cost the main thread more than the parsing).
   */
  constructor(private readonly options: { eachPart?: boolean } = {}) {}

  readAll(): Map<string, Order> {
    return this.orders;
  }
  read(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }
  observe(onChange: (ids: ReadonlySet<string>, more?: boolean) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Takes one "orders" message; the store hears of the orders it touched. */
  receive(m: Extract<FromWorker, { type: "orders" }>): void {
    const entries = JSON.parse(m.json) as [string, Order | null][];
    const ids = new Set<string>();
    if (m.all) this.incoming ??= new Set();
    for (const [id, order] of entries) {
      ids.add(id);
      if (m.all) this.incoming?.add(id);
      if (order) this.orders.set(id, order);
      else this.orders.delete(id);
    }
    if (m.all && m.last && this.incoming) {
      for (const id of this.orders.keys()) {
        if (this.incoming.has(id)) continue;
        this.orders.delete(id);
        ids.add(id);
      }
      this.incoming = null;
    }
    const more = m.all && !m.last && !this.options.eachPart;
    for (const fn of this.listeners) fn(ids, more);
  }
}
