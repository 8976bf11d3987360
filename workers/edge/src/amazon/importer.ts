// Imports a seller's orders from Amazon, driven by Durable Object alarms: `runOnce(now)` does what
// the usage plan allows now and says when to run next. First the orders awaiting dispatch (so the
// team can start packing), then 90 days of history in the background, then changes since a stored
// watermark. Orders Consign already holds at the same lastUpdatedTime are not sent again.

import { ConsignError, type Order } from "@consign/domain";
import {
  type IncludedData,
  type SearchOrdersPage,
  type SearchOrdersQuery,
  type SpApiClient,
  toOrder,
} from "@consign/sp-api";

export type ImportPhase = "unshipped" | "history" | "incremental" | "stopped";

export interface ImportStatus {
  connected: boolean;
  phase: ImportPhase;
  unshippedComplete: boolean;
  historyComplete: boolean;
  ordersKnown: number;
  lastSyncAt?: number;
  /** In words a seller can act on. */
  lastError?: string;
  lastErrorCode?: string;
}

export interface ImporterOptions {
  /** Days of history to import after the orders awaiting dispatch. */
  historyDays: number;
  /** How often to ask Amazon what changed. */
  pollIntervalMs: number;
  /** Wait inline for the limiter up to this long; beyond it, return and let the alarm come back. */
  maxInlineWaitMs: number;
  /** Pages per run, so one alarm stays short. */
  maxPagesPerRun: number;
  maxResultsPerPage: number;
  /** Look-back for orders still awaiting dispatch. */
  unshippedDays: number;
}

export interface ImporterDeps {
  sql: SqlStorage;
  client: SpApiClient;
  clock?: () => number;
  /** Upsert into the seller's document. Must be idempotent per orderId (it may see an order again). */
  onOrders: (orders: Order[]) => Promise<void>;
  options?: Partial<ImporterOptions>;
}

export interface RunResult {
  /** When to run again (epoch ms), or null when there is nothing to do until a person acts. */
  nextRunAt: number | null;
  delivered: number;
}

const DAY = 86_400_000;
/** The datasets every order is read with (the notifications path reads the same). */
export const INCLUDED: IncludedData[] = [
  "BUYER",
  "RECIPIENT",
  "FULFILLMENT",
  "PROCEEDS",
  "CANCELLATION",
  "PACKAGES",
];
const DEFAULTS: ImporterOptions = {
  historyDays: 90,
  pollIntervalMs: 3 * 60_000,
  maxInlineWaitMs: 2_000,
  maxPagesPerRun: 40,
  maxResultsPerPage: 100,
  unshippedDays: 30,
};

const iso = (t: number) => new Date(t).toISOString();

export class Importer {
  private readonly sql: SqlStorage;
  private readonly client: SpApiClient;
  private readonly onOrders: (orders: Order[]) => Promise<void>;
  private readonly opts: ImporterOptions;
  private running: Promise<RunResult> | undefined;

