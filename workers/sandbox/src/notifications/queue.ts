// One SQS standard queue, kept in SQLite by the sandbox object named `sqs:<queue name>`: messages
// stay until deleted with their latest receipt handle; a received message is hidden for its
// visibility timeout and then delivered again (at least once, ApproximateReceiveCount counting).
// Fault switches (not part of AWS): deliver the next N messages twice, hold new messages back for a
// delay, answer the next N calls with a 500 (an outage).

import { createHash } from "node:crypto";

export type QueueFaults = {
  /** The next N messages sent are delivered as two copies (same MessageId, as SQS may do). */
  duplicates?: number;
  /** New messages become visible this many ms after they are sent. */
  delayMs?: number;
  /** The next N queue calls answer 500 InternalError. */
  outage?: number;
  /** Every queue call answers 500 until switched off. */
  down?: boolean;
};

export type ReceivedMessage = {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes: Record<string, string>;
};

export const DEFAULT_VISIBILITY_S = 30;

export const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

export class QueueStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS sqs_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, body TEXT NOT NULL, md5 TEXT NOT NULL,
        sent_ms INTEGER NOT NULL, visible_ms INTEGER NOT NULL, receipt TEXT, receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive_ms INTEGER);
      CREATE INDEX IF NOT EXISTS sqs_visible ON sqs_messages (visible_ms, seq);
      CREATE TABLE IF NOT EXISTS sqs_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  private get<T>(key: string): T | undefined {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM sqs_state WHERE key = ?", key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  private set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO sqs_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  faults(): QueueFaults {
    return this.get<QueueFaults>("faults") ?? {};
  }

  setFaults(f: QueueFaults): QueueFaults {
    this.set("faults", f);
    return f;
  }

  /** True when this call is to fail (an outage switch), counting the switch down. */
  takeOutage(): boolean {
    const f = this.faults();
    if (f.down) return true;
    if (f.outage && f.outage > 0) {
      this.setFaults({ ...f, outage: f.outage - 1 });
      return true;
    }
    return false;
  }

  send(body: string, now: number): { MessageId: string; MD5OfMessageBody: string } {
    const f = this.faults();
    const id = crypto.randomUUID();
    const digest = md5(body);
    const visible = now + (f.delayMs ?? 0);
    const copies = f.duplicates && f.duplicates > 0 ? 2 : 1;
    if (copies === 2) this.setFaults({ ...f, duplicates: (f.duplicates ?? 1) - 1 });
    for (let i = 0; i < copies; i++) {
      this.sql.exec(
        "INSERT INTO sqs_messages (id, body, md5, sent_ms, visible_ms) VALUES (?, ?, ?, ?, ?)",
        id,
        body,
        digest,
        now,
        visible,
      );
    }
    return { MessageId: id, MD5OfMessageBody: digest };
  }

  receive(max: number, visibilityS: number, now: number): ReceivedMessage[] {
    const rows = this.sql
      .exec<{
        seq: number;
        id: string;
        body: string;
        md5: string;
        sent_ms: number;
        receive_count: number;
        first_receive_ms: number | null;
      }>(
        "SELECT seq, id, body, md5, sent_ms, receive_count, first_receive_ms FROM sqs_messages WHERE visible_ms <= ? ORDER BY seq LIMIT ?",
        now,
        max,
      )
      .toArray();
    return rows.map((r) => {
      const receipt = `${r.seq}.${crypto.randomUUID()}`;
      const count = r.receive_count + 1;
      const first = r.first_receive_ms ?? now;
      this.sql.exec(
        "UPDATE sqs_messages SET visible_ms = ?, receipt = ?, receive_count = ?, first_receive_ms = ? WHERE seq = ?",
        now + visibilityS * 1000,
        receipt,
        count,
        first,
        r.seq,
      );
      return {
        MessageId: r.id,
        ReceiptHandle: receipt,
        MD5OfBody: r.md5,
        Body: r.body,
        Attributes: {
          SentTimestamp: String(r.sent_ms),
          ApproximateReceiveCount: String(count),
          ApproximateFirstReceiveTimestamp: String(first),
        },
      };
    });
  }

  /** Deletes by receipt handle; false when the handle is not one this queue issued. */
  delete(receipt: string): boolean {
    const seq = Number(receipt.split(".")[0]);
    if (!Number.isInteger(seq)) return false;
    const row = this.sql
      .exec<{ receipt: string | null }>("SELECT receipt FROM sqs_messages WHERE seq = ?", seq)
      .toArray()[0];
    if (!row) return true; // already deleted: SQS answers success
    if (row.receipt === null) return false;
    this.sql.exec("DELETE FROM sqs_messages WHERE seq = ?", seq);
    return true;
  }

  changeVisibility(receipt: string, visibilityS: number, now: number): boolean {
    const seq = Number(receipt.split(".")[0]);
    const n = this.sql.exec(
      "UPDATE sqs_messages SET visible_ms = ? WHERE seq = ? AND receipt = ?",
      now + visibilityS * 1000,
      seq,
      receipt,
    ).rowsWritten;
    return n > 0;
  }

  stats(now: number): { visible: number; inFlight: number; delayed: number } {
    const one = (q: string, ...p: number[]) => this.sql.exec<{ n: number }>(q, ...p).one().n;
    return {
      visible: one("SELECT count(*) AS n FROM sqs_messages WHERE visible_ms <= ?", now),
      inFlight: one(
        "SELECT count(*) AS n FROM sqs_messages WHERE visible_ms > ? AND receipt IS NOT NULL",
        now,
      ),
      delayed: one("SELECT count(*) AS n FROM sqs_messages WHERE visible_ms > ? AND receipt IS NULL", now),
    };
  }
}
