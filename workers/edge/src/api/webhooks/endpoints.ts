// The owner's webhook endpoints, stored in the seller's Durable Object (SQLite). Signing secrets
// are stored encrypted (AES-GCM, key from CREDENTIALS_KEY, bound to the endpoint id) like every
// other credential; rows written before that hold plain text and are sealed when next read.
//
// Rotating a secret (as Stripe and GitHub do it): the new secret is shown once, and for a grace
// period (24 hours unless the owner asks otherwise, 0 to stop the old one at once) every delivery
// carries two signatures, one with each secret, so a receiver keeps verifying while its
// configuration is changed; after that only the new one. A second rotation during the grace
// period ends the older secret at once: at most two secrets are ever valid.
import { ConsignError, ErrorCode } from "@consign/domain";
import { aesKey, isSealed, openText, sealText } from "../../amazon/crypto.ts";
import type { WebhookEventType } from "./events.ts";
import { generateWebhookSecret } from "./sign.ts";
import { checkTarget, type Resolve } from "./target.ts";

export interface WebhookEndpointRecord {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  /** "failing" once a delivery gave up; a later successful delivery makes it "active" again. */
  status: "active" | "failing";
  createdAt: number;
  failingSince: number | null;
  lastError: string | null;
  /** When the secret was last rotated (null: never). */
  secretRotatedAt: number | null;
  /** Until when deliveries are also signed with the secret before the last rotation (null: not). */
  previousSecretExpiresAt: number | null;
  /** Deliveries given up on, waiting for the owner to retry them. */
  failedDeliveries: number;
  /** Deliveries that failed at least once and wait for their next attempt (a retry sends them now). */
  waitingDeliveries: number;
}

/** How long the old secret keeps signing after a rotation unless the owner says otherwise. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;
/** The longest grace period a rotation may ask for (a week). */
export const MAX_ROTATION_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

export interface NewWebhookEndpoint {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
}

type Row = Record<string, SqlStorageValue>;

