// API keys that the edge verifies on its own: the key carries its id, seller, scope and name,
// signed with TOKEN_SECRET (HMAC-SHA256). A request with a key never reaches the Directory (the
// object that also hashes passwords, so a burst of failing sign-ins cannot slow integrations).
// Revocation stays immediate: every request passes through the seller's room, which remembers
// revoked key ids (see room/revocations.ts) as it does signed-out devices.
import { ConsignError, ErrorCode } from "@consign/domain";
import { base64url, fromBase64url, hmacSign, hmacVerify } from "./crypto.ts";
import type { Identity } from "./identity.ts";

export const SIGNED_KEY_PREFIX = "csk_live_";
const SIGNED_PREFIX = "csk2.";

interface KeyClaims {
  /** Key id (key_…). */
  k: string;
  /** Seller id. */
  s: string;
  c: "read" | "write";
  n: string;
}

/** Makes the key text for a new key: shown once, stored only as a hash. */
export async function signApiKey(
  secret: string,
  claims: { id: string; sellerId: string; scope: "read" | "write"; name: string },
): Promise<string> {
  const body = base64url(
    new TextEncoder().encode(
      JSON.stringify({
        k: claims.id,
        s: claims.sellerId,
        c: claims.scope,
        n: claims.name,
      } satisfies KeyClaims),
    ),
  );
  return `${SIGNED_KEY_PREFIX}${body}.${await hmacSign(secret, SIGNED_PREFIX + body)}`;
}

/** True for keys in the signed form (older keys are a bare random string, checked by the Directory). */
export function isSignedApiKey(key: string): boolean {
  return key.startsWith(SIGNED_KEY_PREFIX) && key.includes(".");
}

function identityOf(claims: KeyClaims): Identity {
  return {
    sellerId: claims.s,
    userId: `apikey:${claims.k}`,
    role: claims.c === "write" ? "packer" : "viewer",
    sessionId: claims.k,
    name: claims.n,
    kind: "api-key",
    scope: claims.c,
  };
}

/** Verified keys, kept briefly so a busy integration does not pay for the HMAC on every call. */
const CACHE_MS = 60_000;
const CACHE_MAX = 2_000;
const cache = new Map<string, { identity: Identity; until: number }>();

/** The key's identity, or 401 when its signature is not ours. Revocation is the room's to check. */
export async function verifySignedApiKey(secret: string, key: string, now: number): Promise<Identity> {
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.identity;
  const [body, sig] = key.slice(SIGNED_KEY_PREFIX.length).split(".");
  const unknown = () =>
    new ConsignError(
      ErrorCode.Unauthenticated,
      "That API key is not known: copy it again from Settings → Integrations, or create a new one.",
    );
  if (!body || !sig || !(await hmacVerify(secret, SIGNED_PREFIX + body, sig))) throw unknown();
  let claims: KeyClaims;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as KeyClaims;
  } catch {
    throw unknown();
  }
  if (
    typeof claims.k !== "string" ||
    typeof claims.s !== "string" ||
    (claims.c !== "read" && claims.c !== "write")
  )
    throw unknown();
  const identity = identityOf({ ...claims, n: typeof claims.n === "string" ? claims.n : "API key" });
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, { identity, until: now + CACHE_MS });
  return identity;
}
