// Every extra SP-API call passes here: who is calling (an access token the sandbox's Login with
// Amazon issued to this seller, not expired or revoked: the same check as the Orders API part), the
// seller's clock and seed (from its Durable Object, in the same round trip), the usage plan (429
// with x-amzn-RateLimit-Limit when the bucket is empty) and the fault switches.

import { sellerOf } from "../amazon/credentials.ts";
import { amazonErrors, droppedConnection, quotaExceeded, unauthorized } from "../amazon/responses.ts";
import type { SandboxOrder } from "../amazon/wire.ts";
import type { SandboxEnv } from "../env.ts";
import { outcomesOf, simBuyerEvents, simSnapshot } from "../sim/seller-outcomes.ts";
import type { ExtraAccess } from "./access.ts";
import { type BuyerEvents, buyerEvents } from "./buyer-events.ts";
import {
  EXTRA_PLANS,
  type ExtraOperation,
  rollExtraFault,
  rollLostConnection,
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
  /** The seller's orders visible at `now`: its demo orders, or the simulated world's (../sim). */
  orders: () => Promise<SandboxOrder[]>;
  /**
   * What the seller's buyers did after dispatch (feedback, A-to-z claims, chargebacks, refunds): one
   * list the performance report, the feedback report and Finances all read, so they agree.
   */
  buyerEvents: () => Promise<BuyerEvents>;
  /** A listing quantity Amazon accepted: buyers can order that many units from now on. */
  setListingQuantity: (sku: string, quantity: number) => Promise<void>;
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
  if (!token || !sellerId) {
    return unauthorized("The access token you provided is revoked, malformed or invalid.", String(plan.rate));
  }
  const stub = env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(sellerId));
  const summary = (await stub.extraAccess(
    token,
    request.method,
    new URL(request.url).pathname,
  )) as ExtraAccess;
  const now = Date.parse(summary.now);
  const scale = summary.faults.rateScale ?? 1;
  const rateLimit = String(plan.rate * scale);
  if (summary.verdict === "expired") {
    return unauthorized("The access token you provided has expired.", rateLimit);
  }
  if (summary.verdict === "not_covered") {
    return unauthorized("The Restricted Data Token does not cover this resource.", rateLimit);
  }
  if (summary.verdict !== "ok") {
    return unauthorized("The access token you provided is revoked, malformed or invalid.", rateLimit);
  }
  const extra = sellerExtra(sellerId);
  if (!takeToken(extra, op, scale, now)) {
    return quotaExceeded(rateLimit);
  }
  const fault = rollExtraFault(extra, op);
  if (fault === "throttle") {
    return quotaExceeded(rateLimit);
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
  const lost = rollLostConnection(extra, op);
  if (lost === "request") return connectionLost();
  const world = sellerWorld(env, sellerId, now, summary);
  const answer = await handle({
    sellerId,
    now,
    rateLimit,
    extra,
    orders: world.orders,
    buyerEvents: world.events,
    setListingQuantity: async (sku, quantity) => {
      await stub.setListingQuantity(sku, quantity);
    },
  });
  if (lost === "answer") {
    await answer.body?.cancel();
    return connectionLost();
  }
  return answer;
}

export interface SellerWorld {
  orders(): Promise<SandboxOrder[]>;
  events(): Promise<BuyerEvents>;
}

/** Runs `make` once, when first asked. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/**
 * The seller's orders visible at `now` and what its buyers did, each read when first asked (a review
 * request's lookup needs the orders only): a simulated seller's are the world's (its confirmations,
 * deliveries from the couriers' scans and its buyers, as the simulation's own health figures read them:
 * ../sim/seller-outcomes.ts); a demo seller's come from its seed.
 */
export function sellerWorld(
  env: SandboxEnv,
  sellerId: string,
  now: number,
  seller: { seeded: SeededInfo | null; simulated?: boolean },
): SellerWorld {
  if (seller.simulated) {
    const snap = once(() => simSnapshot(env, sellerId));
    const orders = once(async () =>
      (await snap()).rows
        .filter((r) => r.createdMs <= now)
        .map((r) => ({ order: r.order, createdMs: r.createdMs, updatedMs: r.updatedMs })),
    );
    const events = once(async () =>
      simBuyerEvents((await outcomesOf(env, await snap())).outcomes, await orders()),
    );
    return { orders, events };
  }
  const orders = once(async () => sellerOrders(sellerId, seller.seeded).filter((o) => o.createdMs <= now));
  const events = once(async () => buyerEvents(sellerId, await orders(), now));
  return { orders, events };
}

/** A connection that drops before the answer arrives: the caller's read of the body fails. */
function connectionLost(): Response {
  return droppedConnection();
}
