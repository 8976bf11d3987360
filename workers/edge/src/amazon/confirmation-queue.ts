// Dispatch confirmations to Amazon, exactly once per package, durable in SQLite. A row is marked
// "sending" before the call (a Durable Object may stop at any await); after a restart, a row left
// "sending" is sent again and Amazon's "already fulfilled" answer to it counts as confirmed.
//
// When Amazon throttles (429 after the client's own retry), the whole queue pauses, not the one
// parcel: the parcel keeps its place at the head, nothing behind it is tried in the meantime, and
// the queue goes on when Amazon's Retry-After, the usage plan (x-amzn-RateLimit-Limit, which the
// client follows) and a short backoff that doubles while the throttling lasts (1 s to a minute)
// allow. So a 429 storm costs one call per pause, and when it ends the parcels go in the order they
// were printed at the usage plan's pace, none left waiting out a backoff of its own.

import { type ConfirmationState, ConsignError, UK_MARKETPLACE_ID } from "@consign/domain";
import { type SpApiClient, SpApiError } from "@consign/sp-api";

export interface DispatchToConfirm {
  orderId: string;
  /** Positive number as a string, unique per package within the order (Amazon's rule). */
  packageReferenceId: string;
  carrierCode: string;
  carrierName?: string;
  trackingNumber: string;
  /** When the parcel left (ISO 8601). Amazon counts the moment the confirmation arrives, not this. */
  shipDate: string;
  items: { orderItemId: string; quantity: number }[];
  marketplaceId?: string;
  shippingMethod?: string;
}

export interface ConfirmationResult {
  state: ConfirmationState;
  attempts: number;
  confirmedAt?: number;
  /** Amazon's reason, when it refused or has not answered yet. */
  error?: string;
  needsAttention?: boolean;
  /** Pending after a failure or Amazon's throttling: when Consign sends it again (the room's clock). */
  retryAt?: number;
}

export interface ConfirmationRecord extends ConfirmationResult {
  orderId: string;
  packageReferenceId: string;
  nextAttemptAt?: number;
}

export interface QueueOptions {
  maxInlineWaitMs: number;
  /** Stop a drain after this long and come back on the next alarm. */
  budgetMs: number;
  /** A parcel's own retry after Amazon failed it (5xx, timeout): doubling from base to max. */
  baseRetryMs: number;
  maxRetryMs: number;
  /** The queue's pause after Amazon throttled it: doubling from base to max while 429s go on. */
  baseThrottleMs: number;
  maxThrottleMs: number;
}

export interface QueueDeps {
  sql: SqlStorage;
  client: SpApiClient;
  clock?: () => number;
  random?: () => number;
  /** Amazon's answer for one parcel (`packageReferenceId`) of the order. */
  onResult?: (
    orderId: string,
    result: ConfirmationResult,
    packageReferenceId: string,
  ) => Promise<void> | void;
  options?: Partial<QueueOptions>;
}

const DEFAULTS: QueueOptions = {
  maxInlineWaitMs: 1_000,
  budgetMs: 25_000,
  baseRetryMs: 5_000,
  maxRetryMs: 15 * 60_000,
  baseThrottleMs: 1_000,
  maxThrottleMs: 60_000,
};
const ALREADY = /already fulfilled|already (been )?(confirmed|shipped)/i;

interface Row {
  order_id: string;
  package_reference_id: string;
  body: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  needs_attention: number;
  confirmed_at: number | null;
  [key: string]: SqlStorageValue;
}

export class ConfirmationQueue {
  private readonly sql: SqlStorage;
  private readonly client: SpApiClient;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly onResult: QueueDeps["onResult"];
  private readonly opts: QueueOptions;
  private draining: Promise<number | null> | undefined;
  private stoppedReason: string | undefined;
  /** Amazon throttled the queue: nothing is sent before this (the queue's clock). */
  private pausedUntil = 0;
  /** Throttled answers in a row (the pause doubles with each). */
  private throttledInRow = 0;

