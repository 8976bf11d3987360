// The metrics' real inputs inside the room: Amazon's own account-health figures, defects and
// refunds landed on their orders, stock that adds up across devices and is pushed to Amazon, and
// (when the seller switches it on) one review request per order.
import {
  type AccountMetrics,
  availableBySku,
  ConsignError,
  holdsStock,
  lowStock,
  type Order,
  reservationsOf,
  trackedLines,
  unfillable,
} from "@consign/domain";
import { createHealthClient, type HealthClient } from "@consign/sp-api";
import { adjustStock, listOrders, stockLevels } from "@consign/sync";
import {
  AccountHealthSync,
  type DefectUpdate,
  ListingsPush,
  landDefects,
  officialComparisons,
  RefundSync,
  Solicitations,
} from "../health/index.ts";
import type { AmazonLink } from "./amazon.ts";
import type { OrderArchive } from "./archive.ts";
import type { RoomDoc } from "./label-runs.ts";

const TAKEN = new Set(["dispatched", "confirmed"]);
/** The room's own counter id in the stock PN-counter (devices use their Yjs client ids). */
const ROOM_COUNTER = "room";

export class HealthLink {
  private client: HealthClient | null = null;
  private engines: {
    health: AccountHealthSync;
    refunds: RefundSync;
    listings: ListingsPush;
    reviews: Solicitations;
  } | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly amazon: AmazonLink,
    private readonly room: RoomDoc,
    private readonly archive: OrderArchive,
  ) {
    sql.exec("CREATE TABLE IF NOT EXISTS stock_taken (order_id TEXT PRIMARY KEY, at INTEGER NOT NULL)");
  }

  private build() {
    if (this.engines) return this.engines;
    const connection = this.amazon.vault.connection();
    if (!connection) return null;
    this.client ??= createHealthClient(this.amazon.sectionOptions());
    const client = this.client;
    this.engines = {
      health: new AccountHealthSync({ sql: this.sql, client, onDefects: (d) => this.landDefects(d) }),
      refunds: new RefundSync({
        sql: this.sql,
        client,
        onRefunds: (r) =>
          this.landDefects(r.map((x) => ({ orderId: x.orderId, defects: { refundedAt: x.refundedAt } }))),
        onDefects: (d) => this.landDefects(d),
      }),
      listings: new ListingsPush({ sql: this.sql, client, sellerId: connection.sellingPartnerId }),
      reviews: new Solicitations({
        sql: this.sql,
        client,
        candidates: () =>
          listOrders(this.room.doc)
            .filter((o) => o.dispatchedAt !== undefined || o.confirmation.confirmedAt !== undefined)
            .map((o) => ({
              orderId: o.orderId,
              dispatchedAt: o.dispatchedAt ?? o.confirmation.confirmedAt!,
            })),
      }),
    };
    return this.engines;
  }

  /** Defects and refunds land on their orders: the live document, else the archive. */
  private landDefects(updates: DefectUpdate[]): void {
    landDefects({ room: this.room, archive: this.archive }, updates, Date.now());
  }

  /**
   * Takes dispatched orders' units from stock once each, then queues the quantities for Amazon. `orders`:
   * the live orders when the caller has just listed them (one pass reads every order once: at 50,000
   * open orders a listing is seconds, and an import asks for this pass every few pages).
   */
  settleStock(now: number, orders: readonly Order[] = listOrders(this.room.doc)): number | null {
    this.takeDispatched(now, orders);
    return this.planAmazonQuantities(now, orders);
  }

  /** Takes each dispatched order's units from stock, once per order, against the SKUs tracked now. */
  takeDispatched(now: number, orders: readonly Order[] = listOrders(this.room.doc)): void {
    const doc = this.room.doc;
    const tracked = stockLevels(doc);
    this.room.transact((d) => {
      for (const order of orders) {
        if (!TAKEN.has(order.state)) continue;
        if (this.sql.exec("SELECT 1 FROM stock_taken WHERE order_id = ?", order.orderId).toArray().length)
          continue;
        for (const item of order.items) {
          if (tracked.has(item.sku))
            adjustStock(d, item.sku, -item.quantityOrdered, { counterId: ROOM_COUNTER });
        }
        this.sql.exec("INSERT INTO stock_taken VALUES (?, ?)", order.orderId, now);
      }
    });
  }

  /** Queues each tracked SKU's available quantity for Amazon; when the next push is due, or null. */
  planAmazonQuantities(now: number, orders?: readonly Order[]): number | null {
    const engines = this.build();
    if (!engines) return null;
    let due: number | null = null;
    for (const [sku, quantity] of this.stockView(orders).available) {
      const at = engines.listings.setQuantity(sku, quantity, now);
      if (at !== null) due = due === null ? at : Math.min(due, at);
    }
    return due;
  }

  /** Stock per SKU the seller tracks: level, held by open orders, available to sell, and who is short. */
  stockView(orders: readonly Order[] = listOrders(this.room.doc)) {
    const doc = this.room.doc;
    const levels = stockLevels(doc);
    const open = orders.filter(holdsStock).map((o) => trackedLines(o, levels));
    const available = availableBySku(levels, reservationsOf(open, levels));
    return {
      levels,
      available,
      unfillable: unfillable(open, levels),
      lowStock: lowStock(available, new Map(), 2),
    };
  }

  async runOnce(now: number): Promise<number | null> {
    const engines = this.build();
    if (!engines) return null;
    const next: number[] = [];
    for (const [name, run] of [
      ["account health", () => engines.health.runOnce(now)],
      ["refunds", () => engines.refunds.runOnce(now)],
      ["listings", () => engines.listings.runOnce(now)],
      ["review requests", () => engines.reviews.runOnce(now)],
    ] as const) {
      try {
        const at = await run();
        if (at !== null && at !== undefined) next.push(at);
      } catch (e) {
        console.error(`${name} failed`, e instanceof ConsignError ? e.message : e);
        next.push(now + 5 * 60_000);
      }
    }
    return next.length ? Math.min(...next) : null;
  }

  /** Amazon's official figures beside ours, with why they differ (see health/official.ts). */
  official(metricsAt: (at: number) => AccountMetrics, now: number) {
    const engines = this.build();
    const latest = engines?.health.official();
    return {
      fetchedAt: latest?.fetchedAt ?? null,
      accountHealthRating: latest?.health.accountHealthRating ?? null,
      comparisons: officialComparisons(latest?.health, metricsAt, now),
      reports: engines?.health.reports() ?? [],
    };
  }

  listingsStatus() {
    return this.build()?.listings.status() ?? [];
  }

  setReviewRequests(on: boolean): { enabled: boolean } {
    const engines = this.build();
    if (!engines) throw new ConsignError("amazon_not_connected", "Connect Amazon first: Settings → Amazon.");
    engines.reviews.setEnabled(on);
    return { enabled: engines.reviews.enabled() };
  }

  reviewRequests(): { enabled: boolean } {
    return { enabled: this.build()?.reviews.enabled() ?? false };
  }
}
