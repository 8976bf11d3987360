// Labels, dispatch, metrics, shipping rules and exports.
import { METRIC_IDS, shippingRulesSchema, ukOffsetMinutes } from "@consign/domain";
import { z } from "@hono/zod-openapi";
import { isoDateTime, orderIdListSchema, parseInstant } from "./common.ts";

export const orderIdsBodySchema = z
  .object({ orderIds: orderIdListSchema.openapi({ example: ["202-1234567-1234567"] }) })
  .openapi("OrderIds");

export const labelRunStartedSchema = z
  .object({
    runId: z.string(),
    orderIds: z.array(z.string()).openapi({ description: "The orders the run will buy labels for." }),
  })
  .openapi("LabelRunStarted");

export const labelRunSchema = z
  .object({
    runId: z.string(),
    state: z.enum(["running", "finished"]),
    startedAt: isoDateTime,
    totals: z
      .object({
        boughtNow: z.number().int(),
        alreadyBought: z.number().int(),
        failed: z.number().int(),
        pending: z.number().int(),
      })
      .openapi({
        description:
          "boughtNow: labels this run bought; alreadyBought: orders that had a label before the run started (never bought twice); they add up to the run's orders.",
      }),
    orders: z.array(
      z.object({
        orderId: z.string(),
        status: z.enum(["queued", "buying", "bought", "already_bought", "failed"]),
        trackingNumber: z.string().nullable(),
        cost: z
          .object({ amount: z.string(), currencyCode: z.string() })
          .nullable()
          .openapi({ description: "What the courier charged for the label, as it answered." }),
        error: z.string().nullable(),
      }),
    ),
  })
  .openapi("LabelRun");

export const runIdParams = z.object({
  runId: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "runId", in: "path" } }),
});

export const dispatchOutcomeSchema = z
  .object({
    queued: z
      .array(z.string())
      .openapi({ description: "Orders marked dispatched; their confirmation to Amazon is queued." }),
    refused: z.array(z.object({ orderId: z.string(), reason: z.string() })),
    results: z
      .array(
        z.object({
          orderId: z.string(),
          status: z.enum(["queued", "refused"]),
          reason: z.string().nullable().openapi({ description: "Why it was refused, for a person." }),
        }),
      )
      .openapi({ description: "One answer per order, in the order they were sent." }),
  })
  .openapi("DispatchOutcome");

export const voidedSchema = z
  .object({ orderId: z.string(), voidedShipmentId: z.string() })
  .openapi("LabelVoided");

const metricIds = METRIC_IDS as unknown as [string, ...string[]];
export const metricsSchema = z
  .object({
    computedAt: isoDateTime,
    metrics: z.array(
      z.object({
        metric: z.enum(metricIds),
        channel: z.enum(["MFN", "AFN"]).meta({
          description:
            "MFN: seller-fulfilled orders (every metric, as Amazon defines them). AFN: fulfilled by Amazon (FBA), reported apart: the Order Defect Rate only, as in Amazon's account-health report. The two are never mixed.",
        }),
        windowDays: z.number().int(),
        from: isoDateTime,
        to: isoDateTime,
        numerator: z.number().int(),
        denominator: z.number().int(),
        rate: z.number().nullable(),
        target: z.number().nullable(),
        comparator: z.enum(["below", "above", "none"]),
        status: z.enum(["healthy", "at_risk", "breaching", "no_data"]).meta({
          description:
            "breaching: at or past Amazon's target. at_risk is Consign's own rule, not Amazon's: within a quarter of the allowance from the target (late dispatch from 3%, valid tracking at or below 96.25%).",
        }),
        parts: z
          .object({
            negativeFeedback: z.number().int(),
            claims: z.number().int(),
            chargebacks: z.number().int(),
          })
          .optional()
          .meta({
            description:
              "Order Defect Rate only: orders with each kind of defect (claims denied, withdrawn or funded by Amazon do not count).",
          }),
        awaitingDeliveryData: z.number().int().optional().meta({
          description:
            "On-Time Delivery Rate only: parcels in the window whose delivery is not known yet (their courier's tracking has not answered since their latest delivery date). They count neither way.",
        }),
        note: z.string().nullable().meta({
          description:
            'Why there is no rate, for a person: "No delivery data yet: …" for on-time delivery before any courier has answered, "No orders in this window." otherwise; null when there is a rate.',
        }),
      }),
    ),
  })
  .openapi("Metrics");

export const rulesBodySchema = z
  .object({
    rules: shippingRulesSchema.meta({
      description: "First enabled rule whose conditions all hold chooses the service.",
    }),
  })
  .openapi("NewShippingRules");

/** The rules as answered (a separate schema from the request body's, as integrators' clients expect). */
export const rulesSchema = z
  .object({
    rules: shippingRulesSchema.meta({
      description: "First enabled rule whose conditions all hold chooses the service.",
    }),
  })
  .openapi("ShippingRules");

const UK_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 24 * 60 * 60 * 1000;

/** A plain date is a whole UK calendar day; `end` gives the instant after it. */
export function parseExportBound(text: string, end: boolean): number | null {
  if (UK_DATE.test(text)) {
    const midnightUtc = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(midnightUtc)) return null;
    const day = end ? midnightUtc + DAY : midnightUtc;
    return day - ukOffsetMinutes(day) * 60_000;
  }
  return parseInstant(text);
}

const bound = (end: boolean, example: string) =>
  z
    .string()
    .refine(
      (s) => parseExportBound(s, end) !== null,
      "use a date like 2026-11-01 or an ISO 8601 date-time like 2026-11-01T09:00:00Z",
    )
    .transform((s) => parseExportBound(s, end) as number)
    .openapi({ example });

export const MAX_EXPORT_DAYS = 366;

export const exportQuerySchema = z
  .object({
    from: bound(false, "2026-11-01").openapi({ description: "First day (UK) or instant, inclusive." }),
    to: bound(true, "2026-11-30").openapi({
      description: "Last day (UK) inclusive, or an instant (exclusive).",
    }),
  })
  .refine((q) => q.to > q.from, { message: "to must be after from", path: ["to"] })
  .refine((q) => q.to - q.from <= MAX_EXPORT_DAYS * DAY, {
    message: `export at most ${MAX_EXPORT_DAYS} days at a time`,
    path: ["to"],
  });

/** The sheets a labels file is laid on (?layout=), the same layouts as the app's printer settings. */
export const labelLayoutQuery = z
  .enum(["4x6", "a4-2up", "a4-4up"])
  .default("4x6")
  .openapi({
    param: { name: "layout", in: "query" },
    description:
      "The sheets your printer takes, as in the app's printer settings: 4x6 (one label a page, thermal printers), a4-2up (two to an A4 sheet, turned a quarter) or a4-4up (four to an A4 sheet at 95%).",
  });
