// Customs: which parcels need a declaration, the seller's customs data per SKU, and the
// declaration a courier is sent (and a CN22/CN23 printed from) for one order.
//
// A declaration goes with every parcel that leaves the UK's domestic post: any country other
// than GB, and (though they use GB postcodes) Jersey and Guernsey (JE, GY), the Isle of Man (IM)
// and British Forces Post Office addresses (BFPO). Click & Drop takes it per item
// (`customsDescription` ≤ 50, `customsCode` ≤ 10, `originCountryCode`, `customsDeclarationCategory`)
// and the IOSS number per order (`postageDetails.IOSSNumber`); the CN22 covers parcels up to
// £270 and the CN23 those above (Royal Mail's rule).
//
// Amazon orders are sales, so the contents category is "sale of goods". EU parcels of goods worth
// up to €150 travel under the Import One-Stop Shop: Amazon collects the VAT and gives its IOSS
// number on the order item (`internationalShipping.iossNumber`); the seller's own number in
// Settings is used when Amazon sends none. We compare with £130 so that no €150 parcel is missed
// whatever the day's rate (about £0.85–£0.90 to the euro in 2024–2026).

import { z } from "zod";
import { type Address, deliveryAddress, type Order } from "./order.ts";

export type CustomsZone = "channel_islands" | "isle_of_man" | "bfpo" | "eu" | "international";

export const CUSTOMS_CATEGORIES = [
  "saleOfGoods",
  "gift",
  "commercialSample",
  "documents",
  "returnedGoods",
  "mixedContent",
  "other",
] as const;
export type CustomsCategory = (typeof CUSTOMS_CATEGORIES)[number];

/** Parcels above this value take a CN23; up to it a CN22 (pounds). */
export const CN22_MAX_POUNDS = 270;
/** EU parcels of goods up to this value carry an IOSS number (pounds: €150 at a prudent rate). */
export const IOSS_MAX_POUNDS = 130;

// biome-ignore format: one line of country codes reads better than 27
const EU_COUNTRIES = new Set([
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "GR", "DE", "HU", "IE",
  "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]);

/** The seller's customs data for one SKU (Settings → Stock → Customs). */
export const skuCustomsSchema = z.object({
  description: z
    .string()
    .trim()
    .min(3, 'describe the goods in a few words, like "cotton t-shirt"')
    .max(50, "Royal Mail takes a customs description of at most 50 characters: shorten it"),
  hsCode: z
    .string()
    .transform((v) => v.replace(/[\s.]/g, ""))
    .pipe(
      z
        .string()
        .regex(
          /^\d{6,10}$/,
          "the HS tariff code is 6 to 10 digits (look it up at trade-tariff.service.gov.uk)",
        ),
    ),
  originCountry: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}$/, "the country of origin is a two-letter code, like GB or CN")),
  /** Declared value of one unit in pounds; absent: the price the buyer paid. */
  unitValue: z.number().positive("the value must be above £0").max(999_999).optional(),
});
export type SkuCustoms = z.infer<typeof skuCustomsSchema>;

/** What a declaration is built from: per-SKU data and weights, and the seller's IOSS number. */
export interface CustomsInputs {
  skuCustoms?: Readonly<Record<string, SkuCustoms>>;
  skuWeights?: Readonly<Record<string, number>>;
  /** The seller's own IOSS number, when they have one (Amazon's on the order item wins). */
  iossNumber?: string;
}

export interface CustomsLine {
  sku: string;
  description: string;
  hsCode: string;
  originCountry: string;
  quantity: number;
  /** Pounds, one unit. */
  unitValue: number;
  /** Grams, one unit (net). */
  unitWeightGrams: number;
}

export interface CustomsDeclaration {
  zone: CustomsZone;
  category: CustomsCategory;
  /** "CN22" up to £270, "CN23" above. */
  form: "CN22" | "CN23";
  lines: CustomsLine[];
  /** Pounds, goods only. */
  totalValue: number;
  currencyCode: "GBP";
  iossNumber?: string;
}

function outwardLetters(postcode: string): string {
  return (
    postcode
      .trim()
      .toUpperCase()
      .replace(/\s+/g, "")
      .match(/^[A-Z]+/)?.[0] ?? ""
  );
}

/** Where a parcel to this address needs customs data; null for the UK's domestic post. */
export function customsZone(address: Pick<Address, "postcode" | "countryCode">): CustomsZone | null {
  const country = (address.countryCode || "GB").trim().toUpperCase();
  const postcode = address.postcode ?? "";
  if (country === "JE" || country === "GG") return "channel_islands";
  if (country === "IM") return "isle_of_man";
  if (country === "GB" || country === "UK") {
    if (/^\s*BFPO\b/i.test(postcode)) return "bfpo";
    const area = outwardLetters(postcode);
    if (area === "JE" || area === "GY") return "channel_islands";
    if (area === "IM") return "isle_of_man";
    return null;
  }
  return EU_COUNTRIES.has(country) ? "eu" : "international";
}

