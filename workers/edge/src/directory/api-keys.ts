// API keys for integrations: shown once, stored only as a SHA-256 hash, looked up by hash
// (so no comparison of secrets happens at all) and then checked again in constant time.
import { ConsignError, ErrorCode } from "@consign/domain";
import { signApiKey } from "../auth/api-key-token.ts";
import { randomId, sha256, timingSafeEqual } from "../auth/crypto.ts";
import type { Identity } from "../auth/identity.ts";

export type ApiKeyScope = "read" | "write";

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

type Row = Record<string, SqlStorageValue>;

export class ApiKeys {
  constructor(
    private readonly sql: SqlStorage,
    /** TOKEN_SECRET: new keys are signed, so the edge verifies them without this object. */
    private readonly signingSecret: string,
  ) {}

  async create(by: Identity, name: string, scope: ApiKeyScope): Promise<ApiKeyView & { key: string }> {
    const id = randomId("key_");
    const key = await signApiKey(this.signingSecret, { id, sellerId: by.sellerId, scope, name });
    // What the owner sees to tell keys apart: the start and the end of the key.
    const prefix = `${key.slice(0, 13)}…${key.slice(-4)}`;
    const now = Date.now();
    this.sql.exec(
      "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
      id,
      by.sellerId,
      name,
      scope,
      await sha256(key),
      prefix,
      by.userId,
      now,
    );
    return { key, id, name, scope, prefix, createdAt: now, lastUsedAt: null, revokedAt: null };
  }

  /** Keys from before they were signed (a bare random string after csk_live_). */
  async verify(key: string): Promise<Identity> {
    const hash = await sha256(key);
    const row = this.sql.exec<Row>("SELECT * FROM api_keys WHERE key_hash = ?", hash).toArray()[0];
    if (!row || !timingSafeEqual(row.key_hash as string, hash)) {
      throw new ConsignError(ErrorCode.Unauthenticated, "That API key is not known.");
    }
    if (row.revoked_at !== null)
      throw new ConsignError(ErrorCode.Unauthenticated, "That API key was revoked.");
    this.sql.exec("UPDATE api_keys SET last_used_at = ? WHERE id = ?", Date.now(), row.id);
    const scope = row.scope as ApiKeyScope;
    return {
      sellerId: row.seller_id as string,
      userId: `apikey:${row.id as string}`,
      role: scope === "write" ? "packer" : "viewer",
      sessionId: row.id as string,
      name: row.name as string,
      kind: "api-key",
      scope,
    };
  }

  list(sellerId: string): ApiKeyView[] {
    return this.sql
      .exec<Row>("SELECT * FROM api_keys WHERE seller_id = ? ORDER BY created_at DESC", sellerId)
      .toArray()
      .map((r) => ({
        id: r.id as string,
        name: r.name as string,
        scope: r.scope as ApiKeyScope,
        prefix: r.prefix as string,
        createdAt: r.created_at as number,
        lastUsedAt: (r.last_used_at as number | null) ?? null,
        revokedAt: (r.revoked_at as number | null) ?? null,
      }));
  }

  revoke(sellerId: string, id: string): void {
    const res = this.sql.exec(
      "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND seller_id = ? AND revoked_at IS NULL",
      Date.now(),
      id,
      sellerId,
    );
    if (res.rowsWritten === 0) throw new ConsignError(ErrorCode.NotFound, "No such active API key.");
  }
}
