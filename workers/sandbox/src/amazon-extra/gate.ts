// Every extra SP-API call passes here: who is calling (the access token names the seller), the
// seller's clock and seed (from its Durable Object), the usage plan (429 with
// x-amzn-RateLimit-Limit when the bucket is empty) and the fault switches.
//
// The access token's form is checked (an `Atza|<seller>|…` or RDT credential) but not its expiry
// or revocation: the seller's Durable Object keeps those and has no RPC to ask. The lead may add a
// `checkAccessToken(token)` RPC to AmazonSellerState to close that gap.

import { PREFIX, sellerOf } from "../amazon/credentials.ts";
import { amazonErrors, unauthorized } from "../amazon/responses.ts";
import type { SandboxOrder } from "../amazon/wire.ts";
import type { SandboxEnv } from "../env.ts";
import {
  EXTRA_PLANS,
  type ExtraOperation,
  rollExtraFault,
  type SeededInfo,
  type SellerExtra,
  sellerExtra,
  sellerOrders,
  takeToken,
} from "./world.ts";

export interface CallContext {
  sellerId: string;
  now: number;
  rateLimit: string;
  extra: SellerExtra;
  /** The seller's orders visible at `now`. */
  orders: () => SandboxOrder[];
}

export async function gate(
  request: Request,
  env: SandboxEnv,
  op: ExtraOperation,
  handle: (ctx: CallContext) => Response | Promise<Response>,
): Promise<Response> {
  const token = request.headers.get("x-amz-access-token");
  const sellerId = sellerOf(token);
  const plan = EXTRA_PLANS[op];
  if (!sellerId || !(token?.startsWith(`${PREFIX.access}|`) || token?.startsWith(`${PREFIX.rdt}|`))) {
    return unauthorized("The access token you provided is revoked, malformed or invalid.", String(plan.rate));
  }
  const stub = env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(sellerId));
  const summary = (await stub.summary()) as unknown as {
    now: string;
    seeded: SeededInfo | null;
    faults: { rateScale?: number };
  };
  const now = Date.parse(summary.now);
  const scale = summary.faults.rateScale ?? 1;
  const rateLimit = String(plan.rate * scale);
  const extra = sellerExtra(sellerId);
  if (!takeToken(extra, op, scale, now)) {
    return amazonErrors(
      429,
      "QuotaExceeded",
      "You exceeded your quota for the requested resource.",
      "",
      rateLimit,
    );
  }
  const fault = rollExtraFault(extra, op);
  if (fault === "throttle") {
    return amazonErrors(
      429,
      "QuotaExceeded",
      "You exceeded your quota for the requested resource.",
      "",
      rateLimit,
    );
  }
  if (fault === 500) {
    return amazonErrors(
      500,
      "InternalFailure",
      "We encountered an internal error. Please try again.",
      "",
      rateLimit,
    );
  }
  if (fault === 503) {
    return amazonErrors(
      503,
      "ServiceUnavailable",
      "Service temporarily unavailable. Please try again.",
      "",
      rateLimit,
    );
  }
  let cached: SandboxOrder[] | undefined;
  return handle({
    sellerId,
    now,
    rateLimit,
    extra,
    orders: () => {
      cached ??= sellerOrders(sellerId, summary.seeded).filter((o) => o.createdMs <= now);
      return cached;
    },
  });
}
