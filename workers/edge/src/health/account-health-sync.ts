// Requests Amazon's seller performance report and feedback report on a schedule the usage plan
// allows (createReport: 0.0167/s, so every 6 hours is far inside it), polls them, downloads and
// parses them, keeps the latest official figures, and hands negative feedback over by order id.
// (The performance report is aggregate only; the order ids come from the feedback report. A-to-z
// claims and chargebacks by order come from Finances: see RefundSync.)

import {
  type HealthClient,
  type OfficialHealth,
  parseAccountHealthReport,
  parseFeedbackReport,
} from "@consign/sp-api";
import type { DefectUpdate } from "./refund-sync.ts";

const KINDS = {
  performance: "GET_V2_SELLER_PERFORMANCE_REPORT",
  feedback: "GET_SELLER_FEEDBACK_DATA",
} as const;
type Kind = keyof typeof KINDS;

export interface AccountHealthOptions {
  everyMs: number;
  pollMs: number;
  /** Give up on a report that is not done after this long, and ask again next time. */
  giveUpMs: number;
}

const DEFAULTS: AccountHealthOptions = { everyMs: 6 * 3_600_000, pollMs: 30_000, giveUpMs: 2 * 3_600_000 };

interface ReportRow {
  kind: string;
  report_id: string | null;
  requested_at: number;
  state: string;
  error: string | null;
  [key: string]: SqlStorageValue;
}

export class AccountHealthSync {
  private readonly opts: AccountHealthOptions;

  constructor(
    private readonly deps: {
      sql: SqlStorage;
      client: HealthClient;
      onDefects: (defects: DefectUpdate[]) => void | Promise<void>;
      marketplaceId?: string;
      options?: Partial<AccountHealthOptions>;
    },
  ) {
    this.opts = { ...DEFAULTS, ...deps.options };
    deps.sql.exec(`
      CREATE TABLE IF NOT EXISTS health_reports (kind TEXT PRIMARY KEY, report_id TEXT, requested_at INTEGER NOT NULL,
        state TEXT NOT NULL, error TEXT);
      CREATE TABLE IF NOT EXISTS health_official (marketplace_id TEXT PRIMARY KEY, body TEXT NOT NULL, fetched_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS health_feedback (order_id TEXT PRIMARY KEY, rating INTEGER NOT NULL, at INTEGER NOT NULL);`);
  }

  /** The latest official figures and when they were fetched (for GET /api/v1/health/official). */
  official(): { health: OfficialHealth; fetchedAt: number } | undefined {
    const r = this.deps.sql
      .exec<{ body: string; fetched_at: number }>(
        "SELECT body, fetched_at FROM health_official WHERE marketplace_id = ?",
        this.deps.marketplaceId ?? "A1F83G8C2ARO7P",
      )
      .toArray()[0];
    return r ? { health: JSON.parse(r.body) as OfficialHealth, fetchedAt: r.fetched_at } : undefined;
  }

  reports(): { kind: string; state: string; requestedAt: number; error?: string }[] {
    return this.deps.sql
      .exec<ReportRow>("SELECT * FROM health_reports ORDER BY kind")
      .toArray()
      .map((r) => ({
        kind: r.kind,
        state: r.state,
        requestedAt: r.requested_at,
        ...(r.error ? { error: r.error } : {}),
      }));
  }

  private row(kind: Kind): ReportRow | undefined {
    return this.deps.sql.exec<ReportRow>("SELECT * FROM health_reports WHERE kind = ?", kind).toArray()[0];
  }

  private save(
    kind: Kind,
    reportId: string | null,
    requestedAt: number,
    state: string,
    error: string | null = null,
  ) {
    this.deps.sql.exec(
      `INSERT INTO health_reports (kind, report_id, requested_at, state, error) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(kind) DO UPDATE SET report_id = excluded.report_id, requested_at = excluded.requested_at,
       state = excluded.state, error = excluded.error`,
      kind,
      reportId,
      requestedAt,
      state,
      error,
    );
  }

  /** One step for each report; returns when to run next. */
  async runOnce(now: number): Promise<number> {
    const next: number[] = [];
    for (const kind of Object.keys(KINDS) as Kind[]) next.push(await this.step(kind, now));
    return Math.min(...next);
  }

  private async step(kind: Kind, now: number): Promise<number> {
    const row = this.row(kind);
    if (!row || (row.state !== "pending" && now >= row.requested_at + this.opts.everyMs)) {
      // Written before the call: a restart polls this report instead of asking for another.
      try {
        const id = await this.deps.client.createReport(KINDS[kind]);
        this.save(kind, id, now, "pending");
        return now + this.opts.pollMs;
      } catch (err) {
        this.save(
          kind,
          null,
          now - this.opts.everyMs + this.opts.pollMs * 10,
          "failed",
          (err as Error).message,
        );
        return now + this.opts.pollMs * 10;
      }
    }
    if (row.state !== "pending" || !row.report_id) return row.requested_at + this.opts.everyMs;
    try {
      const report = await this.deps.client.getReport(row.report_id);
      if (report.processingStatus === "DONE" && report.reportDocumentId) {
        const doc = await this.deps.client.getReportDocument(report.reportDocumentId);
        const text = await this.deps.client.downloadReportDocument(doc);
        if (kind === "performance") this.storeOfficial(text, now);
        else await this.storeFeedback(text);
        this.save(kind, row.report_id, row.requested_at, "done");
        return row.requested_at + this.opts.everyMs;
      }
      if (
        report.processingStatus === "FATAL" ||
        report.processingStatus === "CANCELLED" ||
        now - row.requested_at > this.opts.giveUpMs
      ) {
        this.save(
          kind,
          row.report_id,
          row.requested_at,
          "failed",
          `Amazon's report ended ${report.processingStatus}.`,
        );
        return row.requested_at + this.opts.everyMs;
      }
      return now + this.opts.pollMs;
    } catch (err) {
      this.save(kind, row.report_id, row.requested_at, "pending", (err as Error).message);
      return now + this.opts.pollMs * 4;
    }
  }

  private storeOfficial(text: string, now: number): void {
    const health = parseAccountHealthReport(JSON.parse(text), this.deps.marketplaceId);
    this.deps.sql.exec(
      `INSERT INTO health_official (marketplace_id, body, fetched_at) VALUES (?, ?, ?)
       ON CONFLICT(marketplace_id) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
      health.marketplaceId,
      JSON.stringify(health),
      now,
    );
  }

  private async storeFeedback(text: string): Promise<void> {
    const negative = parseFeedbackReport(text).filter((f) => f.rating <= 2);
    const fresh = negative.filter(
      (f) =>
        this.deps.sql.exec("SELECT 1 FROM health_feedback WHERE order_id = ?", f.orderId).toArray().length ===
        0,
    );
    if (fresh.length === 0) return;
    await this.deps.onDefects(
      fresh.map((f) => ({ orderId: f.orderId, defects: { negativeFeedbackAt: f.at } })),
    );
    for (const f of fresh)
      this.deps.sql.exec(
        "INSERT OR IGNORE INTO health_feedback (order_id, rating, at) VALUES (?, ?, ?)",
        f.orderId,
        f.rating,
        f.at,
      );
  }
}
