// The owner's webhook endpoints, stored in the seller's Durable Object (SQLite). Signing secrets
// are stored encrypted (AES-GCM, key from CREDENTIALS_KEY, bound to the endpoint id) like every
// other credential; rows written before that hold plain text and are sealed when next read.
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
}

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

  list(): WebhookEndpointRecord[] {
    return this.sql
      .exec<Row>("SELECT * FROM webhook_endpoints ORDER BY created_at, id")
      .toArray()
      .map(toRecord);
  }

  get(id: string): WebhookEndpointRecord | null {
    const row = this.sql.exec<Row>("SELECT * FROM webhook_endpoints WHERE id = ?", id).toArray()[0];
    return row ? toRecord(row) : null;
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

  /** Endpoints that want this event. */
  subscribedTo(type: WebhookEventType): WebhookEndpointRecord[] {
    return this.list().filter((e) => e.events.includes(type));
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

function toRecord(row: Row): WebhookEndpointRecord {
  return {
    id: row.id as string,
    url: row.url as string,
    description: (row.description as string | null) ?? null,
    events: JSON.parse(row.events as string) as WebhookEventType[],
    status: row.status === "failing" ? "failing" : "active",
    createdAt: row.created_at as number,
    failingSince: (row.failing_since as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
  };
}
