// POST /orders/{orderId}/accept-cancellation: the buyer asked to cancel; cancel it on Amazon as theirs.
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { errorResponses, idempotencyHeaders, orderIdParams } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

export const acceptedCancellationSchema = z
  .object({
    orderId: z.string(),
    state: z.enum(["cancelled", "processing"]).openapi({
      description:
        "cancelled: Amazon's processing report accepted it and the order is cancelled. processing: Amazon has the feed but has not finished; the order shows as cancelled once Amazon does (send the same request again to check).",
    }),
    feedId: z
      .string()
      .nullable()
      .openapi({ description: "Amazon's id of the order acknowledgement feed sent." }),
  })
  .openapi("AcceptedCancellation");

export function registerCancellationRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const accept = createRoute({
    method: "post",
    path: "/orders/{orderId}/accept-cancellation",
    tags: ["Orders"],
    summary: "Accept the buyer's cancellation request",
    description:
      "Cancels the order on Amazon as a buyer-requested cancellation (order acknowledgement feed: StatusCode Failure, CancelReason BuyerCanceled for every item), which keeps it out of the seller's cancellation rate. Only for an order whose buyer asked to cancel, not dispatched, without a live label (void it first). Send an Idempotency-Key.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { params: orderIdParams, headers: idempotencyHeaders },
    responses: {
      200: {
        description: "Cancelled on Amazon, or still with Amazon.",
        content: json(acceptedCancellationSchema),
      },
      ...errorResponses(400, 404, 409, 422, 502),
    },
  });
  api.openapi(accept, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const result = unwrap(await backendFor(c.env, identity.sellerId).acceptCancellation(identity, orderId));
    return c.json(result, 200);
  });
}
