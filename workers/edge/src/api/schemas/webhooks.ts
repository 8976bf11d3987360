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
  })
  .openapi("WebhookDelivery");

export const webhookIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