  constructor(deps: QueueDeps) {
    this.sql = deps.sql;
    this.client = deps.client;
    this.clock = deps.clock ?? (() => Date.now());
    this.random = deps.random ?? Math.random;
    this.onResult = deps.onResult;
    this.opts = { ...DEFAULTS, ...deps.options };
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS amazon_confirmations (
        order_id TEXT NOT NULL, package_reference_id TEXT NOT NULL, body TEXT NOT NULL,
        state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
        last_error TEXT, needs_attention INTEGER NOT NULL DEFAULT 0, confirmed_at INTEGER,
        enqueued_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (order_id, package_reference_id));
      CREATE INDEX IF NOT EXISTS amazon_confirmations_due ON amazon_confirmations (state, next_attempt_at);
    `);
  }

  /**
   * Queues a package's confirmation. Idempotent per order and package: a confirmed package stays
   * confirmed; a pending or refused one takes the newer details (a refused one is retried).
   */
  enqueue(d: DispatchToConfirm, now = this.clock()): ConfirmationRecord {
    if (!/^[1-9]\d*$/.test(d.packageReferenceId)) {
      throw new ConsignError("bad_request", "packageReferenceId must be a positive number (Amazon's rule).", [
        { path: "packageReferenceId", message: 'a positive number, e.g. "1"' },
      ]);
    }
    if (d.items.length === 0) {
      throw new ConsignError("bad_request", "A dispatch confirmation needs at least one order item.", [
        { path: "items", message: "at least one item" },
      ]);
    }
    const body = JSON.stringify({
      marketplaceId: d.marketplaceId ?? UK_MARKETPLACE_ID,
      packageDetail: {
        packageReferenceId: d.packageReferenceId,
        carrierCode: d.carrierCode,
        ...(d.carrierName ? { carrierName: d.carrierName } : {}),
        ...(d.shippingMethod ? { shippingMethod: d.shippingMethod } : {}),
        trackingNumber: d.trackingNumber,
        shipDate: d.shipDate,
        orderItems: d.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
      },
    });
    this.sql.exec(
      `INSERT INTO amazon_confirmations (order_id, package_reference_id, body, state, next_attempt_at, enqueued_at, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?)
       ON CONFLICT(order_id, package_reference_id) DO UPDATE SET
         body = CASE WHEN state IN ('pending','failed') THEN excluded.body ELSE body END,
         state = CASE WHEN state = 'failed' THEN 'pending' ELSE state END,
         needs_attention = CASE WHEN state = 'failed' THEN 0 ELSE needs_attention END,
         next_attempt_at = CASE WHEN state = 'failed' THEN excluded.next_attempt_at ELSE next_attempt_at END,
         updated_at = excluded.updated_at`,
      d.orderId,
      d.packageReferenceId,
      body,
      now,
      now,
      now,
    );
    return this.get(d.orderId, d.packageReferenceId) as ConfirmationRecord;
  }

  get(orderId: string, packageReferenceId: string): ConfirmationRecord | undefined {
    const row = this.sql
      .exec<Row>(
        "SELECT * FROM amazon_confirmations WHERE order_id = ? AND package_reference_id = ?",
        orderId,
        packageReferenceId,
      )
      .toArray()[0];
    return row ? toRecord(row) : undefined;
  }

  list(): ConfirmationRecord[] {
    return this.sql
      .exec<Row>("SELECT * FROM amazon_confirmations ORDER BY enqueued_at")
      .toArray()
      .map(toRecord);
  }

  counts(): Record<"pending" | "confirmed" | "failed", number> {
    const out = { pending: 0, confirmed: 0, failed: 0 };
    for (const r of this.sql
      .exec<{ state: string; n: number }>(
        "SELECT state, count(*) AS n FROM amazon_confirmations GROUP BY state",
      )
      .toArray()) {
      const key = r.state === "sending" ? "pending" : (r.state as keyof typeof out);
      out[key] += r.n;
    }
    return out;
  }

  /** When the queue goes on after Amazon throttled it, or undefined when it is not paused. */
  pausedUntilAt(now = this.clock()): number | undefined {
    return this.pausedUntil > now ? this.pausedUntil : undefined;
  }

  /** Why draining stopped for good (credentials refused), for the seller's status line. */
  stopped(): string | undefined {
    return this.stoppedReason;
  }

  /** Sends what is due, within the usage plan. Returns when to run next (null: nothing queued). */
  drain(now = this.clock()): Promise<number | null> {
    this.draining ??= this.run(now).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async run(start: number): Promise<number | null> {
    this.stoppedReason = undefined;
    for (;;) {
      const now = Math.max(start, this.clock());
      if (now - start > this.opts.budgetMs) return now;
      const row = this.sql
        .exec<Row>(
          `SELECT * FROM amazon_confirmations WHERE state IN ('pending','sending') AND next_attempt_at <= ?
           ORDER BY enqueued_at, order_id LIMIT 1`,
          now,
        )
        .toArray()[0];
      if (!row) return this.nextDue();
      // Paused by Amazon's throttling: parcels printed since the pause began are told why they wait.
      if (this.pausedUntil > now) await this.tellWaiting(now);
      const wait = Math.max(this.client.waitTime("confirmShipment"), this.pausedUntil - now);
      if (wait > this.opts.maxInlineWaitMs) return now + wait;
      const outcome = await this.send(row);
      if (outcome === "stop") return null;
      if (outcome === "paused") return this.pausedUntil;
    }
  }

  private async send(row: Row): Promise<"ok" | "stop" | "paused"> {
    const previouslySent = row.state === "sending" || row.attempts > 0;
    const attempts = row.attempts + 1;
    // Written before the call: if the object stops during it, the restart knows it may have arrived.
    this.sql.exec(
      "UPDATE amazon_confirmations SET state = 'sending', attempts = ?, updated_at = ? WHERE order_id = ? AND package_reference_id = ?",
      attempts,
      this.clock(),
      row.order_id,
      row.package_reference_id,
    );
    try {
      await this.client.confirmShipment(row.order_id, JSON.parse(row.body), { maxAttempts: 2 });
      this.throttledInRow = 0;
      await this.settle(row, { state: "confirmed", attempts, confirmedAt: this.clock() });
      return "ok";
    } catch (err) {
      const e = err instanceof ConsignError ? err : undefined;
      const amazonSaid = err instanceof SpApiError ? err.amazonErrors.map((a) => a.message).join("; ") : "";
      if (err instanceof SpApiError && err.httpStatus === 400 && ALREADY.test(amazonSaid)) {
        // Amazon already holds a confirmation for this package: ours (sent before a restart) or
        // one made in Seller Central. Either way the package is confirmed, once.
        await this.settle(row, {
          state: "confirmed",
          attempts,
          confirmedAt: this.clock(),
          ...(previouslySent ? {} : { error: "Amazon already had a dispatch confirmation for this parcel." }),
        });
        return "ok";
      }
      if (e && (e.code === "amazon_credentials_refused" || e.code === "amazon_not_connected")) {
        this.stoppedReason = e.message;
        this.reschedule(row, attempts, e.message, this.clock());
        await this.onResult?.(
          row.order_id,
          { state: "pending", attempts, error: e.message },
          row.package_reference_id,
        );
        return "stop";
      }
      if (e?.code === "rate_limited") {
        // Amazon throttles the seller's calls, not this parcel: the queue waits, the parcel keeps
        // its place at the head (due now, so it goes first when the pause ends).
        const now = this.clock();
        this.throttledInRow++;
        const exp = Math.min(
          this.opts.maxThrottleMs,
          this.opts.baseThrottleMs * 2 ** Math.max(0, this.throttledInRow - 1),
        );
        const pause = Math.max(
          (e.retryAfterSeconds ?? 0) * 1000,
          this.client.waitTime("confirmShipment"),
          Math.round(exp / 2 + this.random() * (exp / 2)),
        );
        this.pausedUntil = now + pause;
        this.sql.exec(
          `UPDATE amazon_confirmations SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ?
           WHERE order_id = ? AND package_reference_id = ?`,
          Math.min(row.next_attempt_at, now),
          e.message,
          now,
          row.order_id,
          row.package_reference_id,
        );
        await this.onResult?.(
          row.order_id,
          { state: "pending", attempts, error: e.message, retryAt: this.pausedUntil },
          row.package_reference_id,
        );
        await this.tellWaiting(now);
        return "paused";
      }
      const transient =
        !e || ["rate_limited", "upstream_unavailable", "upstream_malformed", "internal"].includes(e.code);
      if (transient) {
        const reason = e?.message ?? `Could not reach Amazon (${(err as Error)?.message ?? String(err)}).`;
        const retryAt = this.reschedule(row, attempts, reason, this.clock());
        await this.onResult?.(
          row.order_id,
          { state: "pending", attempts, error: reason, retryAt },
          row.package_reference_id,
        );
        return "ok";
      }
      await this.settle(row, {
        state: "failed",
        attempts,
        error: amazonSaid
          ? `Amazon refused the confirmation: ${amazonSaid}`
          : (e?.message ?? "Amazon refused it."),
        needsAttention: true,
      });
      return "ok";
    }
  }

  /**
   * While the queue is paused by Amazon's throttling, tells each waiting parcel not yet told why it
   * waits (once each, not at every pause); the head of the queue carries the time it goes on.
   */
  private async tellWaiting(now: number): Promise<void> {
    const waiting = this.sql
      .exec<Row>(
        `SELECT * FROM amazon_confirmations WHERE state = 'pending' AND last_error IS NULL
         ORDER BY enqueued_at, order_id`,
      )
      .toArray();
    if (waiting.length === 0) return;
    const why =
      "Amazon is limiting the dispatch confirmation calls; this parcel goes after the ones ahead of it.";
    this.sql.exec(
      "UPDATE amazon_confirmations SET last_error = ?, updated_at = ? WHERE state = 'pending' AND last_error IS NULL",
      why,
      now,
    );
    for (const w of waiting)
      await this.onResult?.(
        w.order_id,
        { state: "pending", attempts: w.attempts, error: why },
        w.package_reference_id,
      );
  }

  /** Puts a parcel Amazon failed back in the queue for later; returns when it is due again. */
  private reschedule(row: Row, attempts: number, reason: string, now: number): number {
    const exp = Math.min(this.opts.maxRetryMs, this.opts.baseRetryMs * 2 ** Math.max(0, attempts - 1));
    const delay = Math.round(exp / 2 + this.random() * (exp / 2));
    this.sql.exec(
      `UPDATE amazon_confirmations SET state = 'pending', next_attempt_at = ?, last_error = ?, updated_at = ?
       WHERE order_id = ? AND package_reference_id = ?`,
      now + delay,
      reason,
      now,
      row.order_id,
      row.package_reference_id,
    );
    return now + delay;
  }

  private async settle(row: Row, result: ConfirmationResult): Promise<void> {
    this.sql.exec(
      `UPDATE amazon_confirmations SET state = ?, attempts = ?, confirmed_at = ?, last_error = ?, needs_attention = ?,
       updated_at = ? WHERE order_id = ? AND package_reference_id = ?`,
      result.state,
      result.attempts,
      result.confirmedAt ?? null,
      result.error ?? null,
      result.needsAttention ? 1 : 0,
      this.clock(),
      row.order_id,
      row.package_reference_id,
    );
    await this.onResult?.(row.order_id, result, row.package_reference_id);
  }

  private nextDue(): number | null {
    const row = this.sql
      .exec<{ t: number | null }>(
        "SELECT min(next_attempt_at) AS t FROM amazon_confirmations WHERE state IN ('pending','sending')",
      )
      .one();
    return row.t ?? null;
  }
}

function toRecord(r: Row): ConfirmationRecord {
  const state: ConfirmationState = r.state === "sending" ? "pending" : (r.state as ConfirmationState);
  return {
    orderId: r.order_id,
    packageReferenceId: r.package_reference_id,
    state,
    attempts: r.attempts,
    ...(r.confirmed_at !== null ? { confirmedAt: r.confirmed_at } : {}),
    ...(r.last_error ? { error: r.last_error } : {}),
    ...(r.needs_attention ? { needsAttention: true } : {}),
    ...(state === "pending" ? { nextAttemptAt: r.next_attempt_at } : {}),
  };
}
