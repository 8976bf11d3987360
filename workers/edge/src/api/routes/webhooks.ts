// Owner only: POST/GET /webhooks, DELETE /webhooks/{id}, GET /webhooks/{id}/deliveries,
// POST /webhooks/{id}/rotate-secret, POST /webhooks/{id}/retry, POST /webhooks/{id}/messages/{messageId}/retry.
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
  rotatedSecretSchema,
  rotateSecretSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookIdParams,
  webhookMessageParams,
  webhookRetrySchema,
} from "../schemas/webhooks.ts";

/** How receivers verify, said once for the create and rotate operations and the webhooks section. */
export const SIGNING =
  "Deliveries are signed the Standard Webhooks way: headers webhook-id, webhook-timestamp and webhook-signature (`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret's bytes after `whsec_`). After a secret is rotated, webhook-signature carries two signatures separated by a space (`v1,<new> v1,<old>`) for the grace period (24 hours unless chosen otherwise), then only the new one: accept a delivery when any signature matches a secret you hold.";

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
    secretRotatedAt: e.secretRotatedAt === null ? null : iso(e.secretRotatedAt),
    previousSecretExpiresAt: e.previousSecretExpiresAt === null ? null : iso(e.previousSecretExpiresAt),
    failedDeliveries: e.failedDeliveries,
    waitingDeliveries: e.waitingDeliveries,
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
    description: `${SIGNING} Failed deliveries are retried with exponential backoff for about 18 hours, then kept as failed until retried (POST /webhooks/{id}/retry).`,
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
    description:
      "Each attempt, newest first: HTTP status, attempt number, time and error. The log keeps 30 days: a message delivered or given up on more than 30 days ago leaves it with its attempts, and can no longer be retried; a message still being delivered is kept.",
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

  const rotate = createRoute({
    method: "post",
    path: "/webhooks/{id}/rotate-secret",
    tags: ["Webhooks"],
    summary: "Rotate an endpoint's signing secret",
    description: `Owner only. A new secret, shown only in this answer. ${SIGNING} Rotating again during the grace period ends the older secret at once: at most two secrets sign.`,
    middleware: guard(backendFor, "manage", { idempotent: true }),
    request: {
      params: webhookIdParams,
      headers: idempotencyHeaders,
      body: { required: false, content: json(rotateSecretSchema) },
    },
    responses: {
      200: {
        description: "Rotated. The new secret is shown only in this answer.",
        content: json(rotatedSecretSchema),
      },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(rotate, async (c) => {
    const { id } = c.req.valid("param");
    const { graceHours } = c.req.valid("json");
    const rotated = unwrap(
      await backendFor(c.env, c.get("identity").sellerId).rotateWebhookSecret(
        id,
        (graceHours ?? 24) * 60 * 60 * 1000,
      ),
    );
    const { secret, ...endpoint } = rotated;
    return c.json({ endpoint: presentEndpoint(endpoint), secret }, 200);
  });

  const retryAll = createRoute({
    method: "post",
    path: "/webhooks/{id}/retry",
    tags: ["Webhooks"],
    summary: "Retry an endpoint's failed deliveries",
    description:
      "Owner only. Every delivery Consign gave up on, and every one waiting for its next attempt, is sent again now, each with its first webhook-id (dedupe on it) and a fresh round of retries. Delivered messages are not sent again.",
    middleware: guard(backendFor, "manage", { idempotent: true }),
    request: { params: webhookIdParams, headers: idempotencyHeaders },
    responses: {
      200: { description: "What is being sent again.", content: json(webhookRetrySchema) },
      ...errorResponses(404),
    },
  });
  api.openapi(retryAll, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(unwrap(await backendFor(c.env, c.get("identity").sellerId).retryWebhook(id)), 200);
  });

  const retryOne = createRoute({
    method: "post",
    path: "/webhooks/{id}/messages/{messageId}/retry",
    tags: ["Webhooks"],
    summary: "Retry one delivery",
    description:
      "Owner only. Sends one message again now (failed or waiting), with the same webhook-id as before. A message already delivered answers 409.",
    middleware: guard(backendFor, "manage", { idempotent: true }),
    request: { params: webhookMessageParams, headers: idempotencyHeaders },
    responses: {
      200: { description: "Being sent again.", content: json(webhookRetrySchema) },
      ...errorResponses(404, 409),
    },
  });
  api.openapi(retryOne, async (c) => {
    const { id, messageId } = c.req.valid("param");
    return c.json(
      unwrap(await backendFor(c.env, c.get("identity").sellerId).retryWebhook(id, messageId)),
      200,
    );
  });
}
