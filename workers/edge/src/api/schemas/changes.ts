// GET /changes: the change feed, one entry per change to an order, oldest first.
import { z } from "@hono/zod-openapi";
import { WEBHOOK_EVENTS } from "../webhooks/events.ts";
import { isoDateTime } from "./common.ts";

export const changeCursor = z
  .string()
  .regex(/^\d{1,15}$/, "use nextCursor from the previous page (or 0 to start from the oldest kept change)");

export const changesQuerySchema = z.object({
  after: changeCursor.optional().openapi({
    description:
      "Changes after this cursor: `nextCursor` of the previous page. Leave out (or 0) to start from the oldest change kept (30 days).",
    example: "1042",
  }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const changeSchema = z
  .object({
    cursor: z
      .string()
      .openapi({ description: "This change's position: pass it as `after` to read what follows." }),
    revision: z
      .number()
      .int()
      .openapi({ description: "The same position as a number; the order's `revision` after this change." }),
    type: z.enum(WEBHOOK_EVENTS),
    orderId: z.string(),
    occurredAt: isoDateTime,
    state: z.string().openapi({ description: "The order's state right after the change." }),
    trackingNumber: z
      .string()
      .nullable()
      .openapi({ description: "The active label's tracking number, if any." }),
    shipmentId: z
      .string()
      .nullable()
      .openapi({ description: "shipment.created / shipment.voided: the label concerned." }),
    short: z
      .array(z.object({ sku: z.string(), needed: z.number().int(), available: z.number().int() }))
      .nullable()
      .openapi({ description: "order.stock_short: what stock is short of." }),
  })
  .openapi("Change");

export const changePageSchema = z
  .object({
    changes: z.array(changeSchema),
    nextCursor: z.string().openapi({
      description:
        "Pass as `after` for the next page. Always present: when `hasMore` is false, poll again later with it.",
    }),
    hasMore: z.boolean(),
  })
  .openapi("ChangePage");
