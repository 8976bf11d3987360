// The connect flow: a consent URL with a signed, short-lived `state`, then the callback that checks
// it, exchanges `spapi_oauth_code` (authorization_code grant) and stores the refresh token.

import { ConsignError } from "@consign/domain";
import { exchangeAuthorizationCode, type FetchFn } from "@consign/sp-api";
import { base64ToBytes, bytesToBase64Url, stateKey } from "./crypto.ts";
import type { CredentialVault } from "./vault.ts";

export interface ConnectEnv {
  SELLER_CENTRAL_URL: string;
  SPAPI_APP_ID: string;
  PUBLIC_URL: string;
  LWA_TOKEN_URL: string;
  SPAPI_CLIENT_ID: string;
  SPAPI_CLIENT_SECRET: string;
  CREDENTIALS_KEY: string;
}

export const CALLBACK_PATH = "/connect/amazon/callback";
const STATE_LIFETIME_MS = 15 * 60_000;

export const redirectUri = (env: ConnectEnv) => `${env.PUBLIC_URL.replace(/\/+$/, "")}${CALLBACK_PATH}`;

/** Where to send the seller to authorise Consign in Seller Central. */
export async function buildConsentUrl(env: ConnectEnv, sellerId: string, now: number): Promise<string> {
  const payload = bytesToBase64Url(
    new TextEncoder().encode(
      JSON.stringify({ s: sellerId, t: now, n: bytesToBase64Url(crypto.getRandomValues(new Uint8Array(9))) }),
    ),
  );
  const sig = await crypto.subtle.sign(
    "HMAC",
    await stateKey(env.CREDENTIALS_KEY),
    new TextEncoder().encode(payload),
  );
  const url = new URL(env.SELLER_CENTRAL_URL);
  url.searchParams.set("application_id", env.SPAPI_APP_ID);
  url.searchParams.set("state", `${payload}.${bytesToBase64Url(new Uint8Array(sig))}`);
  url.searchParams.set("redirect_uri", redirectUri(env));
  return url.toString();
}

/** Checks the `state` came from us, recently; returns the Consign seller it was issued for. */
export async function verifyState(
  env: ConnectEnv,
  state: string,
  now: number,
): Promise<{ sellerId: string }> {
  const refused = new ConsignError(
    "bad_request",
    "This Amazon authorisation link is not valid or has expired: start connecting again from Settings → Amazon.",
  );
  const [payload, sig] = state.split(".");
  if (!payload || !sig) throw refused;
  let ok = false;
  try {
    ok = await crypto.subtle.verify(
      "HMAC",
      await stateKey(env.CREDENTIALS_KEY),
      base64ToBytes(sig),
      new TextEncoder().encode(payload),
    );
  } catch {
    ok = false;
  }
  if (!ok) throw refused;
  const data = JSON.parse(new TextDecoder().decode(base64ToBytes(payload))) as { s: string; t: number };
  if (
    typeof data.s !== "string" ||
    typeof data.t !== "number" ||
    now - data.t > STATE_LIFETIME_MS ||
    data.t > now + 60_000
  ) {
    throw refused;
  }
  return { sellerId: data.s };
}

/**
 * The callback's work once `state` is verified: exchange the code and store the refresh token with
 * the selling partner id. Returns the connection (never the token).
 */
export async function completeConnection(
  env: ConnectEnv,
  vault: CredentialVault,
  params: { code: string; sellingPartnerId: string; now: number; fetch?: FetchFn },
): Promise<{ sellingPartnerId: string; connectedAt: number }> {
  if (!params.code || !params.sellingPartnerId) {
    throw new ConsignError(
      "bad_request",
      "Amazon's answer lacked spapi_oauth_code or selling_partner_id: try connecting again.",
    );
  }
  const tokens = await exchangeAuthorizationCode({
    fetch: params.fetch ?? ((input, init) => fetch(input, init)),
    lwaTokenUrl: env.LWA_TOKEN_URL,
    clientId: env.SPAPI_CLIENT_ID,
    clientSecret: env.SPAPI_CLIENT_SECRET,
    code: params.code,
    redirectUri: redirectUri(env),
    // Login with Amazon that never answers must not hold the seller's connect page open.
    timeoutMs: 15_000,
  });
  await vault.store(params.sellingPartnerId, tokens.refreshToken, params.now);
  return { sellingPartnerId: params.sellingPartnerId, connectedAt: params.now };
}
