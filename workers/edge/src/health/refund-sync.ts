// Reads Finances (listTransactions) for refunds, A-to-z Guarantee claims and chargebacks, and hands
// them over by order id. Each transaction is passed on once (its id is kept); the last 3 days are
// read again on every run because Amazon posts late ("might not include the last 48 hours").

import type { OrderDefects } from "@consign/domain";
import type { HealthClient, Transaction } from "@consign/sp-api";

const DAY = 86_400_000;
export type DefectUpdate = { orderId: string; defects: Partial<OrderDefects> };

export class RefundSync {
  constructor(
    private readonly deps: {
      sql: SqlStorage;
      client: HealthClient;
      onRefunds: (refunds: { orderId: string; refundedAt: number }[]) => void | Promise<void>;
      /** Claims (with `denied` when Amazon reversed one) and chargebacks, per order. */
      onDefects?: (defects: DefectUpdate[]) => void | Promise<void>;
      /** How far back the first run reads. Default 60 days (the ODR window). */
      firstRunDays?: number;
      everyMs?: number;
    },
  ) {
    deps.sql.exec(`
      CREATE TABLE IF NOT EXISTS health_transactions (transaction_id TEXT PRIMARY KEY, order_id TEXT, kind TEXT, posted_at INTEGER);
      CREATE TABLE IF NOT EXISTS health_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  private get cursor(): number | undefined {
    const v = this.deps.sql
      .exec<{ value: string }>("SELECT value FROM health_settings WHERE key = 'finances_cursor'")
      .toArray()[0];
    return v ? Number(v.value) : undefined;
  }

  async runOnce(now: number): Promise<number> {
    const start = Math.min(this.cursor ?? now - (this.deps.firstRunDays ?? 60) * DAY, now - 3 * DAY);
    const end = now - 3 * 60_000;
    const fresh: { t: Transaction; orderId: string; at: number }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.deps.client.listTransactions({
        postedAfter: new Date(start).toISOString(),
        postedBefore: new Date(end).toISOString(),
        ...(nextToken ? { nextToken } : {}),
      });
      for (const t of page.transactions) {
        const orderId = t.relatedIdentifiers?.find(
          (r) => r.relatedIdentifierName === "ORDER_ID",
        )?.relatedIdentifierValue;
        const at = Date.parse(t.postedDate ?? "");
        if (!orderId || !Number.isFinite(at)) continue;
        const id = t.transactionId ?? `${t.transactionType}:${orderId}:${at}`;
        const known =
          this.deps.sql.exec("SELECT 1 FROM health_transactions WHERE transaction_id = ?", id).toArray()
            .length > 0;
        if (known) continue;
        fresh.push({ t: { ...t, transactionId: id }, orderId, at });
      }
      nextToken = page.nextToken;
    } while (nextToken);

    const { refunds, defects } = classifyTransactions(fresh);
    if (refunds.length > 0) await this.deps.onRefunds(refunds);
    if (defects.length > 0 && this.deps.onDefects) await this.deps.onDefects(defects);
    // Mark as passed on only after the callbacks: a crash before this re-delivers (idempotent writes).
    for (const { t, orderId, at } of fresh)
      this.deps.sql.exec(
        "INSERT OR IGNORE INTO health_transactions (transaction_id, order_id, kind, posted_at) VALUES (?, ?, ?, ?)",
        t.transactionId ?? "",
        orderId,
        t.transactionType ?? "",
        at,
      );
    this.deps.sql.exec(
      "INSERT INTO health_settings (key, value) VALUES ('finances_cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      String(end),
    );
    return now + (this.deps.everyMs ?? 3_600_000);
  }
}

/**
 * Refunds, A-to-z Guarantee claims (denied when Amazon reversed one) and chargebacks, by order, in
 * the order Amazon posted them. Several transactions of one order merge into one update.
 */
export function classifyTransactions(fresh: readonly { t: Transaction; orderId: string; at: number }[]): {
  refunds: { orderId: string; refundedAt: number }[];
  defects: DefectUpdate[];
} {
  const refunds: { orderId: string; refundedAt: number }[] = [];
  const defects = new Map<string, Partial<OrderDefects>>();
  for (const { t, orderId, at } of [...fresh].sort((a, b) => a.at - b.at)) {
    const type = (t.transactionType ?? "").toLowerCase();
    const text = `${type} ${(t.description ?? "").toLowerCase()}`;
    if (type === "refund") refunds.push({ orderId, refundedAt: at });
    else if (/guarantee ?claim|a-to-z/.test(text)) {
      const d = defects.get(orderId) ?? {};
      const reversal = /reversal|reimburse/.test(text) || (t.totalAmount?.currencyAmount ?? 0) > 0;
      d.azClaim = reversal ? { at: d.azClaim?.at ?? at, denied: true } : { at, denied: false };
      defects.set(orderId, d);
    } else if (/chargeback/.test(text)) {
      const d = defects.get(orderId) ?? {};
      d.chargebackAt = at;
      defects.set(orderId, d);
    }
  }
  return { refunds, defects: [...defects].map(([orderId, d]) => ({ orderId, defects: d })) };
}
