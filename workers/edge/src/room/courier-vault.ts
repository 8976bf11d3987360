// Courier account credentials, write-only: stored encrypted (AES-GCM, key from CREDENTIALS_KEY)
// in the seller's room. The PWA and the API only ever learn "connected".
import { boundedString, ConsignError, type CourierId, ErrorCode, TEXT_LIMITS } from "@consign/domain";
import { z } from "zod";
import { aesKey } from "../amazon/crypto.ts";
import type { CourierCredentials } from "../labels/couriers.ts";

/** A credential: no real key, password or account number comes near the limit; a pasted file would. */
const credential = () => boundedString(TEXT_LIMITS.credential);

/** Royal Mail through Click & Drop: its API key. */
const clickAndDropSchema = z.object({ apiKey: credential().trim().min(8, "paste the Click & Drop API key") });
/** Royal Mail through Pro Shipping (Shipping API v3, contract accounts): the account's five fields. */
export const proShippingSchema = z.object({
  api: z.literal("pro-shipping"),
  clientId: credential().trim().min(1, "the client id from Royal Mail's developer portal"),
  clientSecret: credential().trim().min(1, "the client secret from Royal Mail's developer portal"),
  username: credential().trim().min(1, "the Pro Shipping username"),
  password: credential().min(1, "the Pro Shipping password"),
  postingLocation: z
    .string()
    .trim()
    .regex(/^\d{10}$/, "the 10-digit posting location number on your Royal Mail contract"),
});
export type ProShippingCredentials = z.output<typeof proShippingSchema>;

/** Pro Shipping when the fields say so (`api: "pro-shipping"`), else Click & Drop. */
const royalMailSchema = z.custom<unknown>().transform((input, ctx) => {
  const pro =
    typeof input === "object" && input !== null && (input as { api?: unknown }).api === "pro-shipping";
  const parsed = (pro ? proShippingSchema : clickAndDropSchema).safeParse(input);
  if (parsed.success) return parsed.data as z.output<typeof clickAndDropSchema> | ProShippingCredentials;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

export const courierCredentialSchemas = {
  "royal-mail": royalMailSchema,
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

/** Which of its APIs a courier account is connected through, where it has more than one. */
export type CourierApi = "click-and-drop" | "pro-shipping";

export class CourierVault {
  private key: Promise<CryptoKey> | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly credentialsKey: string,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS courier_credentials (
      courier TEXT PRIMARY KEY, iv BLOB NOT NULL, ciphertext BLOB NOT NULL, connected_at INTEGER NOT NULL)`);
    // Which of a courier's APIs the account is connected through (Royal Mail: Click & Drop or Pro
    // Shipping), kept in the clear beside the sealed credentials so status can say it.
    const columns = sql.exec<{ name: string }>("PRAGMA table_info(courier_credentials)").toArray();
    if (!columns.some((c) => c.name === "via"))
      sql.exec("ALTER TABLE courier_credentials ADD COLUMN via TEXT");
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
    const via =
      courier === "royal-mail"
        ? (parsed.data as { api?: string }).api === "pro-shipping"
          ? "pro-shipping"
          : "click-and-drop"
        : null;
    this.sql.exec(
      "INSERT OR REPLACE INTO courier_credentials (courier, iv, ciphertext, connected_at, via) VALUES (?, ?, ?, ?, ?)",
      courier,
      iv.buffer,
      ciphertext,
      now,
      via,
    );
  }

  forget(courier: CourierId): void {
    this.sql.exec("DELETE FROM courier_credentials WHERE courier = ?", courier);
  }

  status(): { courier: CourierId; connected: boolean; connectedAt?: number; via?: CourierApi }[] {
    const rows = new Map(
      this.sql
        .exec<{ courier: string; connected_at: number; via: string | null }>(
          "SELECT courier, connected_at, via FROM courier_credentials",
        )
        .toArray()
        .map((r) => [r.courier, r]),
    );
    return COURIER_IDS.map((courier) => {
      const row = rows.get(courier);
      if (!row) return { courier, connected: false };
      const via = row.via ?? (courier === "royal-mail" ? "click-and-drop" : null);
      return {
        courier,
        connected: true,
        connectedAt: row.connected_at,
        ...(via ? { via: via as CourierApi } : {}),
      };
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
      if (row.courier === "royal-mail") {
        if (value.api === "pro-shipping") {
          out.royalMailPro = {
            clientId: value.clientId!,
            clientSecret: value.clientSecret!,
            username: value.username!,
            password: value.password!,
            postingLocation: value.postingLocation!,
          };
        } else out.royalMail = { apiKey: value.apiKey! };
      }
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
