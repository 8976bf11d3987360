// Courier account credentials, write-only: stored encrypted (AES-GCM, key from CREDENTIALS_KEY)
// in the seller's room. The PWA and the API only ever learn "connected".
import { boundedString, ConsignError, type CourierId, ErrorCode, TEXT_LIMITS } from "@consign/domain";
import { z } from "zod";
import { aesKey } from "../amazon/crypto.ts";
import type { CourierCredentials } from "../labels/couriers.ts";

/** A credential: no real key, password or account number comes near the limit; a pasted file would. */
const credential = () => boundedString(TEXT_LIMITS.credential);

export const courierCredentialSchemas = {
  "royal-mail": z.object({ apiKey: credential().trim().min(8, "paste the Click & Drop API key") }),
  "amazon-shipping": z.object({}).strict(),
  dpd: z.object({
    username: credential().trim().min(1),
    password: credential().min(1),
    accountNumber: credential().trim().min(1),
  }),
  evri: z.object({
    username: credential().trim().min(1),
    password: credential().min(1),
    clientId: credential().trim().min(1),
    clientName: credential().trim().min(1),
  }),
} satisfies Record<CourierId, z.ZodType>;

export const COURIER_IDS = Object.keys(courierCredentialSchemas) as CourierId[];

export class CourierVault {
  private key: Promise<CryptoKey> | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly credentialsKey: string,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS courier_credentials (
      courier TEXT PRIMARY KEY, iv BLOB NOT NULL, ciphertext BLOB NOT NULL, connected_at INTEGER NOT NULL)`);
  }

  private aes(): Promise<CryptoKey> {
    this.key ??= aesKey(this.credentialsKey);
    return this.key;
  }

  async store(courier: CourierId, input: unknown, now: number): Promise<void> {
    const schema = courierCredentialSchemas[courier];
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        "Some courier credentials are missing or not valid.",
        parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      );
    }
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(courier) },
      await this.aes(),
      new TextEncoder().encode(JSON.stringify(parsed.data)),
    );
    this.sql.exec(
      "INSERT OR REPLACE INTO courier_credentials VALUES (?, ?, ?, ?)",
      courier,
      iv.buffer,
      ciphertext,
      now,
    );
  }

  forget(courier: CourierId): void {
    this.sql.exec("DELETE FROM courier_credentials WHERE courier = ?", courier);
  }

  status(): { courier: CourierId; connected: boolean; connectedAt?: number }[] {
    const rows = new Map(
      this.sql
        .exec<{ courier: string; connected_at: number }>(
          "SELECT courier, connected_at FROM courier_credentials",
        )
        .toArray()
        .map((r) => [r.courier, r.connected_at]),
    );
    return COURIER_IDS.map((courier) => {
      const at = rows.get(courier);
      return at === undefined ? { courier, connected: false } : { courier, connected: true, connectedAt: at };
    });
  }

  /** Decrypted credentials for building the adapters; stays inside the room. */
  async credentials(amazonAccessToken: () => Promise<string>): Promise<CourierCredentials> {
    const out: CourierCredentials = {};
    const rows = this.sql
      .exec<{ courier: string; iv: ArrayBuffer; ciphertext: ArrayBuffer }>(
        "SELECT * FROM courier_credentials",
      )
      .toArray();
    for (const row of rows) {
      let value: Record<string, string>;
      try {
        const plain = await crypto.subtle.decrypt(
          {
            name: "AES-GCM",
            iv: new Uint8Array(row.iv),
            additionalData: new TextEncoder().encode(row.courier),
          },
          await this.aes(),
          row.ciphertext,
        );
        value = JSON.parse(new TextDecoder().decode(plain));
      } catch {
        continue; // unreadable (key rotated): shows as connected but buying says to reconnect
      }
      if (row.courier === "royal-mail") out.royalMail = { apiKey: value.apiKey! };
      if (row.courier === "amazon-shipping") out.amazonShipping = { accessToken: amazonAccessToken };
      if (row.courier === "dpd") {
        out.dpd = {
          username: value.username!,
          password: value.password!,
          accountNumber: value.accountNumber!,
        };
      }
      if (row.courier === "evri") {
        out.evri = {
          username: value.username!,
          password: value.password!,
          clientId: value.clientId!,
          clientName: value.clientName!,
        };
      }
    }
    return out;
  }
}
