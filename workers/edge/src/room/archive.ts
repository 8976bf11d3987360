// Orders that have left the live document: monthly partitions in the room's SQLite, by purchase
// month, served to the PWA (which caches them in IndexedDB) for search and the metrics.
import type { Order } from "@consign/domain";

export function monthOf(millis: number): string {
  return new Date(millis).toISOString().slice(0, 7);
}

export class OrderArchive {
  private readonly listeners: ((orders: readonly Order[]) => void)[] = [];

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS archive (
      order_id TEXT PRIMARY KEY, month TEXT NOT NULL, updated_at INTEGER NOT NULL, body TEXT NOT NULL)`);
    sql.exec("CREATE INDEX IF NOT EXISTS archive_month ON archive(month)");
  }

  /** Calls `listener` with the orders of every later `put` (after they are stored). */
  onPut(listener: (orders: readonly Order[]) => void): void {
    this.listeners.push(listener);
  }

  put(orders: Order[], now: number): void {
    this.store(orders, now);
    for (const listener of this.listeners) listener(orders);
  }

  private store(orders: Order[], now: number): void {
    for (const order of orders) {
      this.sql.exec(
        "INSERT OR REPLACE INTO archive VALUES (?, ?, ?, ?)",
        order.orderId,
        monthOf(order.purchaseDate),
        now,
        JSON.stringify(order),
      );
    }
  }

  get(orderId: string): Order | undefined {
    const row = this.sql
      .exec<{ body: string }>("SELECT body FROM archive WHERE order_id = ?", orderId)
      .toArray()[0];
    return row ? (JSON.parse(row.body) as Order) : undefined;
  }

  month(month: string): Order[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM archive WHERE month = ? ORDER BY order_id", month)
      .toArray()
      .map((r) => JSON.parse(r.body) as Order);
  }

  /** Every archived order (for listings that ask for the archive without a date range). */
  all(): Order[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM archive")
      .toArray()
      .map((r) => JSON.parse(r.body) as Order);
  }

  months(): { month: string; orders: number; updatedAt: number }[] {
    return this.sql
      .exec<{ month: string; n: number; u: number }>(
        "SELECT month, COUNT(*) AS n, MAX(updated_at) AS u FROM archive GROUP BY month ORDER BY month",
      )
      .toArray()
      .map((r) => ({ month: r.month, orders: r.n, updatedAt: r.u }));
  }

  /** Orders whose purchase date lies in [from, to), for the metrics' longer windows. */
  /** Every archived order bought at or after `from`, however recent. */
  since(from: number): Order[] {
    const out: Order[] = [];
    for (const row of this.sql.exec<{ body: string }>(
      "SELECT body FROM archive WHERE month >= ?",
      monthOf(from),
    )) {
      const order = JSON.parse(row.body) as Order;
      if (order.purchaseDate >= from) out.push(order);
    }
    return out;
  }

  between(from: number, to: number): Order[] {
    const out: Order[] = [];
    for (const row of this.sql.exec<{ body: string }>(
      "SELECT body FROM archive WHERE month >= ? AND month <= ?",
      monthOf(from),
      monthOf(to),
    )) {
      const order = JSON.parse(row.body) as Order;
      if (order.purchaseDate >= from && order.purchaseDate < to) out.push(order);
    }
    return out;
  }
}