  constructor(deps: ImporterDeps) {
    this.sql = deps.sql;
    this.client = deps.client;
    this.onOrders = deps.onOrders;
    this.opts = { ...DEFAULTS, ...deps.options };
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS amazon_import (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS amazon_known_orders (
        order_id TEXT PRIMARY KEY, last_updated INTEGER NOT NULL, status TEXT NOT NULL);
    `);
  }

  // stored state ---------------------------------------------------------------------------------
  private get<T>(key: string): T | undefined {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM amazon_import WHERE key = ?", key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  private set(key: string, value: unknown): void {
    if (value === undefined) this.sql.exec("DELETE FROM amazon_import WHERE key = ?", key);
    else
      this.sql.exec(
        "INSERT INTO amazon_import (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        key,
        JSON.stringify(value),
      );
  }

  /** Begin (or begin again, after a reconnect) with the orders awaiting dispatch. */
  start(now: number): void {
    this.sql.exec("DELETE FROM amazon_import");
    this.set("phase", "unshipped");
    this.set("startedAt", now);
  }

  status(): ImportStatus {
    const phase = this.get<ImportPhase>("phase");
    const lastSyncAt = this.get<number>("lastSyncAt");
    const lastError = this.get<string>("lastError");
    const lastErrorCode = this.get<string>("lastErrorCode");
    return {
      connected: phase !== undefined && phase !== "stopped",
      phase: phase ?? "stopped",
      unshippedComplete: this.get<boolean>("unshippedDone") ?? false,
      historyComplete: this.get<boolean>("historyDone") ?? false,
      ordersKnown: this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM amazon_known_orders").one().n,
      ...(lastSyncAt !== undefined ? { lastSyncAt } : {}),
      ...(lastError ? { lastError } : {}),
      ...(lastErrorCode ? { lastErrorCode } : {}),
    };
  }

  // the run ----------------------------------------------------------------------------------------
  runOnce(now: number): Promise<RunResult> {
    this.running ??= this.run(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(now: number): Promise<RunResult> {
    const phase = this.get<ImportPhase>("phase");
    if (!phase || phase === "stopped") return { nextRunAt: null, delivered: 0 };
    let delivered = 0;
    let pages = 0;
    const run = { polled: false };
    try {
      for (;;) {
        const step = this.nextStep(now, run);
        if (step === null) break;
        const wait = this.client.waitTime("searchOrders");
        if (wait > this.opts.maxInlineWaitMs) return this.finish(now, now + wait, delivered);
        if (pages >= this.opts.maxPagesPerRun) return this.finish(now, now, delivered);
        const page = await this.client.searchOrders(step.query);
        delivered += await this.deliver(page);
        pages++;
        step.done(page);
        this.set("lastSyncAt", now);
      }
      return this.finish(now, this.get<number>("nextPollAt") ?? now + this.opts.pollIntervalMs, delivered);
    } catch (err) {
      return { nextRunAt: this.fail(err, now), delivered };
    }
  }

  private finish(now: number, nextRunAt: number, delivered: number): RunResult {
    this.set("failures", undefined);
    this.set("lastError", undefined);
    this.set("lastErrorCode", undefined);
    return { nextRunAt: Math.max(now, nextRunAt), delivered };
  }

  /** The next page to fetch, or null when everything due is done. */
  private nextStep(
    now: number,
    run: { polled: boolean },
  ): { query: SearchOrdersQuery; done: (page: SearchOrdersPage) => void } | null {
    const base = { includedData: INCLUDED, maxResultsPerPage: this.opts.maxResultsPerPage };
    const startedAt = this.get<number>("startedAt") ?? now;
    if (!this.get<boolean>("unshippedDone")) {
      const token = this.get<string>("unshippedToken");
      return {
        query: {
          ...base,
          createdAfter: iso(startedAt - this.opts.unshippedDays * DAY),
          fulfillmentStatuses: ["UNSHIPPED", "PARTIALLY_SHIPPED"],
          ...(token ? { paginationToken: token } : {}),
        },
        done: (page) => {
          // Everything created up to Amazon's bound is covered; changes after it come incrementally.
          if (!this.get<string>("watermark")) {
            const bound = page.createdBefore ?? iso(now - 2 * 60_000);
            this.set("watermark", bound);
            this.set("historyBefore", bound);
          }
          this.set("unshippedToken", page.nextToken);
          if (!page.nextToken) {
            this.set("unshippedDone", true);
            this.set("phase", "history");
            this.set("nextPollAt", now + this.opts.pollIntervalMs);
          }
        },
      };
    }
    const pollDue = !run.polled && now >= (this.get<number>("nextPollAt") ?? 0);
    const pollToken = this.get<string>("pollToken");
    if (pollDue || pollToken) {
      const watermark = this.get<string>("watermark") ?? iso(startedAt - 2 * 60_000);
      return {
        query: { ...base, lastUpdatedAfter: watermark, ...(pollToken ? { paginationToken: pollToken } : {}) },
        done: (page) => {
          if (!pollToken && page.lastUpdatedBefore) this.set("pollBefore", page.lastUpdatedBefore);
          this.set("pollToken", page.nextToken);
          if (!page.nextToken) {
            const before = this.get<string>("pollBefore") ?? page.lastUpdatedBefore;
            if (before) this.set("watermark", before);
            this.set("pollBefore", undefined);
            this.set("nextPollAt", now + this.opts.pollIntervalMs);
            run.polled = true;
          }
        },
      };
    }
    if (!this.get<boolean>("historyDone")) {
      const token = this.get<string>("historyToken");
      const before = this.get<string>("historyBefore") ?? iso(startedAt - 2 * 60_000);
      return {
        query: {
          ...base,
          createdAfter: iso(startedAt - this.opts.historyDays * DAY),
          createdBefore: before,
          ...(token ? { paginationToken: token } : {}),
        },
        done: (page) => {
          this.set("historyToken", page.nextToken);
          if (!page.nextToken) {
            this.set("historyDone", true);
            this.set("phase", "incremental");
          }
        },
      };
    }
    return null;
  }

  /** Normalises a page and hands on the orders that are new or changed. Returns how many. */
  private async deliver(page: SearchOrdersPage): Promise<number> {
    const fresh: Order[] = [];
    for (const api of page.orders) {
      const order = toOrder(api);
      const known = this.sql
        .exec<{ last_updated: number; status: string }>(
          "SELECT last_updated, status FROM amazon_known_orders WHERE order_id = ?",
          order.orderId,
        )
        .toArray()[0];
      if (known && known.last_updated >= order.lastUpdated && known.status === order.amazonStatus) continue;
      fresh.push(order);
    }
    if (fresh.length === 0) return 0;
    await this.onOrders(fresh);
    for (const o of fresh) {
      this.sql.exec(
        `INSERT INTO amazon_known_orders (order_id, last_updated, status) VALUES (?, ?, ?)
         ON CONFLICT(order_id) DO UPDATE SET last_updated = excluded.last_updated, status = excluded.status`,
        o.orderId,
        o.lastUpdated,
        o.amazonStatus,
      );
    }
    return fresh.length;
  }

  /** Records the failure in words a seller can act on and returns when to try again. */
  private fail(err: unknown, now: number): number | null {
    const code = err instanceof ConsignError ? err.code : "internal";
    const failures = (this.get<number>("failures") ?? 0) + 1;
    this.set("failures", failures);
    this.set("lastErrorCode", code);
    if (code === "amazon_credentials_refused" || code === "amazon_not_connected") {
      this.set("phase", "stopped");
      this.set("lastError", (err as Error).message);
      return null;
    }
    if (code === "upstream_rejected" && /paginationToken/i.test((err as Error).message)) {
      // An expired page token: start that pass again (orders already held are not sent twice).
      for (const k of ["unshippedToken", "historyToken", "pollToken", "pollBefore"]) this.set(k, undefined);
    }
    const delay = Math.min(30 * 60_000, 30_000 * 2 ** (failures - 1));
    const when =
      delay >= 60_000 ? `${Math.round(delay / 60_000)} minutes` : `${Math.round(delay / 1000)} seconds`;
    const reason =
      err instanceof ConsignError
        ? err.message
        : "Consign could not save the orders Amazon sent (an internal error was logged).";
    this.set("lastError", `${reason} Next try in ${when}.`);
    if (!(err instanceof ConsignError))
      console.error("amazon import failed", (err as Error)?.stack ?? String(err));
    return now + delay;
  }
}
