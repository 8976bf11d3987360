// Shipping API v2 request shapes the sandbox checks (specs/sp-api/shippingV2.json) and its ErrorList.
import { z } from "zod";

export const errors = (code: string, message: string, details?: string) => ({
  errors: [{ code, message, ...(details ? { details } : {}) }],
});

export const address = z.object({
  name: z.string().min(1),
  addressLine1: z.string().min(1),
  addressLine2: z.string().optional(),
  stateOrRegion: z.string(),
  city: z.string(),
  countryCode: z.string().length(2),
  postalCode: z.string(),
});
export const currency = z.object({ value: z.number(), unit: z.string() });
export const ratesRequest = z.object({
  shipTo: address.optional(),
  shipFrom: address,
  packages: z
    .array(
      z.object({
        dimensions: z.object({
          length: z.number(),
          width: z.number(),
          height: z.number(),
          unit: z.enum(["INCH", "CENTIMETER"]),
        }),
        weight: z.object({
          unit: z.enum(["GRAM", "KILOGRAM", "OUNCE", "POUND"]),
          value: z.number().positive(),
        }),
        insuredValue: currency,
        packageClientReferenceId: z.string(),
        items: z.array(z.object({ quantity: z.number().int() }).loose()),
      }),
    )
    .min(1),
  channelDetails: z.object({
    channelType: z.enum(["AMAZON", "EXTERNAL"]),
    amazonOrderDetails: z.object({ orderId: z.string() }).optional(),
  }),
});
export const purchaseRequest = z.object({
  requestToken: z.string(),
  rateId: z.string(),
  requestedDocumentSpecification: z.object({
    format: z.enum(["PDF", "PNG", "ZPL"]),
    size: z.object({ width: z.number(), length: z.number(), unit: z.enum(["INCH", "CENTIMETER"]) }),
    dpi: z.number().int().optional(),
    pageLayout: z.string().optional(),
    needFileJoining: z.boolean(),
    requestedDocumentTypes: z.array(z.enum(["PACKSLIP", "LABEL", "RECEIPT", "CUSTOM_FORM"])).min(1),
  }),
});

export const grams = (w: { unit: string; value: number }) =>
  w.unit === "KILOGRAM"
    ? w.value * 1000
    : w.unit === "OUNCE"
      ? w.value * 28.35
      : w.unit === "POUND"
        ? w.value * 453.6
        : w.value;

export function invalid(issues: z.core.$ZodIssue[]) {
  const first = issues[0];
  return errors(
    "InvalidInput",
    "Request is missing or has invalid parameters",
    first ? `${first.path.join(".")}: ${first.message}` : undefined,
  );
}
