// Pushes each SKU's sellable quantity to Amazon (patchListingsItem), debounced per SKU so a burst
// of scans becomes one call, within the usage plan. A SKU at zero goes first and without the
// debounce: it must stop selling before it causes a cancellation. Each SKU shows its last result:
// accepted, refused (with Amazon's issue text; tried again later) or retrying (Amazon did not answer).

import type { HealthClient } from "@consign/sp-api";

export type PushState = "pending" | "accepted" | "refused" | "retrying";

export interface ListingPushStatus {
  sku: string;
  quantity: number;
  state: PushState;
  /** Amazon's issue text when it refused, or why the call failed. */
  issue?: string;
  attempts: number;
  nextAttemptAt?: number;
  pushedQuantity?: number;
  updatedAt: number;
}

export interface ListingsPushOptions {
  debounceMs: number;
  baseRetryMs: number;
  maxRetryMs: number;
  /** Pushes per run (the plan is 5/s, burst 5). */
  maxPerRun: number;
}

const DEFAULTS: ListingsPushOptions = {
  debounceMs: 30_000,
  baseRetryMs: 60_000,
  maxRetryMs: 6 * 3_600_000,
  maxPerRun: 50,
};

interface Row {
  sku: string;
  quantity: number;
  state: string;
  issue: string | null;
  attempts: number;
  due_at: number | null;
  pushed_quantity: number | null;
  updated_at: number;
  [key: string]: SqlStorageValue;
}

export class ListingsPush {
  private readonly opts: ListingsPushOptions;
  private running: Promise<number | null> | undefined;

  constructor(
    private readonly deps: {
      sql: SqlStorage;
      client: HealthClient;
      sellerId: string;
      options?: Partial<ListingsPushOptions>;
    },
  ) {
    this.opts = { ...DEFAULTS, ...deps.options };
    deps.sql.exec(`CREATE TABLE IF NOT EXISTS health_listing_push (
      sku TEXT PRIMARY KEY, quantity INTEGER NOT NULL, state TEXT NOT NULL, issue TEXT,
      attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER, pushed_quantity INTEGER, updated_at INTEGER NOT NULL)`);
  }

  /**
   * Records a SKU's sellable quantity; returns when its push is due (for the alarm), or null when
   * nothing waits. The same quantity again changes nothing: its push (or retry) keeps its time.
   * (Restarting the debounce on every stock recompute, which runs on every change to the orders,
   * kept a restocked SKU's push 30 s away for as long as orders kept changing: in the simulated
   * month Amazon went on showing the SKU at 0 for 18 days after the restock.)
   */
  setQuantity(sku: string, quantity: number, now: number): number | null {
    const q = Math.max(0, Math.floor(quantity));
    const current = this.deps.sql
      .exec<Row>("SELECT * FROM health_listing_push WHERE sku = ?", sku)
      .toArray()[0];
    if (current && current.quantity === q) return current.due_at;
    const due = q === 0 ? now : now + this.opts.debounceMs;
    this.deps.sql.exec(
      `INSERT INTO health_listing_push (sku, quantity, state, attempts, due_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?)
       ON CONFLICT(sku) DO UPDATE SET quantity = excluded.quantity, state = 'pending', attempts = 0, issue = NULL,
       due_at = excluded.due_at, updated_at = excluded.updated_at`,
      sku,
      q,
      due,
      now,
    );
    return due;
  }

  status(): ListingPushStatus[] {
    return this.deps.sql
      .exec<Row>("SELECT * FROM health_listing_push ORDER BY sku")
      .toArray()
      .map((r) => ({
        sku: r.sku,
        quantity: r.quantity,
        state: r.state as PushState,
        attempts: r.attempts,
        updatedAt: r.updated_at,
        ...(r.issue ? { issue: r.issue } : {}),
        ...(r.due_at !== null ? { nextAttemptAt: r.due_at } : {}),
        ...(r.pushed_quantity !== null ? { pushedQuantity: r.pushed_quantity } : {}),
      }));
  }

  /** Pushes what is due; returns when to run next (null when nothing waits). */
  runOnce(now: number): Promise<number | null> {
    this.running ??= this.drain(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private backoff(attempts: number): number {
    return Math.min(this.opts.maxRetryMs, this.opts.baseRetryMs * 2 ** Math.max(0, attempts - 1));
  }

  private async drain(now: number): Promise<number | null> {
    const due = this.deps.sql
      .exec<Row>(
        "SELECT * FROM health_listing_push WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY (quantity = 0) DESC, due_at, sku LIMIT ?",
        now,
        this.opts.maxPerRun,
      )
      .toArray();
    for (const row of due) {
      const attempts = row.attempts + 1;
      let state: PushState;
      let issue: string | null = null;
      let pushed: number | null = row.pushed_quantity;
      try {
        const r = await this.deps.client.setListingQuantity(this.deps.sellerId, row.sku, row.quantity);
        if (r.status === "INVALID") {
          state = "refused";
          issue =
            (r.issues ?? [])
              .filter((i) => i.severity === "ERROR")
              .map((i) => i.message)
              .join("; ") || "Amazon refused the quantity.";
        } else {
          state = "accepted";
          pushed = row.quantity;
        }
      } catch (err) {
        state = "retrying";
        issue = (err as Error).message;
      }
      // The quantity may have changed while we waited for Amazon: only settle the row we pushed.
      const current = this.deps.sql
        .exec<Row>("SELECT * FROM health_listing_push WHERE sku = ?", row.sku)
        .toArray()[0];
      if (!current || current.updated_at !== row.updated_at) continue;
      this.deps.sql.exec(
        "UPDATE health_listing_push SET state = ?, issue = ?, attempts = ?, due_at = ?, pushed_quantity = ? WHERE sku = ?",
        state,
        issue,
        state === "accepted" ? 0 : attempts,
        state === "accepted" ? null : now + this.backoff(attempts),
        pushed,
        row.sku,
      );
    }
    const next = this.deps.sql
      .exec<{ t: number | null }>("SELECT min(due_at) AS t FROM health_listing_push WHERE due_at IS NOT NULL")
      .one().t;
    return next ?? null;
  }
}
