// The seller's settings that the whole team sees: kept in the live document's "settings" map so
// every device shows the same, written only by the room (owners change them through the API).
import type { SenderAddress } from "@consign/couriers";
import {
  type Address,
  ALL_COURIERS,
  addressProblems,
  ConsignError,
  deliveryAddress,
  ErrorCode,
  isClockTime,
  type Order,
  parseRules,
  type ShippingRule,
  skuCustomsSchema,
} from "@consign/domain";
import { readSetting } from "@consign/sync";
import type * as Y from "yjs";
import { z } from "zod";

export const SETTING = {
  sender: "senderAddress",
  rules: "shippingRules",
  skuWeights: "skuWeights",
  skuCustoms: "skuCustoms",
  iossNumber: "iossNumber",
  packagingGrams: "packagingGrams",
  printer: "printer",
  autoConfirmOnPrint: "autoConfirmOnPrint",
  dispatchCutoff: "dispatchCutoff",
} as const;

export const senderSchema = z
  .object({
    name: z.string().trim().min(1, "enter the sender's name"),
    companyName: z.string().trim().optional(),
    line1: z.string().trim().min(1, "enter the first address line"),
    line2: z.string().trim().optional(),
    city: z.string().trim().min(1, "enter the town or city"),
    county: z.string().trim().optional(),
    postcode: z.string().trim().min(5, "enter a UK postcode"),
    countryCode: z.string().length(2).default("GB"),
    phone: z.string().trim().optional(),
    email: z.string().trim().email().optional(),
  })
  .superRefine((sender, ctx) => {
    // One sender ships with every courier: UK postcode shape, GB, and lines within the strictest limits.
    for (const problem of addressProblems(sender, ALL_COURIERS)) {
      ctx.addIssue({ code: "custom", path: [problem.path], message: problem.message });
    }
  });

export const settingsPatchSchema = z.object({
  sender: senderSchema.optional(),
  skuWeights: z.record(z.string().min(1), z.number().int().positive().max(70_000)).optional(),
  /** Customs data per SKU (the whole list: SKUs left out lose theirs). */
  skuCustoms: z.record(z.string().min(1).max(100), skuCustomsSchema).optional(),
  /** The seller's own IOSS number for EU parcels when Amazon gives none; null removes it. */
  iossNumber: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(/^IM\d{10}$/, "an IOSS number is IM followed by 10 digits, like IM2760000742"))
    .nullable()
    .optional(),
  packagingGrams: z.number().int().min(0).max(5_000).optional(),
  printer: z
    .object({
      layout: z.enum(["4x6", "a4-2up", "a4-4up", "zpl"]),
      withPackingSlip: z.boolean().default(false),
    })
    .optional(),
  autoConfirmOnPrint: z.boolean().optional(),
  /** When the courier collects, "HH:MM" UK time: late risk is read against it. */
  dispatchCutoff: z.string().refine(isClockTime, "give a UK time as HH:MM, e.g. 17:00").optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function readSender(doc: Y.Doc): SenderAddress | undefined {
  return readSetting<SenderAddress>(doc, SETTING.sender);
}

export function readRules(doc: Y.Doc): ShippingRule[] {
  const raw = readSetting<unknown>(doc, SETTING.rules);
  if (raw === undefined) return [];
  try {
    return parseRules(raw);
  } catch {
    return [];
  }
}

export function requireSender(doc: Y.Doc): SenderAddress {
  const sender = readSender(doc);
  if (!sender) {
    throw new ConsignError(
      ErrorCode.Conflict,
      "Add your dispatch address in Settings → Sender before buying labels.",
    );
  }
  return sender;
}

export function addressOrThrow(order: Order): Address {
  const to = deliveryAddress(order);
  if (!to) {
    throw new ConsignError(
      ErrorCode.Conflict,
      `Order ${order.orderId} has no delivery address yet (Amazon has not released it): try again shortly.`,
    );
  }
  return to;
}
