// Short-lived, seller-scoped access tokens derived from a device session. Stateless to verify
// (HMAC-SHA256); revocation "at once" is enforced by the seller's room, which every request and
// socket passes through (see SellerRoom.assertActive).
import { ConsignError, ErrorCode } from "@consign/domain";
import { base64url, fromBase64url, hmacSign, hmacVerify } from "./crypto.ts";
import type { Identity } from "./identity.ts";
import { isRole } from "./permissions.ts";

export const ACCESS_TOKEN_TTL_MS = 10 * 60 * 1000;
const PREFIX = "cat1.";

interface Claims {
  sid: string;
  uid: string;
  role: string;
  ses: string;
  name: string;
  /** The device's name, for the order history (absent in tokens issued before it was added). */
  dev?: string;
  iat: number;
  exp: number;
}

export async function issueAccessToken(
  secret: string,
  identity: Omit<Identity, "kind" | "scope">,
  now: number,
  ttlMs = ACCESS_TOKEN_TTL_MS,
): Promise<{ accessToken: string; expiresAt: number }> {
  const claims: Claims = {
    sid: identity.sellerId,
    uid: identity.userId,
    role: identity.role,
    ses: identity.sessionId,
    name: identity.name,
    ...(identity.deviceName ? { dev: identity.deviceName } : {}),
    iat: now,
    exp: now + ttlMs,
  };
  const body = base64url(new TextEncoder().encode(JSON.stringify(claims)));
  const sig = await hmacSign(secret, PREFIX + body);
  return { accessToken: `${PREFIX}${body}.${sig}`, expiresAt: claims.exp };
}

export async function verifyAccessToken(secret: string, token: string, now: number): Promise<Identity> {
  if (!token.startsWith(PREFIX)) {
    throw new ConsignError(ErrorCode.Unauthenticated, "Not a Consign access token: sign in again.");
  }
  const [body, sig] = token.slice(PREFIX.length).split(".");
  if (!body || !sig || !(await hmacVerify(secret, PREFIX + body, sig))) {
    throw new ConsignError(
      ErrorCode.Unauthenticated,
      "The access token's signature is not valid: sign in again.",
    );
  }
  let claims: Claims;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as Claims;
  } catch {
    throw new ConsignError(ErrorCode.Unauthenticated, "The access token is unreadable: sign in again.");
  }
  if (typeof claims.exp !== "number" || claims.exp <= now) {
    throw new ConsignError(ErrorCode.TokenExpired, "The access token has expired: ask for a new one.");
  }
  if (!isRole(claims.role))
    throw new ConsignError(ErrorCode.Unauthenticated, "The access token names no role.");
  return {
    sellerId: claims.sid,
    userId: claims.uid,
    role: claims.role,
    sessionId: claims.ses,
    name: claims.name,
    ...(typeof claims.dev === "string" ? { deviceName: claims.dev } : {}),
    kind: "session",
    issuedAt: claims.iat,
  };
}
