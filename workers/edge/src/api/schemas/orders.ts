// An order as integrations see it (times as ISO 8601), and the list query.
import { ORDER_STATES, SHIP_BY_BUCKETS } from "@consign/domain";
import { z } from "@hono/zod-openapi";
import { decodeCursor } from "../select.ts";
import { isoDateTime, moneySchema, parseInstant } from "./common.ts";

export const COURIERS = ["royal-mail", "evri", "dpd", "amazon-shipping"] as const;
const states = ORDER_STATES as unknown as [string, ...string[]];
const buckets = SHIP_BY_BUCKETS as unknown as [string, ...string[]];

const addressSchema = z
  .object({
    name: z.string(),
    line1: z.string(),
    line2: z.string().nullable(),
    line3: z.string().nullable(),
    city: z.string(),
    county: z.string().nullable(),
    postcode: z.string(),
    countryCode: z.string(),
    phone: z.string().nullable(),
  })
  .openapi("Address");

export const shipmentSchema = z
  .object({
    id: z.string(),
    courier: z.enum(COURIERS),
    serviceCode: z.string(),
    trackingNumber: z.string(),
    amazonCarrierCode: z.string(),
    boughtAt: isoDateTime,
    voidedAt: isoDateTime.nullable(),
    cost: moneySchema.nullable(),
    hasLabel: z.boolean(),
    manifest: z.object({ number: z.string(), at: isoDateTime }).nullable().openapi({
      description: "The end-of-day manifest the label went on; a manifested label cannot be voided.",
    }),
  })
  .openapi("Shipment");

export const confirmationSchema = z
  .object({
    orderId: z.string(),
    state: z.enum(["none", "pending", "confirmed", "failed"]),
    confirmedAt: isoDateTime
      .nullable()
      .openapi({ description: "When Amazon accepted it: the moment Amazon counts for late dispatch." }),
    attempts: z.number().int(),
    error: z.string().nullable().openapi({ description: "Amazon's reason, when it refused." }),
    needsAttention: z.boolean(),
  })
  .openapi("DispatchConfirmation");

export const orderSchema = z
  .object({
    orderId: z.string(),
    marketplaceId: z.string(),
    purchasedAt: isoDateTime,
    updatedAt: isoDateTime.openapi({ description: "Amazon's last change to the order (Amazon's clock)." }),
    revision: z.number().int().openapi({
      description:
        "This seller's change-feed revision of the order's latest change (ours or Amazon's); grows with every change. 0: unchanged since the feed began.",
    }),
    changedAt: isoDateTime.openapi({
      description:
        "When the order last changed, ours included (label bought or voided, dispatch, confirmation, notes, state): what updatedSince compares.",
    }),
    amazonStatus: z.string(),
    fulfilmentChannel: z.enum(["MFN", "AFN"]),
    shipServiceLevel: z.string(),
    isPrime: z.boolean(),
    isBusiness: z.boolean(),
    shipBy: z.object({
      earliest: isoDateTime,
      latest: isoDateTime,
      bucket: z.enum(buckets),
      risk: z.enum(["late", "misses_collection"]).nullable().openapi({
        description:
          "For an order still to leave, read on the seller's clock against its courier's cut-off (the courier of its label, else of its chosen service: GET /api/v1/settings/courier-day `couriers`), or the team's dispatch cut-off (Settings → Warehouse) while it has no courier: late once its ship-by has passed; misses_collection when the next collection comes after its ship-by (today's cut-off has gone). Null when the next collection is in time, or the order has left.",
      }),
    }),
    deliverBy: z.object({ earliest: isoDateTime.nullable(), latest: isoDateTime.nullable() }),
    orderTotal: moneySchema.nullable(),
    items: z.array(
      z.object({
        orderItemId: z.string(),
        sku: z.string(),
        asin: z.string(),
        title: z.string(),
        quantityOrdered: z.number().int(),
        quantityShipped: z.number().int(),
        unitPrice: moneySchema.nullable(),
      }),
    ),
    buyerName: z.string().nullable(),
    recipient: addressSchema.nullable().openapi({
      description: "The delivery address exactly as Amazon gave it (never changed by Consign).",
    }),
    addressCorrection: z
      .object({
        address: addressSchema,
        correctedAt: isoDateTime,
        by: z.string().openapi({ description: "Who corrected it: a person's or an API key's name." }),
        device: z.string().nullable(),
        reason: z.string().nullable(),
      })
      .nullable()
      .openapi({
        description:
          "A delivery address a person corrected (PUT /orders/{orderId}/address-correction): labels go here instead of `recipient`. Null: Amazon's address is used.",
      }),
    state: z.enum(states),
    holdUntil: isoDateTime.nullable(),
    notes: z.string().nullable().openapi({
      description:
        "The team's notes on the order (collaborative text the tablets type into); null when there are none. A change is reported as order.notes_changed once typing has paused for 5 s.",
    }),
    cancellationRequested: z.boolean().meta({
      description: "The buyer asked Amazon to cancel (the whole order or an item): do not ship it.",
    }),
    cancelled: z.object({ by: z.enum(["buyer", "seller", "amazon"]), at: isoDateTime.nullable() }).nullable(),
    package: z
      .object({
        weightGrams: z.number(),
        lengthMm: z.number().nullable(),
        widthMm: z.number().nullable(),
        heightMm: z.number().nullable(),
        format: z.string().nullable(),
      })
      .nullable(),
    service: z
      .object({ courier: z.enum(COURIERS), serviceCode: z.string(), reason: z.string().nullable() })
      .nullable(),
    shipments: z.array(shipmentSchema),
    printedAt: isoDateTime.nullable(),
    dispatchedAt: isoDateTime.nullable(),
    deliveredAt: isoDateTime.nullable(),
    confirmation: confirmationSchema.omit({ orderId: true }),
  })
  .openapi("Order");