const ZONE_WORDS: Record<CustomsZone, string> = {
  channel_islands: "the Channel Islands",
  isle_of_man: "the Isle of Man",
  bfpo: "a BFPO address",
  eu: "the EU",
  international: "outside the UK",
};

export function customsZoneWords(zone: CustomsZone): string {
  return ZONE_WORDS[zone];
}

export type CustomsGap =
  | { kind: "sku"; sku: string; missing: ("description" | "hsCode" | "originCountry" | "unitValue")[] }
  | { kind: "ioss" };

export type CustomsResult =
  | { needed: false }
  | { needed: true; declaration: CustomsDeclaration }
  | { needed: true; zone: CustomsZone; gaps: CustomsGap[] };

function money(amount: string | undefined): number | undefined {
  if (amount === undefined) return undefined;
  const n = Number(amount);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * The customs declaration for an order, or what is missing from it. Orders to the domestic post
 * need none. Unit weights come from the SKU weights; without them, the parcel weight shared by
 * quantity (what a person entered on the order).
 */
export function customsFor(order: Order, inputs: CustomsInputs, parcelGrams?: number): CustomsResult {
  const to = deliveryAddress(order);
  if (!to) return { needed: false };
  const zone = customsZone(to);
  if (!zone) return { needed: false };
  const gaps: CustomsGap[] = [];
  const lines: CustomsLine[] = [];
  const units = order.items.reduce((n, i) => n + Math.max(1, i.quantityOrdered), 0);
  for (const item of order.items) {
    const data = inputs.skuCustoms?.[item.sku];
    const unitValue = data?.unitValue ?? money(item.unitPrice?.amount);
    const missing: ("description" | "hsCode" | "originCountry" | "unitValue")[] = [];
    if (!data?.description) missing.push("description");
    if (!data?.hsCode) missing.push("hsCode");
    if (!data?.originCountry) missing.push("originCountry");
    if (unitValue === undefined) missing.push("unitValue");
    if (missing.length || !data || unitValue === undefined) {
      if (!gaps.some((g) => g.kind === "sku" && g.sku === item.sku))
        gaps.push({ kind: "sku", sku: item.sku, missing });
      continue;
    }
    const skuGrams = inputs.skuWeights?.[item.sku];
    const unitWeightGrams =
      skuGrams && skuGrams > 0
        ? skuGrams
        : parcelGrams && parcelGrams > 0
          ? Math.max(1, Math.round(parcelGrams / Math.max(1, units)))
          : 0;
    lines.push({
      sku: item.sku,
      description: data.description,
      hsCode: data.hsCode,
      originCountry: data.originCountry,
      quantity: Math.max(1, item.quantityOrdered),
      unitValue,
      unitWeightGrams,
    });
  }
  const totalValue = Math.round(lines.reduce((s, l) => s + l.unitValue * l.quantity, 0) * 100) / 100;
  const iossNumber =
    order.items.map((i) => i.iossNumber).find((n): n is string => !!n) ?? inputs.iossNumber?.trim();
  const needsIoss = zone === "eu" && totalValue <= IOSS_MAX_POUNDS;
  if (needsIoss && !iossNumber && gaps.length === 0) gaps.push({ kind: "ioss" });
  if (gaps.length) return { needed: true, zone, gaps };
  return {
    needed: true,
    declaration: {
      zone,
      category: "saleOfGoods",
      form: totalValue > CN22_MAX_POUNDS ? "CN23" : "CN22",
      lines,
      totalValue,
      currencyCode: "GBP",
      ...(zone === "eu" && iossNumber ? { iossNumber } : {}),
    },
  };
}

const FIELD_WORDS = {
  description: "description",
  hsCode: "HS tariff code",
  originCountry: "country of origin",
  unitValue: "value",
} as const;

/** The sentence for an order whose customs data is incomplete, naming each SKU and field. */
export function customsGapMessage(zone: CustomsZone, gaps: readonly CustomsGap[]): string {
  const where = customsZoneWords(zone);
  const skuGaps = gaps.filter((g): g is Extract<CustomsGap, { kind: "sku" }> => g.kind === "sku");
  if (skuGaps.length) {
    const parts = skuGaps.map((g) => `${g.sku} (${g.missing.map((m) => FIELD_WORDS[m]).join(", ")})`);
    const list = skuGaps.length === 1 ? `SKU ${parts[0]}` : `SKUs ${parts.join("; ")}`;
    return `Parcels to ${where} need customs data: add it for ${list} under Settings → Stock → Customs before buying a label.`;
  }
  return `EU parcels up to €150 need an IOSS number: Amazon sent none with this order, so add yours under Settings → Stock → Customs before buying a label.`;
}

/** The field to fix first: `skuCustoms.<SKU>.<field>` or `iossNumber`. */
export function customsGapField(gaps: readonly CustomsGap[]): string {
  const first = gaps[0];
  if (!first || first.kind === "ioss") return "iossNumber";
  return `skuCustoms.${first.sku}.${first.missing[0] ?? "hsCode"}`;
}
