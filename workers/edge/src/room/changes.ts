// The change feed: every change to an order, whoever made it (an import from Amazon, a label
// bought or voided, a tablet's edit, a dispatch, Amazon's confirmation, a stock shortfall), gets
// the next revision of this seller, written to SQLite in the same synchronous turn as the change.
// A Durable Object runs one thing at a time and each statement commits in order, so revisions are
// handed out and become visible in the same order: a reader paging with `after=<revision>` sees
// every change exactly once, even while writes race its reads (no later commit of an earlier
// number can appear behind its cursor).
import { ConsignError, ErrorCode } from "@consign/domain";
import type { WebhookEventType } from "../api/webhooks/events.ts";

export interface OrderChange {
  revision: number;
  type: WebhookEventType;
  orderId: string;
  at: number;
  /** What the order looked like right after: its state, and the detail of this change. */
  detail: ChangeDetail;
}

export interface ChangeDetail {
  state: string;
  trackingNumber?: string | undefined;
  shipmentId?: string | undefined;
  short?: { sku: string; needed: number; available: number }[] | undefined;
}

export interface ChangePage {
  changes: OrderChange[];
  /** Pass back as `after`: the last revision in this page (or `after` when the page is empty). */
  next: number;
  hasMore: boolean;
}

/** Where an order stands in the feed: its latest revision and when that change happened. */
export interface OrderRevision {
  revision: number;
  at: number;
}

/** Changes are kept this long; a cursor older than that must start again from GET /orders. */
export const CHANGES_KEPT_MS = 30 * 86_400_000;

type Row = { rev: number; type: string; order_id: string; at: number; detail: string };

export class OrderChanges {
  /** Latest revision per order, read once from SQLite and kept current by `record`. */
  private latest: Map<string, OrderRevision> | null = null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS order_changes (
      rev INTEGER PRIMARY KEY AUTOINCREMENT, order_id TEXT NOT NULL, type TEXT NOT NULL,
      at INTEGER NOT NULL, detail TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS order_revisions (
      order_id TEXT PRIMARY KEY, rev INTEGER NOT NULL, at INTEGER NOT NULL)`);
    sql.exec("CREATE TABLE IF NOT EXISTS order_changes_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
  }

  /** Records one change; returns its revision. */
  record(type: WebhookEventType, orderId: string, at: number, detail: ChangeDetail): OrderRevision {
    const rev = this.sql
      .exec<{ rev: number }>(
        "INSERT INTO order_changes (order_id, type, at, detail) VALUES (?, ?, ?, ?) RETURNING rev",
        orderId,
        type,
        at,
        JSON.stringify(detail),
      )
      .one().rev;
    this.sql.exec(
      "INSERT INTO order_revisions (order_id, rev, at) VALUES (?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET rev = excluded.rev, at = excluded.at",
      orderId,
      rev,
      at,
    );
    const revision = { revision: rev, at };
    this.latest?.set(orderId, revision);
    return revision;
  }

  /** The order's latest revision, or undefined when nothing has changed it since the feed began. */
  revisionOf(orderId: string): OrderRevision | undefined {
    return this.revisions().get(orderId);
  }

  revisions(): ReadonlyMap<string, OrderRevision> {
    if (!this.latest) {
      this.latest = new Map();
      for (const row of this.sql.exec<{ order_id: string; rev: number; at: number }>(
        "SELECT order_id, rev, at FROM order_revisions",
      )) {
        this.latest.set(row.order_id, { revision: row.rev, at: row.at });
      }
    }
    return this.latest;
  }

  /** The newest revision handed out (0 before the first change). */
  head(): number {
    return (
      this.sql.exec<{ rev: number | null }>("SELECT MAX(rev) AS rev FROM order_changes").one().rev ??
      this.prunedThrough()
    );
  }

  /** Changes after revision `after`, oldest first, at most `limit`. */
  page(after: number, limit: number): ChangePage {
    const pruned = this.prunedThrough();
    if (after < pruned) {
      throw new ConsignError(
        ErrorCode.Gone,
        `This cursor is older than the ${CHANGES_KEPT_MS / 86_400_000} days of changes kept: list every order again with GET /orders?sort=updated, then follow /changes from the cursor it gives.`,
        [{ path: "after", message: `changes up to ${pruned} are no longer kept` }],
      );
    }
    const rows = this.sql
      .exec<Row>(
        "SELECT rev, type, order_id, at, detail FROM order_changes WHERE rev > ? ORDER BY rev LIMIT ?",
        after,
        limit + 1,
      )
      .toArray();
    const hasMore = rows.length > limit;
    const changes = rows.slice(0, limit).map((r) => ({
      revision: r.rev,
      type: r.type as WebhookEventType,
      orderId: r.order_id,
      at: r.at,
      detail: JSON.parse(r.detail) as ChangeDetail,
    }));
    return { changes, next: changes.at(-1)?.revision ?? after, hasMore };
  }

  /** Forgets changes older than the kept window (an order's latest revision stays). */
  prune(now: number): void {
    const cutoff = now - CHANGES_KEPT_MS;
    const last = this.sql
      .exec<{ rev: number | null }>("SELECT MAX(rev) AS rev FROM order_changes WHERE at < ?", cutoff)
      .one().rev;
    if (last === null) return;
    this.sql.exec("DELETE FROM order_changes WHERE rev <= ?", last);
    this.sql.exec(
      "INSERT INTO order_changes_meta (k, v) VALUES ('pruned_through', ?) ON CONFLICT(k) DO UPDATE SET v = MAX(v, excluded.v)",
      last,
    );
  }

  private prunedThrough(): number {
    return (
      this.sql.exec<{ v: number }>("SELECT v FROM order_changes_meta WHERE k = 'pruned_through'").toArray()[0]
        ?.v ?? 0
    );
  }
}
