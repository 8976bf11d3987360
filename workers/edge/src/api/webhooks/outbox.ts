// Webhook deliveries: each event becomes one message per subscribed endpoint, written to SQLite
// before any network call; alarms call `deliverDue`, which signs and POSTs what is due, logs each
// attempt, and backs off exponentially on failure. After `maxAttempts` it gives up on the message
// and marks the endpoint failing. The owner may retry a message given up on (or send a waiting one
// now): it keeps its id, the webhook-id header receivers dedupe on, and starts a fresh round of
// attempts. `fetch` comes in as an argument (the DO passes its own).
import { ConsignError, ErrorCode } from "@consign/domain";
import { WebhookEndpoints } from "./endpoints.ts";
import { type WebhookEvent, type WebhookEventType, webhookBody } from "./events.ts";
import { signWebhook } from "./sign.ts";
import { checkTarget, DEFAULT_DOH_URL, dohResolver, type Resolve } from "./target.ts";

/** How long the delivery log keeps a message that was delivered or given up on (and its attempts). */
export const WEBHOOK_LOG_KEPT_MS = 30 * 86_400_000;
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface OutboxOptions {
  /** Attempts per message before giving up (default 8: about 18 hours of retries). */
  maxAttempts?: number;
  /** Delay after failed attempt `n` (1-based). Default 1 min × 3^(n−1), at most 12 h. */
  backoffMs?: (attempt: number) => number;
  /** Messages sent per `deliverDue` call; the rest wait for the next alarm. */
  batchSize?: number;
  /** How long to wait for an endpoint to answer. */
  timeoutMs?: number;
  /** Looks up an endpoint's host name before registration and each delivery (default: DNS over HTTPS). */
  resolve?: Resolve;
}

export interface WebhookDeliveryRecord {
  id: number;
  messageId: string;
  endpointId: string;
  eventType: WebhookEventType;
  attempt: number;
  at: number;
  /** The endpoint's HTTP status, or null when it could not be reached. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** True on the attempt after which Consign gave up. */
  gaveUp: boolean;
  /** Where the message stands now: waiting for an attempt, delivered, or given up on (retry it). */
  messageState: "pending" | "delivered" | "failed";
}

/** What a retry did: the messages (webhook-ids) now due at once. */
export interface WebhookRetry {
  retried: number;
  messageIds: string[];
}

export function defaultBackoff(attempt: number): number {
  return Math.min(60_000 * 3 ** (attempt - 1), 12 * 60 * 60 * 1000);
}

type MessageRow = {
  id: string;
  endpoint_id: string;
  event_type: string;
  body: string;
  attempts: number;
  round_start: number;
};

export class WebhookOutbox {
  readonly endpoints: WebhookEndpoints;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly resolve: Resolve;

  constructor(
    private readonly sql: SqlStorage,
    credentialsKey: string,
    options: OutboxOptions = {},
  ) {
    this.resolve = options.resolve ?? dohResolver(DEFAULT_DOH_URL);
    this.endpoints = new WebhookEndpoints(sql, credentialsKey, this.resolve);
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.batchSize = options.batchSize ?? 25;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    sql.exec(`CREATE TABLE IF NOT EXISTS webhook_messages (
      id TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL, event_type TEXT NOT NULL, body TEXT NOT NULL,
      created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER,
      state TEXT NOT NULL DEFAULT 'pending')`);
    sql.exec("CREATE INDEX IF NOT EXISTS webhook_messages_due ON webhook_messages (state, next_attempt_at)");
    // Added with retries: the attempt count when the owner last retried the message (its round
    // of attempts starts there), and an index to find an endpoint's messages by state.
    if (
      !sql
        .exec("PRAGMA table_info(webhook_messages)")
        .toArray()
        .some((c) => c.name === "round_start")
    )
      sql.exec("ALTER TABLE webhook_messages ADD COLUMN round_start INTEGER NOT NULL DEFAULT 0");
    sql.exec("CREATE INDEX IF NOT EXISTS webhook_messages_endpoint ON webhook_messages (endpoint_id, state)");
    sql.exec(`CREATE TABLE IF NOT EXISTS webhook_attempts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, endpoint_id TEXT NOT NULL,
      event_type TEXT NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, status_code INTEGER,
      error TEXT, duration_ms INTEGER NOT NULL, gave_up INTEGER NOT NULL DEFAULT 0)`);
    sql.exec("CREATE INDEX IF NOT EXISTS webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id)");
  }

