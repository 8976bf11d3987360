// GET /orders, GET /orders/{orderId}, GET /orders/{orderId}/confirmation.
import { ConsignError, ErrorCode } from "@consign/domain";
import { createRoute } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { presentConfirmation, presentOrder } from "../present.ts";
import { errorResponses, orderIdParams } from "../schemas/common.ts";
import { confirmationSchema, orderPageSchema, orderQuerySchema, orderSchema } from "../schemas/orders.ts";
import type { OrderQuery } from "../select.ts";

export function registerOrderRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const list = createRoute({
    method: "get",
    path: "/orders",
    tags: ["Orders"],
    summary: "List orders",
    description:
      "Filter by state, ship-by bucket, courier, Prime, marketplace, search text or change time; page with `cursor`.",
    middleware: guard(backendFor, "read"),
    request: { query: orderQuerySchema },
    responses: {
      200: { description: "A page of orders.", content: { "application/json": { schema: orderPageSchema } } },
      ...errorResponses(400),
    },
  });
  api.openapi(list, async (c) => {
    const now = Date.now();
    const query: OrderQuery = c.req.valid("query") as OrderQuery;
    const page = unwrap(await backendFor(c.env, c.get("identity").sellerId).listOrders(query, now));
    // Presented on the clock the room selected them with (the ship-by filter and the bucket agree).
    const at = page.clock ?? { now, cutoff: undefined, couriers: undefined };
    return c.json(
      {
        orders: page.orders.map((o) => presentOrder(o, at.now, at.cutoff, at.couriers)),
        nextCursor: page.nextCursor,
      },
      200,
    );
  });

  const one = createRoute({
    method: "get",
    path: "/orders/{orderId}",
    tags: ["Orders"],
    summary: "Get one order",
    middleware: guard(backendFor, "read"),
    request: { params: orderIdParams },
    responses: {
      200: { description: "The order.", content: { "application/json": { schema: orderSchema } } },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(one, async (c) => {
    const { orderId } = c.req.valid("param");
    const backend = backendFor(c.env, c.get("identity").sellerId);
    const [found, clock] = await Promise.all([backend.getOrder(orderId), backend.dispatchClock()]);
    const order = unwrap(found);
    if (!order) throw notFound(orderId);
    const at = unwrap(clock);
    return c.json(presentOrder(order, at.now, at.cutoff, at.couriers), 200);
  });

  const confirmation = createRoute({
    method: "get",
    path: "/orders/{orderId}/confirmation",
    tags: ["Dispatch"],
    summary: "Dispatch confirmation status",
    description:
      "Whether Amazon has accepted the dispatch confirmation, and Amazon's reason when it refused.",
    middleware: guard(backendFor, "read"),
    request: { params: orderIdParams },
    responses: {
      200: {
        description: "Where the confirmation stands.",
        content: { "application/json": { schema: confirmationSchema } },
      },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(confirmation, async (c) => {
    const { orderId } = c.req.valid("param");
    const order = unwrap(await backendFor(c.env, c.get("identity").sellerId).getOrder(orderId));
    if (!order) throw notFound(orderId);
    return c.json(presentConfirmation(order), 200);
  });
}

export function notFound(orderId: string): ConsignError {
  return new ConsignError(ErrorCode.NotFound, `No order ${orderId} for this seller.`, [
    { path: "orderId", message: "not found" },
  ]);
}
