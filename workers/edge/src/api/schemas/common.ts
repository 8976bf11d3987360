// Schemas shared by every route: the error body, ids, headers. One zod schema both validates a
// request and describes it in the OpenAPI document.
import { ErrorCode } from "@consign/domain";
import { z } from "@hono/zod-openapi";

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
      message: z.string().openapi({ description: "What went wrong and what to do about it, for a person." }),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .openapi({ description: "The request fields at fault (dotted paths), empty when none." }),
    }),
  })
  .openapi("Error");

const errorMeaning: Record<number, string> = {
  400: "The request is malformed: `fields` names each field at fault.",
  401: "No valid access token or API key.",
  403: "The key or role may not do this (a read key cannot write; only owners manage webhooks).",
  404: "Not found for this seller.",
  409: "Conflicts with the current state, or a request with the same Idempotency-Key is still running.",
  410: "No longer kept: start again as the message says.",
  422: "The Idempotency-Key was already used with a different request.",
  429: "Too many requests: wait the number of seconds in Retry-After.",
  502: "The courier (or Amazon) refused the request or did not answer: the message says which and why.",
};

/** Error responses for a route, all in the one error shape. */
export function errorResponses<const S extends readonly (keyof typeof errorMeaning & number)[]>(
  ...statuses: S
) {
  const out: Record<
    number,
    { description: string; content: { "application/json": { schema: typeof errorBodySchema } } }
  > = {};
  for (const s of [401, 403, 429, ...statuses]) {
    out[s] = {
      description: errorMeaning[s] ?? "Error",
      content: { "application/json": { schema: errorBodySchema } },
    };
  }
  return out as {
    [K in S[number] | 401 | 403 | 429]: {
      description: string;
      content: { "application/json": { schema: typeof errorBodySchema } };
    };
  };
}

/** Amazon order ids look like 202-1234567-1234567; sandbox and test ids may differ, so only the charset is checked. */
export const orderIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, "an order id has letters, digits and dashes, e.g. 202-1234567-1234567")
  .openapi({ example: "202-1234567-1234567" });

export const orderIdParams = z.object({
  orderId: orderIdSchema.openapi({ param: { name: "orderId", in: "path" } }),
});

export const orderIdListSchema = z
  .array(orderIdSchema)
  .min(1, "give at least one order id")
  .max(500, "at most 500 orders at a time")
  .refine((ids) => new Set(ids).size === ids.length, "each order id may appear once");

export const idempotencyHeaders = z.object({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(255, "an Idempotency-Key is at most 255 characters")
    .optional()
    .openapi({
      param: { name: "Idempotency-Key", in: "header" },
      description:
        "Any unique string (a UUID is ideal). Repeat a request with the same key to get the first answer back without doing the work twice; kept 24 hours.",
    }),
});

export const isoDateTime = z.string().openapi({ format: "date-time", example: "2026-11-25T12:00:00.000Z" });
export const moneySchema = z.object({ amount: z.string(), currencyCode: z.string() }).openapi("Money");

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO 8601 date-time with its offset (never "10/07/2026", which JavaScript reads as 7 October). */
export function parseInstant(text: string): number | null {
  if (!ISO_INSTANT.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}
