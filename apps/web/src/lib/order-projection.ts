// The orders as the document worker last sent them (./doc-host.ts): what a page served by the worker
// holds of the document's orders, and the orders store's source there (./orders.ts).

import type { Order } from "@consign/domain";
import type { FromWorker } from "./doc-messages.ts";
import type { OrderSource } from "./orders.ts";

export class OrderProjection implements OrderSource {
  private readonly orders = new Map<string, Order>();
  private readonly listeners = new Set<(ids: ReadonlySet<string>) => void>();
  /** The orders of an "every order" set received so far (its last part drops the orders none had). */
  private incoming: Set<string> | null = null;

  readAll(): Map<string, Order> {
    return this.orders;
  }
  read(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }
  observe(onChange: (ids: ReadonlySet<string>) => void): () => void {
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
    for (const fn of this.listeners) fn(ids);
  }
}