export class WebhookEndpoints {
  private key: Promise<CryptoKey> | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly credentialsKey: string,
    private readonly resolve: Resolve,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS webhook_endpoints (
      id TEXT PRIMARY KEY, url TEXT NOT NULL, description TEXT, events TEXT NOT NULL, secret TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'active', created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
      failing_since INTEGER, last_error TEXT)`);
    // Added with secret rotation: the secret before the last rotation and until when it still signs.
    const columns = sql.exec("PRAGMA table_info(webhook_endpoints)").toArray();
    if (!columns.some((c) => c.name === "previous_secret")) {
      sql.exec("ALTER TABLE webhook_endpoints ADD COLUMN previous_secret TEXT");
      sql.exec("ALTER TABLE webhook_endpoints ADD COLUMN previous_until INTEGER");
      sql.exec("ALTER TABLE webhook_endpoints ADD COLUMN rotated_at INTEGER");
    }
  }

  private aes(): Promise<CryptoKey> {
    this.key ??= aesKey(this.credentialsKey);
    return this.key;
  }

  /** Registers an endpoint; the secret is returned here and never again. */
  async create(
    input: NewWebhookEndpoint,
    createdBy: string,
    now: number,
  ): Promise<WebhookEndpointRecord & { secret: string }> {
    const problem = await checkTarget(input.url, this.resolve);
    if (problem) {
      throw new ConsignError(ErrorCode.BadRequest, `Webhooks cannot be sent to ${input.url}: ${problem}.`, [
        { path: "url", message: problem },
      ]);
    }
    const count = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_endpoints").one().n;
    if (count >= 20) {
      throw new ConsignError(
        ErrorCode.Conflict,
        "A seller may register at most 20 webhook endpoints: delete one first.",
      );
    }
    const id = `whep_${crypto.randomUUID().replaceAll("-", "")}`;
    const secret = generateWebhookSecret();
    const sealed = await sealText(await this.aes(), secret, id);
    // Counted again after the await: another request may have added one meanwhile.
    if (this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_endpoints").one().n >= 20) {
      throw new ConsignError(
        ErrorCode.Conflict,
        "A seller may register at most 20 webhook endpoints: delete one first.",
      );
    }
    this.sql.exec(
      "INSERT INTO webhook_endpoints (id, url, description, events, secret, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
      id,
      input.url,
      input.description ?? null,
      JSON.stringify(input.events),
      sealed,
      now,
      createdBy,
    );
    const record = this.get(id);
    if (!record) throw new Error("webhook endpoint vanished after insert");
    return { ...record, secret };
  }

  /** Every endpoint; `now` (the room's clock) decides whether an old secret still signs. */
  list(now = Date.now()): WebhookEndpointRecord[] {
    return this.sql
      .exec<Row>(`${SELECT_ENDPOINTS} ORDER BY created_at, id`)
      .toArray()
      .map((row) => toRecord(row, now));
  }

  get(id: string, now = Date.now()): WebhookEndpointRecord | null {
    const row = this.sql.exec<Row>(`${SELECT_ENDPOINTS} WHERE id = ?`, id).toArray()[0];
    return row ? toRecord(row, now) : null;
  }

  /** Where an endpoint's deliveries go (null when it is gone): read before each delivery. */
  urlOf(id: string): string | null {
    return (
      this.sql.exec<{ url: string }>("SELECT url FROM webhook_endpoints WHERE id = ?", id).toArray()[0]
        ?.url ?? null
    );
  }

  /**
   * A new signing secret, returned here and never again. The current one keeps signing beside it
   * for `graceMs` (0: it stops now); a secret older than the current one stops now.
   */
  async rotate(
    id: string,
    now: number,
    graceMs = DEFAULT_ROTATION_GRACE_MS,
  ): Promise<WebhookEndpointRecord & { secret: string }> {
    if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > MAX_ROTATION_GRACE_MS)
      throw new ConsignError(ErrorCode.BadRequest, "The grace period is 0 to 168 hours.", [
        { path: "graceHours", message: "0 to 168 hours" },
      ]);
    // Read (and seal, if it is an old plain-text row) before the await below, so what is kept as
    // the previous secret is the one receivers hold.
    if ((await this.secretOf(id)) === null) throw unknownEndpoint(id);
    const secret = generateWebhookSecret();
    const sealed = await sealText(await this.aes(), secret, id);
    const written = this.sql.exec(
      `UPDATE webhook_endpoints SET previous_secret = CASE WHEN ? > 0 THEN secret ELSE NULL END,
         previous_until = CASE WHEN ? > 0 THEN ? ELSE NULL END, secret = ?, rotated_at = ? WHERE id = ?`,
      graceMs,
      graceMs,
      now + graceMs,
      sealed,
      now,
      id,
    ).rowsWritten;
    if (written === 0) throw unknownEndpoint(id);
    const record = this.get(id, now);
    if (!record) throw unknownEndpoint(id);
    return { ...record, secret };
  }

  /**
   * The secrets a delivery at `now` is signed with: the current one first, then the one before the
   * last rotation while its grace period lasts. Empty when the endpoint is gone. An expired old
   * secret is forgotten here.
   */
  async signingSecretsOf(id: string, now: number): Promise<string[]> {
    const current = await this.secretOf(id);
    if (current === null) return [];
    const row = this.sql
      .exec<{ previous_secret: string | null; previous_until: number | null }>(
        "SELECT previous_secret, previous_until FROM webhook_endpoints WHERE id = ?",
        id,
      )
      .toArray()[0];
    if (!row?.previous_secret) return [current];
    if (row.previous_until === null || row.previous_until <= now) {
      this.sql.exec(
        "UPDATE webhook_endpoints SET previous_secret = NULL, previous_until = NULL WHERE id = ? AND previous_secret = ?",
        id,
        row.previous_secret,
      );
      return [current];
    }
    try {
      return [current, await openText(await this.aes(), row.previous_secret, id)];
    } catch {
      // Sealed with another key: the current secret still signs.
      return [current];
    }
  }

  /**
   * The endpoint's signing secret; null when the endpoint is gone. Throws a message the owner can
   * act on when it cannot be decrypted (CREDENTIALS_KEY changed).
   */
  async secretOf(id: string): Promise<string | null> {
    const row = this.sql
      .exec<{ secret: string }>("SELECT secret FROM webhook_endpoints WHERE id = ?", id)
      .toArray()[0];
    if (!row) return null;
    if (!isSealed(row.secret)) {
      const sealed = await sealText(await this.aes(), row.secret, id);
      this.sql.exec(
        "UPDATE webhook_endpoints SET secret = ? WHERE id = ? AND secret = ?",
        sealed,
        id,
        row.secret,
      );
      return row.secret;
    }
    try {
      return await openText(await this.aes(), row.secret, id);
    } catch {
      throw new Error(
        "The endpoint's signing secret cannot be read (the encryption key changed): delete the endpoint and register it again.",
      );
    }
  }

  /** The ids of the endpoints that want this event (read on every event: no counting here). */
  subscribedTo(type: WebhookEventType): string[] {
    return this.sql
      .exec<{ id: string; events: string }>(
        "SELECT id, events FROM webhook_endpoints ORDER BY created_at, id",
      )
      .toArray()
      .filter((row) => (JSON.parse(row.events) as string[]).includes(type))
      .map((row) => row.id);
  }

  delete(id: string): boolean {
    return this.sql.exec("DELETE FROM webhook_endpoints WHERE id = ?", id).rowsWritten > 0;
  }

  markFailing(id: string, error: string, now: number): void {
    this.sql.exec(
      "UPDATE webhook_endpoints SET status = 'failing', failing_since = COALESCE(failing_since, ?), last_error = ? WHERE id = ?",
      now,
      error,
      id,
    );
  }

  markHealthy(id: string): void {
    this.sql.exec(
      "UPDATE webhook_endpoints SET status = 'active', failing_since = NULL, last_error = NULL WHERE id = ? AND status != 'active'",
      id,
    );
  }
}

const unknownEndpoint = (id: string) =>
  new ConsignError(ErrorCode.NotFound, `No webhook endpoint ${id} for this seller.`);

/** Each endpoint with how many of its deliveries were given up on, and how many wait for a retry. */
const SELECT_ENDPOINTS = `SELECT e.*,
  (SELECT COUNT(*) FROM webhook_messages m WHERE m.endpoint_id = e.id AND m.state = 'failed') AS failed,
  (SELECT COUNT(*) FROM webhook_messages m WHERE m.endpoint_id = e.id AND m.state = 'pending'
    AND m.attempts > m.round_start) AS waiting
  FROM webhook_endpoints e`;

function toRecord(row: Row, now: number): WebhookEndpointRecord {
  const until = (row.previous_until as number | null) ?? null;
  return {
    id: row.id as string,
    url: row.url as string,
    description: (row.description as string | null) ?? null,
    events: JSON.parse(row.events as string) as WebhookEventType[],
    status: row.status === "failing" ? "failing" : "active",
    createdAt: row.created_at as number,
    failingSince: (row.failing_since as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    secretRotatedAt: (row.rotated_at as number | null) ?? null,
    previousSecretExpiresAt: row.previous_secret && until !== null && until > now ? until : null,
    failedDeliveries: Number(row.failed ?? 0),
    waitingDeliveries: Number(row.waiting ?? 0),
  };
}
