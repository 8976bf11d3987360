// Who may call the extra operations: the same check the Orders API part of the sandbox makes. The
// access token must be one the sandbox's Login with Amazon issued for this very seller (it lives in
// that seller's Durable Object), not revoked, not expired; a Restricted Data Token must cover the
// path. The seller's Durable Object answers it (AmazonSellerState.extraAccess) with the seller's
// clock and seed in one round trip.

import { type RdtScope, rdtCovers } from "../amazon/credentials.ts";
import type { Credential } from "../amazon/store.ts";
import type { SeededInfo } from "./world.ts";

export type AccessVerdict = "ok" | "unknown" | "expired" | "not_covered";

export interface ExtraAccess {
  verdict: AccessVerdict;
  now: string;
  seeded: SeededInfo | null;
  faults: { rateScale?: number };
  /** The month simulation's seller (../sim): its orders and buyers are the simulated world's. */
  simulated?: boolean;
}

/** What the Orders API part answers for this credential (the same order of checks). */
export function accessVerdict(
  cred: Credential | undefined,
  now: number,
  method: string,
  path: string,
): AccessVerdict {
  if (!cred || cred.revoked || (cred.kind !== "access" && cred.kind !== "rdt")) return "unknown";
  if (cred.expiresMs !== null && cred.expiresMs < now) return "expired";
  if (cred.kind === "rdt") {
    let scope: RdtScope = { resources: [] };
    try {
      scope = JSON.parse(cred.scope ?? '{"resources":[]}') as RdtScope;
    } catch {
      return "not_covered";
    }
    if (!rdtCovers(scope, method, path)) return "not_covered";
  }
  return "ok";
}
