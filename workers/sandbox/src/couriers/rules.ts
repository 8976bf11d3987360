// What the real services check, as the sandbox checks it: UK postcodes, tracking number shapes,
// Royal Mail's formats and size limits.

const UK_POSTCODE =
  /^(GIR 0AA|[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2})$/i;

export function isUkPostcode(value: string): boolean {
  return UK_POSTCODE.test(value.trim());
}

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

export function s10(prefix: string, serial: number): string {
  const digits = String(serial % 100_000_000).padStart(8, "0");
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (S10_WEIGHTS[i] ?? 0);
  const c = 11 - (sum % 11);
  return `${prefix}${digits}${c === 10 ? 0 : c === 11 ? 5 : c}GB`;
}

/** Evri barcode: 16 characters ("H01HYA" and 10 digits). */
export function evriBarcode(serial: number): string {
  return `H01HYA${String(serial % 10_000_000_000).padStart(10, "0")}`;
}

/** DPD UK: 10-digit consignment and 14-digit parcel numbers. */
export function dpdNumbers(serial: number): { consignmentNumber: string; parcelNumber: string } {
  const consignmentNumber = String(6_000_000_000 + (serial % 1_000_000_000));
  return { consignmentNumber, parcelNumber: `1550${consignmentNumber}` };
}

export interface RoyalMailFormat {
  maxGrams: number;
  maxMm: [number, number, number];
  words: string;
}

export const ROYAL_MAIL_FORMATS: Record<string, RoyalMailFormat> = {
  letter: { maxGrams: 100, maxMm: [240, 165, 5], words: "letter" },
  largeLetter: { maxGrams: 750, maxMm: [353, 250, 25], words: "large letter" },
  smallParcel: { maxGrams: 2000, maxMm: [450, 350, 160], words: "small parcel" },
  mediumParcel: { maxGrams: 20000, maxMm: [610, 460, 460], words: "medium parcel" },
};

/** Services the sandbox account has, with the formats each carries and a tracking prefix. */
export const ROYAL_MAIL_SERVICES: Record<
  string,
  { name: string; formats: string[]; prefix: string; returns?: true }
> = {
  TPN24: { name: "Tracked 24", formats: ["largeLetter", "smallParcel", "mediumParcel"], prefix: "TT" },
  TPS48: { name: "Tracked 48", formats: ["largeLetter", "smallParcel", "mediumParcel"], prefix: "TS" },
  SD1: {
    name: "Special Delivery Guaranteed by 1pm",
    formats: ["largeLetter", "smallParcel", "mediumParcel"],
    prefix: "GQ",
  },
  // Royal Mail Tracked Returns: the label the buyer takes to a Post Office, addressed to the seller.
  // The code is ASSUMED (the Click & Drop model lists no service codes); see
  // packages/couriers/src/royal-mail/returns.ts.
  TRN: {
    name: "Tracked Returns 48",
    formats: ["largeLetter", "smallParcel", "mediumParcel"],
    prefix: "TR",
    returns: true,
  },
};

export function sidesFit(sides: number[], max: [number, number, number]): boolean {
  const s = [...sides].sort((a, b) => b - a);
  return (s[0] ?? 0) <= max[0] && (s[1] ?? 0) <= max[1] && (s[2] ?? 0) <= max[2];
}
