// A label printer as a device knows it: which language it speaks, its resolution, the label stock
// loaded and how dark it burns. Pure data with one checker, shared by the PWA's device setting,
// the labels worker and the tests.

import { ConsignError, ErrorCode, type FieldError } from "@consign/domain";

/** Only ZPL is written today; EPL and TSPL printers are named so a profile can say what it is. */
export const PRINTER_LANGUAGES = ["zpl", "epl", "tspl"] as const;
export type PrinterLanguage = (typeof PRINTER_LANGUAGES)[number];

export const PRINTER_DPIS = [203, 300] as const;
export type PrinterDpi = (typeof PRINTER_DPIS)[number];

/** Label stock by its usual name; sizes in millimetres, portrait. */
export const LABEL_STOCKS = {
  "4x6": { widthMm: 101.6, heightMm: 152.4, name: "4×6 in (101.6 × 152.4 mm)" },
  a6: { widthMm: 105, heightMm: 148, name: "A6 (105 × 148 mm)" },
  "100x150": { widthMm: 100, heightMm: 150, name: "100 × 150 mm" },
} as const;
export type LabelStock = keyof typeof LABEL_STOCKS;

export interface PrinterProfile {
  language: PrinterLanguage;
  dpi: PrinterDpi;
  stock: LabelStock;
  /** Print darkness, ZPL's ~SD scale: 0 (lightest) to 30; 15 is most printers' default. */
  darkness: number;
}

export const DEFAULT_PROFILE: PrinterProfile = { language: "zpl", dpi: 203, stock: "4x6", darkness: 15 };

/** The stock's printable size in printer dots at the profile's resolution. */
export function stockDots(profile: Pick<PrinterProfile, "dpi" | "stock">): { width: number; height: number } {
  const s = LABEL_STOCKS[profile.stock];
  return {
    width: Math.round((s.widthMm / 25.4) * profile.dpi),
    height: Math.round((s.heightMm / 25.4) * profile.dpi),
  };
}

/** The stock's size in PDF points (1/72 in), for exact-size PDF pages. */
export function stockPoints(stock: LabelStock): { width: number; height: number } {
  const s = LABEL_STOCKS[stock];
  return { width: (s.widthMm / 25.4) * 72, height: (s.heightMm / 25.4) * 72 };
}

/**
 * Checks a profile from outside (a device's saved setting, a form, an API body) and returns it
 * typed; refuses it naming every field to fix. Missing fields take the defaults.
 */
export function checkPrinterProfile(input: unknown): PrinterProfile {
  const v = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const fields: FieldError[] = [];
  const language = v.language ?? DEFAULT_PROFILE.language;
  const dpi = v.dpi === undefined ? DEFAULT_PROFILE.dpi : Number(v.dpi);
  const stock = v.stock ?? DEFAULT_PROFILE.stock;
  const darkness = v.darkness === undefined ? DEFAULT_PROFILE.darkness : Number(v.darkness);
  if (!PRINTER_LANGUAGES.includes(language as PrinterLanguage))
    fields.push({ path: "language", message: `must be one of ${PRINTER_LANGUAGES.join(", ")}` });
  else if (language !== "zpl")
    fields.push({
      path: "language",
      message: `${String(language).toUpperCase()} is not written yet: set the printer to ZPL emulation (most Zebra-compatible printers have it) or print the PDF`,
    });
  if (!PRINTER_DPIS.includes(dpi as PrinterDpi)) fields.push({ path: "dpi", message: "must be 203 or 300" });
  if (typeof stock !== "string" || !(stock in LABEL_STOCKS))
    fields.push({ path: "stock", message: `must be one of ${Object.keys(LABEL_STOCKS).join(", ")}` });
  if (!Number.isInteger(darkness) || darkness < 0 || darkness > 30)
    fields.push({ path: "darkness", message: "must be a whole number from 0 to 30" });
  if (fields.length > 0) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `This printer setting cannot be used: ${fields.map((f) => `${f.path} ${f.message}`).join("; ")}.`,
      fields,
    );
  }
  return { language: "zpl", dpi: dpi as PrinterDpi, stock: stock as LabelStock, darkness };
}
