// GET /changes: every change to this seller's orders exactly once, in order (see room/changes.ts).
import { createRoute } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { changePageSchema, changesQuerySchema } from "../schemas/changes.ts";
import { errorResponses } from "../schemas/common.ts";

export function registerChangeRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const feed = createRoute({
    method: "get",
    path: "/changes",
    operationId: "listChanges",
    tags: ["Orders"],
    summary: "Follow every change to orders",
    description:
      "Every change to an order, ours included (label bought or voided, dispatch, confirmation, notes, state, stock shortfall) and Amazon's, exactly once and in order, even while changes happen as you read. Keep `nextCursor` and call again with `after=<nextCursor>`; read the order with GET /orders/{orderId} when you need all of it. The same events go to webhooks. Changes are kept 30 days: an older cursor gets 410.",
    middleware: guard(backendFor, "read"),
    request: { query: changesQuerySchema },
    responses: {
      200: {
        description: "A page of changes.",
        content: { "application/json": { schema: changePageSchema } },
      },
      ...errorResponses(400, 410),
    },
  });
  api.openapi(feed, async (c) => {
    const { after, limit } = c.req.valid("query");
    const page = unwrap(
      await backendFor(c.env, c.get("identity").sellerId).changesAfter(Number(after ?? 0), limit),
    );
    return c.json(
      {
        changes: page.changes.map((ch) => ({
          cursor: String(ch.revision),
          revision: ch.revision,
          type: ch.type,
          orderId: ch.orderId,
          occurredAt: iso(ch.at),
          state: ch.detail.state,
          trackingNumber: ch.detail.trackingNumber ?? null,
          shipmentId: ch.detail.shipmentId ?? null,
          short: ch.detail.short ?? null,
        })),
        nextCursor: String(page.next),
        hasMore: page.hasMore,
      },
      200,
    );
  });
}
