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

export function requireAccess(capability: Capability): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = await identify(c.env, bearer(c.req.header("Authorization")));
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