export type ApiOrder = z.infer<typeof orderSchema>;
export type ApiShipment = z.infer<typeof shipmentSchema>;
export type ApiConfirmation = z.infer<typeof confirmationSchema>;

/** A comma-separated list of allowed values: `state=new,ready`. */
function csvOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, { message: `${what} must be one of ${values.join(", ")}` })).min(1))
    .optional();
}

const dateTimeParam = z
  .string()
  .refine(
    (s) => parseInstant(s) !== null,
    "use an ISO 8601 date-time with its offset, e.g. 2026-11-25T12:00:00Z",
  )
  .transform((s) => parseInstant(s) as number);

export const orderQuerySchema = z
  .object({
    state: csvOf(states, "state").openapi({
      description: `Comma-separated states: ${states.join(", ")}.`,
      example: "new,ready",
    }),
    shipBy: csvOf(buckets, "shipBy").openapi({
      description: "Dispatch deadline in UK days: overdue, today, tomorrow, later.",
    }),
    courier: csvOf(COURIERS, "courier").openapi({ description: "The chosen or bought courier." }),
    prime: z
      .enum(["true", "false"], { message: "prime is true or false" })
      .transform((v) => v === "true")
      .optional(),
    marketplace: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: "Marketplace id, e.g. A1F83G8C2ARO7P (amazon.co.uk)." }),
    q: z.string().trim().min(1).max(200).optional().openapi({
      description: "Search: order id, buyer, postcode, SKU, ASIN, title, tracking number (word prefixes).",
    }),
    updatedSince: dateTimeParam.optional().openapi({
      description:
        "Only orders changed at or after this instant (changedAt: ours or Amazon's). To follow every change exactly once, prefer GET /changes.",
    }),
    purchasedFrom: dateTimeParam.optional().openapi({
      description:
        "Only orders purchased at or after this instant. A purchase-date range reaches archived orders too (orders leave the live list three days after they are sent).",
    }),
    purchasedTo: dateTimeParam.optional().openapi({
      description: "Only orders purchased before this instant (exclusive). Reaches archived orders too.",
    }),
    include: z.enum(["archived"], { message: "include takes archived" }).optional().openapi({
      description:
        "archived: list archived orders with the live ones (every filter, q= and the cursor work across both). Without it, and without a purchase-date range, only the live list is read.",
    }),
    sort: z.enum(["purchased", "shipBy", "updated"]).default("purchased").openapi({
      description:
        "purchased: newest first; shipBy: soonest deadline first; updated: by revision, oldest change first (an order changed while you page comes again later).",
    }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .refine(
        (c) => decodeCursor(c) !== null,
        "this cursor is not one we gave out: use nextCursor from the previous page",
      )
      .optional(),
  })
  .refine(
    (q) => q.purchasedFrom === undefined || q.purchasedTo === undefined || q.purchasedFrom < q.purchasedTo,
    {
      message: "purchasedFrom must be before purchasedTo",
      path: ["purchasedTo"],
    },
  );

export type OrderQueryInput = z.infer<typeof orderQuerySchema>;

export const orderPageSchema = z
  .object({
    orders: z.array(orderSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .openapi("OrderPage");
