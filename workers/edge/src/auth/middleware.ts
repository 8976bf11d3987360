// Every /api/v1 route checks the token and the capability on entry, then the seller's room
// confirms the session has not been revoked since the token was issued.
import { ConsignError, ErrorCode } from "@consign/domain";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app.ts";
import { unwrap } from "../http/result.ts";
import { directoryOf, roomOf } from "../stubs.ts";
import { isSignedApiKey, verifySignedApiKey } from "./api-key-token.ts";
import type { Identity } from "./identity.ts";
import { type Capability, can } from "./permissions.ts";
import { verifyAccessToken } from "./tokens.ts";

export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

export async function identify(env: AppEnv["Bindings"], token: string | undefined): Promise<Identity> {
  if (!token) {
    throw new ConsignError(
      ErrorCode.Unauthenticated,
      "Send an access token or API key as 'Authorization: Bearer …'.",
    );
  }
  if (isSignedApiKey(token)) return verifySignedApiKey(env.TOKEN_SECRET, token, Date.now());
  if (token.startsWith("csk_")) return unwrap(await directoryOf(env).verifyApiKey(token));
  return verifyAccessToken(env.TOKEN_SECRET, token, Date.now());
}

/** What an identity may do: people by role, API keys by scope (a key never manages the account). */
export function allowed(identity: Identity, capability: Capability): boolean {
  if (identity.kind === "api-key") {
    if (capability === "read") return true;
    return capability === "work" && identity.scope === "write";
  }
  return can(identity.role, capability);
}

/**
 * Requests with an unknown or forged key or token, per client address: 20 at once, then one a
 * second, in this isolate's memory (they never reach a seller's room, whose limits count callers
 * we know). Past that the answer is 429 with Retry-After, before any key is looked at.
 */
export const REFUSED_BURST = 20;
const REFUSED_PER_SECOND = 1;
const refused = new Map<string, { tokens: number; at: number }>();

function refusedLeft(address: string, now: number): { tokens: number; at: number } {
  const b = refused.get(address);
  if (!b) return { tokens: REFUSED_BURST, at: now };
  return { tokens: Math.min(REFUSED_BURST, b.tokens + ((now - b.at) / 1000) * REFUSED_PER_SECOND), at: now };
}

function tooManyRefused(tokens: number): ConsignError {
  const seconds = Math.max(1, Math.ceil((1 - tokens) / REFUSED_PER_SECOND));
  return new ConsignError(
    ErrorCode.RateLimited,
    `Too many requests with an unknown key or token from this address: try again in ${seconds} s.`,
    [],
    seconds,
  );
}

export function clientAddressOf(headers: Headers): string {
  return (
    headers.get("CF-Connecting-IP") ?? headers.get("X-Forwarded-For")?.split(",")[0]?.trim() ?? "unknown"
  );
}

async function identifyLimited(env: AppEnv["Bindings"], headers: Headers): Promise<Identity> {
  const address = clientAddressOf(headers);
  // Cloudflare always names the address; a request from inside (a test, a service binding) has none.
  if (address === "unknown") return identify(env, bearer(headers.get("Authorization") ?? undefined));
  const now = Date.now();
  const left = refusedLeft(address, now);
  if (left.tokens < 1) throw tooManyRefused(left.tokens);
  try {
    return await identify(env, bearer(headers.get("Authorization") ?? undefined));
  } catch (e) {
    if (e instanceof ConsignError && e.code === ErrorCode.Unauthenticated) {
      if (refused.size > 50_000) refused.clear();
      refused.set(address, { tokens: left.tokens - 1, at: now });
    }
    throw e;
  }
}

export function requireAccess(capability: Capability): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = await identifyLimited(c.env, c.req.raw.headers);
    if (!allowed(identity, capability)) {
      const what = { read: "read this seller's data", work: "change orders", manage: "manage this account" }[
        capability
      ];
      throw new ConsignError(
        ErrorCode.Forbidden,
        `Your role (${identity.scope ?? identity.role}) may not ${what}.`,
      );
    }
    unwrap(await roomOf(c.env, identity.sellerId).assertActive(identity));
    c.set("identity", identity);
    await next();
  };
}
