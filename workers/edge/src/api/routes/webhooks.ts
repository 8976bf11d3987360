// Owner only: POST/GET /webhooks, DELETE /webhooks/{id}, GET /webhooks/{id}/deliveries.
import { ConsignError, ErrorCode } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { WebhookEndpointRecord } from "../backend.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { errorResponses, idempotencyHeaders } from "../schemas/common.ts";
import {
  createdWebhookSchema,
  deliveriesQuerySchema,
  newWebhookSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookIdParams,
} from "../schemas/webhooks.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

function presentEndpoint(e: WebhookEndpointRecord) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    status: e.status,
    createdAt: iso(e.createdAt),
    failingSince: e.failingSince === null ? null : iso(e.failingSince),
    lastError: e.lastError,
  };
}

const unknownEndpoint = (id: string) =>
  new ConsignError(ErrorCode.NotFound, `No webhook endpoint ${id} for this seller.`);

export function registerWebhookRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const create = createRoute({
    method: "post",
    path: "/webhooks",
    tags: ["Webhooks"],
    summary: "Register a webhook endpoint",
    description:
      "Deliveries are signed the Standard Webhooks way: headers webhook-id, webhook-timestamp and webhook-signature (`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret's bytes after `whsec_`). Failed deliveries are retried with exponential backoff for about 18 hours.",
    middleware: guard(backendFor, "manage", { idempotent: true }),
    request: { headers: idempotencyHeaders, body: { required: true, content: json(newWebhookSchema) } },
    responses: {
      201: {
        description: "Registered. The secret is shown only in this answer.",
        content: json(createdWebhookSchema),
      },
      ...errorResponses(400, 409, 422),
    },
  });
  api.openapi(create, async (c) => {
    const identity = c.get("identity");
    const body = c.req.valid("json");
    const created = unwrap(await backendFor(c.env, identity.sellerId).createWebhook(identity, body));
    const { secret, ...endpoint } = created;
    return c.json({ endpoint: presentEndpoint(endpoint), secret }, 201);
  });

  const list = createRoute({
    method: "get",
    path: "/webhooks",
    tags: ["Webhooks"],
    summary: "List webhook endpoints",
    middleware: guard(backendFor, "manage"),
    responses: {
      200: {
        description: "Every endpoint (secrets are never shown again).",
        content: json(z.object({ endpoints: z.array(webhookEndpointSchema) })),
      },
      ...errorResponses(),
    },
  });
  api.openapi(list, async (c) => {
    const endpoints = unwrap(await backendFor(c.env, c.get("identity").sellerId).listWebhooks());
    return c.json({ endpoints: endpoints.map(presentEndpoint) }, 200);
  });

  const remove = createRoute({
    method: "delete",
    path: "/webhooks/{id}",
    tags: ["Webhooks"],
    summary: "Delete a webhook endpoint",
    middleware: guard(backendFor, "manage"),
    request: { params: webhookIdParams },
    responses: {
      200: {
        description: "Deleted, with its queued deliveries.",
        content: json(z.object({ deleted: z.literal(true) })),
      },
      ...errorResponses(404),
    },
  });
  api.openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    unwrap(await backendFor(c.env, c.get("identity").sellerId).deleteWebhook(id));
    return c.json({ deleted: true as const }, 200);
  });

  const deliveries = createRoute({
    method: "get",
    path: "/webhooks/{id}/deliveries",
    tags: ["Webhooks"],
    summary: "Delivery log",
    description: "Each attempt, newest first: HTTP status, attempt number, time and error.",
    middleware: guard(backendFor, "manage"),
    request: { params: webhookIdParams, query: deliveriesQuerySchema },
    responses: {
      200: {
        description: "Attempts, newest first.",
        content: json(z.object({ deliveries: z.array(webhookDeliverySchema) })),
      },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(deliveries, async (c) => {
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    const log = unwrap(await backendFor(c.env, c.get("identity").sellerId).webhookDeliveries(id, limit));
    if (!log) throw unknownEndpoint(id);
    return c.json({ deliveries: log.map(({ endpointId: _e, ...d }) => ({ ...d, at: iso(d.at) })) }, 200);
  });
}
