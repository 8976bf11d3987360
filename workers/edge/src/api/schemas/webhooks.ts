// Webhook endpoints and their delivery log.
import { z } from "@hono/zod-openapi";
import { WEBHOOK_EVENTS } from "../webhooks/events.ts";
import { targetUrlProblem } from "../webhooks/target.ts";
import { isoDateTime } from "./common.ts";

export const newWebhookSchema = z
  .object({
    url: z
      .string()
      .max(2000)
      .superRefine((url, ctx) => {
        const problem = targetUrlProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .openapi({ example: "https://example.co.uk/consign/webhooks" }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { message: `events are ${WEBHOOK_EVENTS.join(", ")}` }))
      .min(1, "subscribe to at least one event")
      .transform((events) => [...new Set(events)]),
    description: z.string().trim().max(200).optional(),
  })
  .openapi("NewWebhookEndpoint");

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    status: z
      .enum(["active", "failing"])
      .openapi({ description: "failing: a delivery was given up on; a later success clears it." }),
    createdAt: isoDateTime,
    failingSince: isoDateTime.nullable(),
    lastError: z.string().nullable(),
    secretRotatedAt: isoDateTime
      .nullable()
      .openapi({ description: "When the signing secret was last rotated; null if never." }),
    previousSecretExpiresAt: isoDateTime.nullable().openapi({
      description:
        "Until when deliveries also carry a signature made with the secret before the last rotation; null when only the current secret signs.",
    }),
    failedDeliveries: z.number().int().openapi({
      description: "Deliveries Consign gave up on. POST /webhooks/{id}/retry sends them again.",
    }),
    waitingDeliveries: z.number().int().openapi({
      description:
        "Deliveries that failed at least once and wait for their next attempt (backoff). POST /webhooks/{id}/retry sends them now.",
    }),
  })
  .openapi("WebhookEndpoint");

export const createdWebhookSchema = z
  .object({
    endpoint: webhookEndpointSchema,
    secret: z.string().openapi({
      description:
        "Signing secret (Standard Webhooks, whsec_…). Shown only now: store it to verify webhook-signature.",
    }),
  })
  .openapi("CreatedWebhookEndpoint");

export const webhookDeliverySchema = z
  .object({
    id: z.number().int(),
    messageId: z.string().openapi({ description: "The webhook-id header: the same on every retry." }),
    eventType: z.enum(WEBHOOK_EVENTS),
    attempt: z.number().int(),
    at: isoDateTime,
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
    gaveUp: z.boolean(),
    messageState: z.enum(["pending", "delivered", "failed"]).openapi({
      description:
        "Where this attempt's message stands now: pending (another attempt is due), delivered, or failed (given up on: retry it).",
    }),
  })
  .openapi("WebhookDelivery");

export const rotateSecretSchema = z
  .object({
    graceHours: z.number().int().min(0).max(168).optional().openapi({
      description:
        "How long the old secret keeps signing beside the new one, in hours (default 24; 0 stops it at once, for a secret that leaked).",
      example: 24,
    }),
  })
  .openapi("RotateWebhookSecret");

export const rotatedSecretSchema = z
  .object({
    endpoint: webhookEndpointSchema,
    secret: z.string().openapi({
      description:
        "The new signing secret (whsec_…). Shown only now: put it beside the old one in your receiver.",
    }),
  })
  .openapi("RotatedWebhookSecret");

export const webhookRetrySchema = z
  .object({
    retried: z.number().int().openapi({ description: "How many deliveries are being sent again now." }),
    messageIds: z.array(z.string()).openapi({
      description: "Their webhook-id values: the same as in their first delivery, so a receiver can dedupe.",
    }),
  })
  .openapi("WebhookRetry");

export const webhookMessageParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
  messageId: z
    .string()
    .min(1)
    .max(100)
    .openapi({
      param: {
        name: "messageId",
        in: "path",
        description: "The delivery's webhook-id (messageId in its log).",
      },
    }),
});

export const webhookIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
