// Royal Mail's package formats, their limits, and the tracked services we offer on each.
// Limits from Royal Mail's published size guide; prices are illustrative business rates (GBP)
// that a seller can replace with their own contract prices.
import { ConsignError, ErrorCode, type PackageFormat, type PackageSpec } from "@consign/domain";

export type ClickAndDropFormat = "letter" | "largeLetter" | "smallParcel" | "mediumParcel";

export interface FormatLimit {
  format: PackageFormat;
  clickAndDrop: ClickAndDropFormat;
  maxGrams: number;
  /** Longest, middle and shortest side in mm. */
  maxMm: readonly [number, number, number];
}

export const ROYAL_MAIL_FORMATS: readonly FormatLimit[] = [
  { format: "letter", clickAndDrop: "letter", maxGrams: 100, maxMm: [240, 165, 5] },
  { format: "large-letter", clickAndDrop: "largeLetter", maxGrams: 750, maxMm: [353, 250, 25] },
  { format: "small-parcel", clickAndDrop: "smallParcel", maxGrams: 2000, maxMm: [450, 350, 160] },
  { format: "medium-parcel", clickAndDrop: "mediumParcel", maxGrams: 20000, maxMm: [610, 460, 460] },
];

export interface RoyalMailService {
  serviceCode: string;
  name: string;
  /** Price in pounds by format; a format missing here is not offered on this service. */
  prices: Partial<Record<PackageFormat, string>>;
}

export const ROYAL_MAIL_SERVICES: readonly RoyalMailService[] = [
  {
    serviceCode: "TPN24",
    name: "Royal Mail Tracked 24",
    prices: { "large-letter": "3.35", "small-parcel": "4.19", "medium-parcel": "7.15" },
  },
  {
    serviceCode: "TPS48",
    name: "Royal Mail Tracked 48",
    prices: { "large-letter": "2.70", "small-parcel": "3.39", "medium-parcel": "6.55" },
  },
  {
    serviceCode: "SD1",
    name: "Royal Mail Special Delivery Guaranteed by 1pm",
    prices: { "large-letter": "7.95", "small-parcel": "8.95", "medium-parcel": "14.95" },
  },
];

function sidesDescending(spec: PackageSpec): [number, number, number] | null {
  if (spec.lengthMm === undefined || spec.widthMm === undefined || spec.heightMm === undefined) return null;
  const s = [spec.lengthMm, spec.widthMm, spec.heightMm].sort((a, b) => b - a);
  return [s[0] ?? 0, s[1] ?? 0, s[2] ?? 0];
}

export function fitsFormat(spec: PackageSpec, limit: FormatLimit): boolean {
  if (spec.weightGrams > limit.maxGrams) return false;
  const sides = sidesDescending(spec);
  if (!sides) return true; // no size given: weight decides, as Click & Drop does without dimensions
  return sides[0] <= limit.maxMm[0] && sides[1] <= limit.maxMm[1] && sides[2] <= limit.maxMm[2];
}

/** The smallest format the package fits, honouring a format the packer chose if it fits. */
export function royalMailFormat(spec: PackageSpec): FormatLimit | undefined {
  if (spec.format) {
    const chosen = ROYAL_MAIL_FORMATS.find((f) => f.format === spec.format);
    if (chosen && fitsFormat(spec, chosen)) return chosen;
  }
  return ROYAL_MAIL_FORMATS.find((f) => fitsFormat(spec, f));
}

const FORMAT_WORDS: Record<PackageFormat, string> = {
  letter: "letter",
  "large-letter": "large letter",
  "small-parcel": "small parcel",
  "medium-parcel": "medium parcel",
  "large-parcel": "large parcel",
};

/**
 * Why the format asked for (a shipping rule's `format`, or the packer's) cannot carry this parcel,
 * naming the parcel and the format's limits; null when it can, or when none was asked for.
 */
export function formatRefusal(spec: PackageSpec): string | null {
  if (!spec.format) return null;
  const chosen = ROYAL_MAIL_FORMATS.find((f) => f.format === spec.format);
  const words = FORMAT_WORDS[spec.format];
  if (!chosen) return `Royal Mail has no ${words} format on Click & Drop: choose another format in the rule.`;
  if (fitsFormat(spec, chosen)) return null;
  const sides = sidesDescending(spec);
  const size = sides ? `, ${sides.join(" × ")} mm` : "";
  return `The rule asks for a Royal Mail ${words}, but this parcel (${spec.weightGrams} g${size}) is over its limits (${chosen.maxGrams} g, ${chosen.maxMm.join(" × ")} mm): choose a bigger format in the rule, or set this order's parcel.`;
}

/**
 * The Royal Mail format a purchase is made in, whichever API buys it: the one the rule (or the
 * packer) asked for, or the purchase is refused saying why, never quietly a different format at a
 * different price; and a parcel past every format is refused with Royal Mail's limits.
 */
export function formatToBuy(spec: PackageSpec): FormatLimit {
  const asked = formatRefusal(spec);
  if (asked) throw new ConsignError(ErrorCode.BadRequest, asked);
  const format = royalMailFormat(spec);
  if (!format) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `A ${spec.weightGrams} g parcel is too big or too heavy for Royal Mail (20 kg, 610x460x460 mm at most)`,
    );
  }
  return format;
}
