// Solicitations API v1: the "request a review" action is offered from 5 to 30 days after the
// order's delivery date, once per order. The sandbox takes the delivery date as the order's latest
// promised delivery date (deliverByWindow.latestDateTime) for a shipped order: it has no carrier
// scans. After one solicitation is sent the action is no longer offered, and a second send is
// refused with 400 InvalidInput "A solicitation has already been sent for this order." (the model
// says "send only one … per order"; it does not give the error, so this is the sandbox's choice).

import { amazonErrors, amazonJson, invalidInput } from "../amazon/responses.ts";
import type { SandboxOrder } from "../amazon/wire.ts";
import type { CallContext } from "./gate.ts";

const DAY = 86_400_000;
export const WINDOW_DAYS = { from: 5, to: 30 };

function window(o: SandboxOrder): { from: number; to: number } | undefined {
  if (o.order.fulfillment.fulfillmentStatus !== "SHIPPED") return undefined;
  const delivered = Date.parse(o.order.fulfillment.deliverByWindow.latestDateTime ?? "");
  if (!Number.isFinite(delivered)) return undefined;
  return { from: delivered + WINDOW_DAYS.from * DAY, to: delivered + WINDOW_DAYS.to * DAY };
}

async function lookup(ctx: CallContext, orderId: string, url: URL): Promise<SandboxOrder | Response> {
  const marketplaces = url.searchParams.get("marketplaceIds");
  if (!marketplaces) return invalidInput("Missing required parameter: marketplaceIds.", ctx.rateLimit);
  const order = (await ctx.orders()).find((o) => o.order.orderId === orderId);
  if (!order)
    return amazonErrors(
      404,
      "NotFound",
      "The order was not found.",
      `amazonOrderId ${orderId}`,
      ctx.rateLimit,
    );
  return order;
}

const eligible = (ctx: CallContext, o: SandboxOrder) => {
  const w = window(o);
  return !!w && ctx.now >= w.from && ctx.now <= w.to && !ctx.extra.solicitations.has(o.order.orderId);
};

export async function getSolicitationActionsForOrder(
  ctx: CallContext,
  orderId: string,
  url: URL,
): Promise<Response> {
  const order = await lookup(ctx, orderId, url);
  if (order instanceof Response) return order;
  const m = url.searchParams.get("marketplaceIds") as string;
  const base = `/solicitations/v1/orders/${orderId}`;
  const action = `${base}/solicitations/productReviewAndSellerFeedback?marketplaceIds=${m}`;
  const offered = eligible(ctx, order);
  return amazonJson(
    {
      _links: {
        actions: offered ? [{ href: action, name: "productReviewAndSellerFeedback" }] : [],
        self: { href: `${base}?marketplaceIds=${m}` },
      },
      _embedded: {
        actions: offered
          ? [
              {
                _links: {
                  self: { href: action },
                  schema: { href: `${base}/solicitations/productReviewAndSellerFeedback/schema` },
                },
                payload: { name: "productReviewAndSellerFeedback" },
              },
            ]
          : [],
      },
    },
    ctx.rateLimit,
  );
}

export async function createSolicitation(ctx: CallContext, orderId: string, url: URL): Promise<Response> {
  const order = await lookup(ctx, orderId, url);
  if (order instanceof Response) return order;
  if (ctx.extra.solicitations.has(orderId)) {
    ctx.extra.refusedSolicitations.push({ orderId, at: ctx.now, reason: "already sent" });
    return invalidInput(
      "A solicitation has already been sent for this order.",
      ctx.rateLimit,
      "Send only one productReviewAndSellerFeedback solicitation per order.",
    );
  }
  if (!eligible(ctx, order)) {
    ctx.extra.refusedSolicitations.push({ orderId, at: ctx.now, reason: "not eligible" });
    return invalidInput(
      "This order is not eligible for a productReviewAndSellerFeedback solicitation.",
      ctx.rateLimit,
      `Solicitations can be sent ${WINDOW_DAYS.from} to ${WINDOW_DAYS.to} days after delivery.`,
    );
  }
  ctx.extra.solicitations.set(orderId, ctx.now);
  return amazonJson({}, ctx.rateLimit, 201);
}