  /** Queues the event for every endpoint subscribed to it, due now. Returns how many messages were queued. */
  enqueue(event: WebhookEvent): number {
    const body = webhookBody(event);
    const targets = this.endpoints.subscribedTo(event.type);
    for (const endpointId of targets) {
      this.sql.exec(
        "INSERT INTO webhook_messages (id, endpoint_id, event_type, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
        `msg_${crypto.randomUUID().replaceAll("-", "")}`,
        endpointId,
        event.type,
        body,
        event.occurredAt,
        event.occurredAt,
      );
    }
    return targets.length;
  }

  /** When the next message is due (epoch ms), or null when nothing is waiting: set the alarm to it. */
  nextDueAt(): number | null {
    const row = this.sql
      .exec<{ at: number | null }>(
        "SELECT MIN(next_attempt_at) AS at FROM webhook_messages WHERE state = 'pending'",
      )
      .one();
    return row.at ?? null;
  }

  /** Sends every message due at `now` (up to the batch size); returns when the next one is due. */
  async deliverDue(now: number, fetch: Fetch): Promise<number | null> {
    const due = this.sql
      .exec<MessageRow>(
        "SELECT id, endpoint_id, event_type, body, attempts, round_start FROM webhook_messages WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?",
        now,
        this.batchSize,
      )
      .toArray();
    const sends: Promise<void>[] = [];
    for (const message of due) {
      const url = this.endpoints.urlOf(message.endpoint_id);
      if (url === null) {
        this.sql.exec("DELETE FROM webhook_messages WHERE id = ?", message.id);
        continue;
      }
      // Claim the attempt in storage before the call: another request may run while we await the
      // endpoint, and a crash mid-call must not leave the message due forever or sent twice at once.
      const attempt = message.attempts + 1;
      this.sql.exec(
        "UPDATE webhook_messages SET attempts = ?, next_attempt_at = ? WHERE id = ?",
        attempt,
        now + this.backoffMs(attempt - message.round_start),
        message.id,
      );
      sends.push(this.send(message, url, attempt, now, fetch));
    }
    await Promise.all(sends);
    return this.nextDueAt();
  }

  /**
   * Sends again, now, one message of the endpoint (`messageId`) or its whole backlog: every message
   * given up on and every one waiting for its next attempt. Each keeps its id (receivers dedupe on
   * webhook-id) and gets a fresh round of attempts. Messages already delivered are not sent again.
   */
  retry(endpointId: string, now: number, messageId?: string): WebhookRetry {
    if (this.endpoints.urlOf(endpointId) === null)
      throw new ConsignError(ErrorCode.NotFound, `No webhook endpoint ${endpointId} for this seller.`);
    const rows = this.sql
      .exec<{ id: string; state: string }>(
        messageId === undefined
          ? "SELECT id, state FROM webhook_messages WHERE endpoint_id = ? AND state != 'delivered' ORDER BY created_at, id"
          : "SELECT id, state FROM webhook_messages WHERE endpoint_id = ? AND id = ?",
        ...(messageId === undefined ? [endpointId] : [endpointId, messageId]),
      )
      .toArray();
    if (messageId !== undefined) {
      const row = rows[0];
      if (!row)
        throw new ConsignError(
          ErrorCode.NotFound,
          `No delivery ${messageId} to this endpoint: take the messageId from its delivery log.`,
        );
      if (row.state === "delivered")
        throw new ConsignError(
          ErrorCode.Conflict,
          `Delivery ${messageId} already reached the endpoint; it is not sent twice.`,
        );
    }
    for (const row of rows)
      this.sql.exec(
        "UPDATE webhook_messages SET state = 'pending', next_attempt_at = ?, round_start = attempts WHERE id = ? AND state != 'delivered'",
        now,
        row.id,
      );
    return { retried: rows.length, messageIds: rows.map((r) => r.id) };
  }

  /**
   * Housekeeping for the nightly alarm: messages that reached their endpoint or were given up on
   * more than WEBHOOK_LOG_KEPT_MS ago leave the log with their attempts (a retry needs them, so a
   * message older than that can no longer be retried); messages still being delivered are never
   * removed. Returns how many messages and attempts went.
   */
  prune(now: number): { messages: number; attempts: number } {
    const before = now - WEBHOOK_LOG_KEPT_MS;
    const messages = this.sql.exec(
      "DELETE FROM webhook_messages WHERE state IN ('delivered', 'failed') AND created_at < ?",
      before,
    ).rowsWritten;
    // An attempt goes with its message, or when older than the window (the log of a message that
    // is still pending keeps only its recent attempts).
    const attempts = this.sql.exec(
      `DELETE FROM webhook_attempts WHERE at < ?
         OR message_id NOT IN (SELECT id FROM webhook_messages)`,
      before,
    ).rowsWritten;
    return { messages, attempts };
  }

