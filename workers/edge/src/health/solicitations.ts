// Asks Amazon to send its "review and feedback" request for dispatched orders, once per order.
// A ledger row is written BEFORE any call (a Durable Object may stop at any await, and another
// request may run while one awaits Amazon), so an order is never asked twice: not after a
// restart, not from two devices at once (concurrent callers share one in-flight promise, and a
// second engine over the same SQLite sees the row and leaves it to the first). Amazon offers the
// request 5–30 days after delivery; orders are only asked about inside that span after dispatch.
//
// A send that got no answer (a crash, a lost connection) leaves the row "sending". After
// `staleMs` a later run reconciles it with Amazon's own word: Amazon offers the action only until
// one request has been sent, so "no longer offered" inside the window means Amazon has it (marked
// sent), and "still offered" means the send never landed (sent now; Amazon refuses a second one,
// so this cannot make a duplicate). Once the window has closed nobody can tell: the row is closed
// as not offered, with the reason.

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
  /** A row left "checking" or "sending" this long ago is taken as abandoned (a crash) and reconciled. */
  staleMs: number;
}

const DEFAULTS: SolicitationsOptions = {
  fromDays: 5,
  toDays: 33,
  recheckMs: DAY,
  // Each order costs up to two calls at Amazon's 1 a second: a run stays within ~20 s, so it never
  // holds up the room's other jobs (label runs wait for the alarm), and the next run follows soon.
  maxPerRun: 10,
  staleMs: 5 * 60_000,
};
const WINDOW_CLOSED =
  "Amazon's review window closed before Amazon confirmed an earlier request arrived; it may have been sent.";
const ALREADY = /already (been )?sent/i;

interface Row {
  order_id: string;
  state: string;
  next_check_at: number | null;
  error: string | null;
  updated_at: number;
  window_closes_at: number | null;
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
    const columns = deps.sql
      .exec<{ name: string }>("PRAGMA table_info(health_solicitations)")
      .toArray()
      .map((c) => c.name);
    if (!columns.includes("window_closes_at")) {
      deps.sql.exec("ALTER TABLE health_solicitations ADD COLUMN window_closes_at INTEGER");
    }
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

