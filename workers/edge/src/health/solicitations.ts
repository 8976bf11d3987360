// Asks Amazon to send its "review and feedback" request for dispatched orders, once per order.
// A ledger row is written BEFORE any call (a Durable Object may stop at any await, and another
// request may run while one awaits Amazon), so an order is never asked twice: not after a
// restart, not from two devices at once (concurrent callers share one in-flight promise, and a
// second engine over the same SQLite sees the row). Amazon offers the request 5–30 days after
// delivery; orders are only asked about inside that span after dispatch.

import type { HealthClient } from "@consign/sp-api";

const DAY = 86_400_000;

export type SolicitationState = "checking" | "sending" | "sent" | "not_offered" | "refused";

export interface SolicitationCandidate {
  orderId: string;
  /** When the parcel left (or was delivered, when known). */
  dispatchedAt: number;
}

export interface SolicitationsOptions {
  /** Days after dispatch before asking (Amazon's window opens 5 days after delivery). */
  fromDays: number;
  /** Days after dispatch after which the order is no longer asked about. */
  toDays: number;
  /** When Amazon does not offer the action yet, look again after this long. */
  recheckMs: number;
  maxPerRun: number;
}

const DEFAULTS: SolicitationsOptions = { fromDays: 5, toDays: 33, recheckMs: DAY, maxPerRun: 100 };
const ALREADY = /already (been )?sent/i;

interface Row {
  order_id: string;
  state: string;
  next_check_at: number | null;
  error: string | null;
  [key: string]: SqlStorageValue;
}

export class Solicitations {
  private readonly opts: SolicitationsOptions;
  private readonly inFlight = new Map<string, Promise<SolicitationState>>();

  constructor(
    private readonly deps: {
      sql: SqlStorage;
      client: HealthClient;
      /** Dispatched orders the seller has (the lead reads them from the live doc or archive). */
      candidates: (now: number) => SolicitationCandidate[] | Promise<SolicitationCandidate[]>;
      options?: Partial<SolicitationsOptions>;
    },
  ) {
    this.opts = { ...DEFAULTS, ...deps.options };
    deps.sql.exec(`
      CREATE TABLE IF NOT EXISTS health_solicitations (
        order_id TEXT PRIMARY KEY, state TEXT NOT NULL, next_check_at INTEGER, error TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS health_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  /** Review requests are the seller's choice: off until switched on. */
  setEnabled(on: boolean): void {
    this.deps.sql.exec(
      "INSERT INTO health_settings (key, value) VALUES ('solicitations', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      on ? "on" : "off",
    );
  }

  enabled(): boolean {
    return (
      this.deps.sql
        .exec<{ value: string }>("SELECT value FROM health_settings WHERE key = 'solicitations'")
        .toArray()[0]?.value === "on"
    );
  }

  stateOf(orderId: string): { state: SolicitationState; error?: string } | undefined {
    const r = this.deps.sql
      .exec<Row>("SELECT * FROM health_solicitations WHERE order_id = ?", orderId)
      .toArray()[0];
    return r ? { state: r.state as SolicitationState, ...(r.error ? { error: r.error } : {}) } : undefined;
  }

  /** Sends the request for one order if Amazon offers it; concurrent callers share one promise. */
  requestFor(orderId: string, now: number): Promise<SolicitationState> {
    let p = this.inFlight.get(orderId);
    if (!p) {
      p = this.send(orderId, now).finally(() => this.inFlight.delete(orderId));
      this.inFlight.set(orderId, p);
    }
    return p;
  }

  private set(
    orderId: string,
    state: SolicitationState,
    now: number,
    nextCheckAt: number | null = null,
    error: string | null = null,
  ) {
    this.deps.sql.exec(
      "UPDATE health_solicitations SET state = ?, next_check_at = ?, error = ?, updated_at = ? WHERE order_id = ?",
      state,
      nextCheckAt,
      error,
      now,
      orderId,
    );
  }

  private async send(orderId: string, now: number): Promise<SolicitationState> {
    const row = this.deps.sql
      .exec<Row>("SELECT * FROM health_solicitations WHERE order_id = ?", orderId)
      .toArray()[0];
    // Sent, refused, or a call that may have reached Amazon before a restart: never call again.
    if (row && (row.state === "sent" || row.state === "refused" || row.state === "sending"))
      return row.state as SolicitationState;
    if (row && row.state === "not_offered" && (row.next_check_at ?? 0) > now) return "not_offered";
    if (!row) {
      this.deps.sql.exec(
        "INSERT INTO health_solicitations (order_id, state, created_at, updated_at) VALUES (?, 'checking', ?, ?)",
        orderId,
        now,
        now,
      );
    } else this.set(orderId, "checking", now);

    let offered: boolean;
    try {
      offered = await this.deps.client.canRequestReview(orderId);
    } catch (err) {
      this.set(orderId, "not_offered", now, now + this.opts.recheckMs / 24, (err as Error).message);
      return "not_offered";
    }
    if (!offered) {
      this.set(orderId, "not_offered", now, now + this.opts.recheckMs);
      return "not_offered";
    }
    this.set(orderId, "sending", now);
    try {
      await this.deps.client.requestReview(orderId);
      this.set(orderId, "sent", now);
      return "sent";
    } catch (err) {
      const msg = (err as Error).message;
      const status = (err as { httpStatus?: number }).httpStatus;
      if (ALREADY.test(msg)) {
        this.set(orderId, "sent", now);
        return "sent";
      }
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        this.set(orderId, "refused", now, null, msg);
        return "refused";
      }
      // No answer: it may or may not have reached Amazon. Stay "sending": never sent twice.
      this.set(orderId, "sending", now, null, msg);
      return "sending";
    }
  }

  /** Asks about every candidate inside the window; returns when to run next. */
  async runOnce(now: number): Promise<number | null> {
    if (!this.enabled()) return null;
    const from = now - this.opts.toDays * DAY;
    const to = now - this.opts.fromDays * DAY;
    const candidates = (await this.deps.candidates(now))
      .filter((c) => c.dispatchedAt >= from && c.dispatchedAt <= to)
      .slice(0, this.opts.maxPerRun);
    for (const c of candidates) await this.requestFor(c.orderId, now);
    return now + 6 * 3_600_000;
  }
}