  /** The attempts log for one endpoint, newest first; null when the endpoint is unknown. */
  deliveries(endpointId: string, limit = 50): WebhookDeliveryRecord[] | null {
    if (this.endpoints.urlOf(endpointId) === null) return null;
    return this.sql
      .exec<Record<string, SqlStorageValue>>(
        `SELECT a.*, m.state AS message_state FROM webhook_attempts a
         LEFT JOIN webhook_messages m ON m.id = a.message_id
         WHERE a.endpoint_id = ? ORDER BY a.id DESC LIMIT ?`,
        endpointId,
        limit,
      )
      .toArray()
      .map((r) => ({
        id: r.id as number,
        messageId: r.message_id as string,
        endpointId: r.endpoint_id as string,
        eventType: r.event_type as WebhookEventType,
        attempt: r.attempt as number,
        at: r.at as number,
        statusCode: (r.status_code as number | null) ?? null,
        error: (r.error as string | null) ?? null,
        durationMs: r.duration_ms as number,
        gaveUp: r.gave_up === 1,
        messageState:
          r.message_state === "delivered" || r.message_state === "failed"
            ? (r.message_state as "delivered" | "failed")
            : "pending",
      }));
  }

  /** Removes an endpoint with its queued messages (its log goes too). */
  deleteEndpoint(id: string): boolean {
    this.sql.exec("DELETE FROM webhook_messages WHERE endpoint_id = ?", id);
    this.sql.exec("DELETE FROM webhook_attempts WHERE endpoint_id = ?", id);
    return this.endpoints.delete(id);
  }

  private async send(
    message: MessageRow,
    url: string,
    attempt: number,
    now: number,
    fetch: Fetch,
  ): Promise<void> {
    const timestamp = Math.floor(now / 1000);
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const endpointId = message.endpoint_id;
    // The current secret and, during a rotation's grace period, the one before it.
    let secrets: string[] = [];
    try {
      secrets = await this.endpoints.signingSecretsOf(endpointId, now);
      if (secrets.length === 0) {
        // Deleted while this attempt was claimed.
        this.sql.exec("DELETE FROM webhook_messages WHERE id = ?", message.id);
        return;
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    // The name may point somewhere else since it was registered: checked again before each send.
    const target = secrets.length === 0 ? null : await checkTarget(url, this.resolve);
    if (target !== null) error = `Not sent: ${target}. Change the endpoint's URL.`;
    else if (secrets.length > 0)
      try {
        const signatures = await Promise.all(
          secrets.map((secret) => signWebhook(secret, message.id, timestamp, message.body)),
        );
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "Consign-Webhooks/1",
            "webhook-id": message.id,
            "webhook-timestamp": String(timestamp),
            // Standard Webhooks: several signatures are separated by spaces; any one may match.
            "webhook-signature": signatures.join(" "),
          },
          body: message.body,
          signal: AbortSignal.timeout(this.timeoutMs),
          // A redirect could lead anywhere, past the check above: never followed.
          redirect: "manual",
        });
        statusCode = response.status;
        if (response.status >= 300 && response.status < 400) {
          const to = response.headers.get("location");
          error = `The endpoint answered with a redirect (HTTP ${response.status}${to ? ` to ${to}` : ""}); redirects are not followed: register the final URL.`;
        } else if (!response.ok) error = `The endpoint answered HTTP ${response.status}.`;
        await response.body?.cancel();
      } catch (e) {
        error = `Could not reach the endpoint: ${e instanceof Error ? e.message : String(e)}`;
      }
    const delivered = error === null;
    const gaveUp = !delivered && attempt - message.round_start >= this.maxAttempts;
    this.sql.exec(
      "INSERT INTO webhook_attempts (message_id, endpoint_id, event_type, attempt, at, status_code, error, duration_ms, gave_up) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      message.id,
      endpointId,
      message.event_type,
      attempt,
      now,
      statusCode,
      error,
      Math.max(0, Date.now() - started),
      gaveUp ? 1 : 0,
    );
    if (delivered) {
      this.sql.exec(
        "UPDATE webhook_messages SET state = 'delivered', next_attempt_at = NULL WHERE id = ?",
        message.id,
      );
      this.endpoints.markHealthy(endpointId);
    } else if (gaveUp) {
      this.sql.exec(
        "UPDATE webhook_messages SET state = 'failed', next_attempt_at = NULL WHERE id = ?",
        message.id,
      );
      this.endpoints.markFailing(
        endpointId,
        `Gave up after ${attempt - message.round_start} attempts: ${error}`,
        now,
      );
    }
  }
}
