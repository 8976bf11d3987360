import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { buildConsentUrl, completeConnection, verifyState } from "../src/amazon/connect.ts";
import { type ClientSettings, CredentialVault, clientSettingsFromEnv } from "../src/amazon/index.ts";

import { SANDBOX } from "./helpers.ts";

export { SANDBOX };
/** The sandbox-only switch that multiplies every usage plan's rate, and the client told the same. */
export const RATE_SCALE = 200;

export async function control(path: string, body?: unknown, method = "POST"): Promise<unknown> {
  const res = await fetch(`${SANDBOX}/_sandbox/amazon/sellers/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`sandbox control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export interface SandboxConfirmations {
  accepted: number;
  refused: number;
  acceptedTwice: string[];
  confirmations: { orderId: string; packageReferenceId: string; accepted: boolean }[];
}

export const confirmationsAt = (sellerId: string) =>
  control(`${sellerId}/confirmations`, undefined, "GET") as Promise<SandboxConfirmations>;

export function uniqueSeller(prefix: string): string {
  return `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
}

/** Runs `fn` with a fresh SellerRoom's real SQLite storage. */
export function inRoom<R>(
  name: string,
  fn: (sql: SqlStorage, state: DurableObjectState) => Promise<R>,
): Promise<R> {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(name));
  return runInDurableObject(stub, (_instance, state) => fn(state.storage.sql, state));
}

export function settings(extra: Partial<ClientSettings> = {}): ClientSettings {
  return clientSettingsFromEnv(env, {
    rateScale: RATE_SCALE,
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200 },
    ...extra,
  });
}

/** The whole connect flow against the sandbox: consent (auto), state check, code exchange, vault. */
export async function connectSeller(sql: SqlStorage, sellingPartnerId: string, consignSeller = "seller-1") {
  const now = Date.now();
  const consentUrl = new URL(await buildConsentUrl(env, consignSeller, now));
  consentUrl.searchParams.set("auto", "1");
  consentUrl.searchParams.set("sandbox_seller", sellingPartnerId);
  const consent = await fetch(consentUrl, { redirect: "manual" });
  const back = new URL(consent.headers.get("location") as string);
  const state = back.searchParams.get("state") as string;
  const verified = await verifyState(env, state, Date.now());
  const vault = new CredentialVault(sql, env.CREDENTIALS_KEY);
  const connection = await completeConnection(env, vault, {
    code: back.searchParams.get("spapi_oauth_code") as string,
    sellingPartnerId: back.searchParams.get("selling_partner_id") as string,
    now,
  });
  return { vault, connection, verified, callback: back };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
