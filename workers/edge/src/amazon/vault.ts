// The seller's Amazon refresh token, encrypted with AES-GCM (key: env.CREDENTIALS_KEY) in the
// SellerRoom's SQLite. The token never leaves this file except inside the SP-API client it builds:
// no getter returns it and nothing logs it.

import { ConsignError } from "@consign/domain";
import { createSpApiClient, type SpApiClient, type SpApiClientOptions } from "@consign/sp-api";
import { aesKey } from "./crypto.ts";

export interface AmazonConnection {
  sellingPartnerId: string;
  connectedAt: number;
}

/** What the client needs besides the refresh token (env values, and test overrides). */
export type ClientSettings = Omit<SpApiClientOptions, "refreshToken">;

export class CredentialVault {
  private key: Promise<CryptoKey> | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly credentialsKey: string,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS amazon_credentials (
      id INTEGER PRIMARY KEY CHECK (id = 1), selling_partner_id TEXT NOT NULL,
      iv BLOB NOT NULL, ciphertext BLOB NOT NULL, connected_at INTEGER NOT NULL)`);
  }

  private aes(): Promise<CryptoKey> {
    this.key ??= aesKey(this.credentialsKey);
    return this.key;
  }

  async store(sellingPartnerId: string, refreshToken: string, now: number): Promise<void> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(sellingPartnerId) },
      await this.aes(),
      new TextEncoder().encode(refreshToken),
    );
    this.sql.exec(
      `INSERT INTO amazon_credentials (id, selling_partner_id, iv, ciphertext, connected_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET selling_partner_id = excluded.selling_partner_id, iv = excluded.iv,
       ciphertext = excluded.ciphertext, connected_at = excluded.connected_at`,
      sellingPartnerId,
      iv.buffer,
      ciphertext,
      now,
    );
  }

  /** Who is connected and since when (never the token). */
  connection(): AmazonConnection | undefined {
    const row = this.sql
      .exec<{ selling_partner_id: string; connected_at: number }>(
        "SELECT selling_partner_id, connected_at FROM amazon_credentials WHERE id = 1",
      )
      .toArray()[0];
    return row ? { sellingPartnerId: row.selling_partner_id, connectedAt: row.connected_at } : undefined;
  }

  forget(): void {
    this.sql.exec("DELETE FROM amazon_credentials");
  }

  /** An SP-API client holding the decrypted refresh token. Throws amazon_not_connected without one. */
  async client(settings: ClientSettings): Promise<SpApiClient> {
    const row = this.sql
      .exec<{ selling_partner_id: string; iv: ArrayBuffer; ciphertext: ArrayBuffer }>(
        "SELECT selling_partner_id, iv, ciphertext FROM amazon_credentials WHERE id = 1",
      )
      .toArray()[0];
    if (!row) {
      throw new ConsignError(
        "amazon_not_connected",
        "Amazon is not connected: connect it in Settings → Amazon.",
      );
    }
    let refreshToken: string;
    try {
      const plain = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: new Uint8Array(row.iv),
          additionalData: new TextEncoder().encode(row.selling_partner_id),
        },
        await this.aes(),
        row.ciphertext,
      );
      refreshToken = new TextDecoder().decode(plain);
    } catch {
      throw new ConsignError(
        "amazon_credentials_refused",
        "The stored Amazon credentials cannot be read (the encryption key changed): reconnect Amazon in Settings.",
      );
    }
    return createSpApiClient({ ...settings, refreshToken });
  }
}

/** The client settings from the edge's env (base URLs and our LWA app credentials). */
export function clientSettingsFromEnv(
  env: {
    LWA_TOKEN_URL: string;
    SPAPI_BASE_URL: string;
    SPAPI_CLIENT_ID: string;
    SPAPI_CLIENT_SECRET: string;
  },
  extra: Partial<ClientSettings> = {},
): ClientSettings {
  return {
    fetch: (input, init) => fetch(input, init),
    lwaTokenUrl: env.LWA_TOKEN_URL,
    baseUrl: env.SPAPI_BASE_URL,
    clientId: env.SPAPI_CLIENT_ID,
    clientSecret: env.SPAPI_CLIENT_SECRET,
    timeoutMs: 30_000,
    log: (line) => console.warn(`[sp-api] ${line}`),
    ...extra,
  };
}