  /**
   * Sends the request for one order if Amazon offers it; concurrent callers share one promise.
   * `dispatchedAt` (when known) tells when our window for the order closes.
   */
  requestFor(orderId: string, now: number, dispatchedAt?: number): Promise<SolicitationState> {
    let p = this.inFlight.get(orderId);
    if (!p) {
      p = this.send(orderId, now, dispatchedAt).finally(() => this.inFlight.delete(orderId));
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

  /** Whether `requestFor` would ask Amazon anything for an order with this ledger row. */
  private needsWork(row: Row | undefined, now: number): boolean {
    if (!row) return true;
    switch (row.state) {
      case "sent":
      case "refused":
        return false;
      case "not_offered":
        return row.next_check_at !== null && row.next_check_at <= now;
      default:
        return now - row.updated_at >= this.opts.staleMs;
    }
  }

  private row(orderId: string): Row | undefined {
    return this.deps.sql
      .exec<Row>("SELECT * FROM health_solicitations WHERE order_id = ?", orderId)
      .toArray()[0];
  }

  private async send(orderId: string, now: number, dispatchedAt?: number): Promise<SolicitationState> {
    const row = this.row(orderId);
    const closesAt =
      dispatchedAt !== undefined ? dispatchedAt + this.opts.toDays * DAY : (row?.window_closes_at ?? null);
    const fresh = row !== undefined && now - row.updated_at < this.opts.staleMs;
    if (row) {
      switch (row.state) {
        case "sent":
        case "refused":
          return row.state;
        case "not_offered":
          if (row.next_check_at === null || row.next_check_at > now) return "not_offered";
          break;
        case "checking":
          // Another caller (another device, another engine) is asking right now.
          if (fresh) return "checking";
          break; // it stopped while asking; nothing was sent
        case "sending":
          // A send may be on its way to Amazon: never a second one while it may still answer.
          if (fresh) return "sending";
          return this.reconcile(orderId, now, closesAt);
      }
    }
    // Claimed synchronously, before any await: whoever comes next sees "checking".
    if (!row) {
      this.deps.sql.exec(
        "INSERT INTO health_solicitations (order_id, state, window_closes_at, created_at, updated_at) VALUES (?, 'checking', ?, ?, ?)",
        orderId,
        closesAt,
        now,
        now,
      );
    } else {
      this.set(orderId, "checking", now);
      if (closesAt !== null)
        this.deps.sql.exec(
          "UPDATE health_solicitations SET window_closes_at = ? WHERE order_id = ?",
          closesAt,
          orderId,
        );
    }

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
    return this.post(orderId, now);
  }

  /** A send with no answer, long enough ago: ask Amazon whether it still offers the action. */
  private async reconcile(orderId: string, now: number, closesAt: number | null): Promise<SolicitationState> {
    if (closesAt !== null && now > closesAt) {
      this.set(orderId, "not_offered", now, null, WINDOW_CLOSED);
      return "not_offered";
    }
    // Renew the claim (still "sending"): a second engine now sees a fresh row and waits.
    this.set(orderId, "sending", now);
    let offered: boolean;
    try {
      offered = await this.deps.client.canRequestReview(orderId);
    } catch (err) {
      this.set(orderId, "sending", now, null, (err as Error).message);
      return "sending";
    }
    if (!offered) {
      // Amazon offers the action until one request is sent: it has ours.
      this.set(orderId, "sent", now);
      return "sent";
    }
    // Still offered: the earlier send never landed.
    return this.post(orderId, now);
  }

  private async post(orderId: string, now: number): Promise<SolicitationState> {
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
      // No answer: it may or may not have reached Amazon. Stay "sending" until reconciled.
      this.set(orderId, "sending", now, null, msg);
      return "sending";
    }
  }

  /**
   * Asks about every candidate inside the window and reconciles sends left without an answer;
   * returns when to run next.
   */
  async runOnce(now: number): Promise<number | null> {
    if (!this.enabled()) return null;
    const from = now - this.opts.toDays * DAY;
    const to = now - this.opts.fromDays * DAY;
    const all = await this.deps.candidates(now);
    const dispatched = new Map(all.map((c) => [c.orderId, c.dispatchedAt]));
    // Only orders with something left to do count against the run's budget (most are settled).
    const ledger = new Map(
      this.deps.sql
        .exec<Row>("SELECT * FROM health_solicitations")
        .toArray()
        .map((r) => [r.order_id, r]),
    );
    const open = all.filter(
      (c) => c.dispatchedAt >= from && c.dispatchedAt <= to && this.needsWork(ledger.get(c.orderId), now),
    );
    const due = open.slice(0, this.opts.maxPerRun);
    for (const c of due) await this.requestFor(c.orderId, now, c.dispatchedAt);
    // Sends still without an answer (their orders may have left the window or the live document).
    const unanswered = this.deps.sql
      .exec<{ order_id: string }>(
        "SELECT order_id FROM health_solicitations WHERE state = 'sending' AND updated_at <= ? LIMIT ?",
        now - this.opts.staleMs,
        this.opts.maxPerRun,
      )
      .toArray();
    for (const r of unanswered) await this.requestFor(r.order_id, now, dispatched.get(r.order_id));
    const waiting = this.deps.sql
      .exec<{ at: number | null }>(
        "SELECT MIN(updated_at) AS at FROM health_solicitations WHERE state = 'sending'",
      )
      .toArray()[0]?.at;
    const regular = open.length > due.length ? now + 5_000 : now + 6 * 3_600_000;
    return waiting == null ? regular : Math.min(regular, Math.max(now + 60_000, waiting + this.opts.staleMs));
  }
}
