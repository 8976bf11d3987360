// Consign's own shipping label as native ZPL II: the same design as the PDF label (label-4x6.ts),
// with text in the printer's scalable font 0, the tracking number as ^BC (Code 128) and the
// DataMatrix as ^BX (ECC 200): printer commands, not pictures, so the printer draws every bar
// on its own dots. Sized for the profile's stock and resolution.
import type { Address } from "@consign/domain";
import { encodeCode128 } from "../barcode/code128.ts";
import { encodeDataMatrix } from "../barcode/datamatrix.ts";
import { checkLabelData, type LabelData } from "../label-data.ts";
import { defaultDataMatrix } from "../mailmark.ts";
import { textWidth, toWinAnsi } from "../text/winansi.ts";
import { fieldData, ZplFormat } from "./format.ts";
import { checkPrinterProfile, DEFAULT_PROFILE, type PrinterProfile } from "./profile.ts";

const MARGIN = 12;

function addressLines(a: Address): string[] {
  const lines = [a.line1, a.line2, a.line3, a.city, a.county];
  if (a.countryCode && a.countryCode.toUpperCase() !== "GB") lines.push(a.countryCode.toUpperCase());
  return lines.filter((l): l is string => !!l?.trim()).map((l) => l.trim());
}

function weightText(grams: number): string {
  return grams >= 1000 ? `${(grams / 1000).toFixed(2)} kg` : `${Math.round(grams)} g`;
}

/** Where the barcodes land, in dots (for tests that crop before decoding). */
export interface ZplLabelPlacement {
  code128: { x: number; y: number; width: number; height: number };
  dataMatrix: { x: number; y: number; size: number };
}

export function toZplPlaced(
  label: LabelData,
  profile: PrinterProfile = DEFAULT_PROFILE,
): { zpl: string; placed: ZplLabelPlacement } {
  checkLabelData(label);
  const f = new ZplFormat(profile);
  for (const top of [86, 124, 274, 380]) f.rule(8, 280, top);

  // DataMatrix, top right, 6 dots a module at 203 dpi (smaller modules if a long payload would not fit).
  const dmText =
    label.dataMatrix ?? defaultDataMatrix(label.trackingNumber, label.recipient.postcode, label.orderId);
  const dm = encodeDataMatrix(dmText);
  let dmModule = f.moduleDots(6);
  while (dmModule > f.moduleDots(3) && dm.size * dmModule > f.dots(72)) dmModule--;
  const dmSize = dm.size * dmModule;
  const dmX = f.x(288 - MARGIN) - dmSize;
  const dmY = f.y(10);
  f.raw(`^FO${dmX},${dmY}^BXN,${dmModule},200^FH^FD${fieldData(toWinAnsi(dmText))}^FS\n`);

  const headPt = (dmX - f.x(MARGIN)) / f.scale - 8;
  f.text(label.courierName.toUpperCase(), "bold", 18, MARGIN, 30, headPt);
  f.text(label.serviceName, "regular", 11, MARGIN, 46, headPt);
  if (label.weightGrams !== undefined)
    f.text(`Weight: ${weightText(label.weightGrams)}`, "regular", 9, MARGIN, 62, headPt);
  if (label.reference) f.text(`Ref: ${label.reference}`, "regular", 9, MARGIN, 75, headPt);

  const s = label.sender;
  f.text("FROM", "bold", 7, MARGIN, 96);
  f.text(s.name, "bold", 8, 44, 96, 232);
  f.text([s.line1, s.line2].filter(Boolean).join(", "), "regular", 8, 44, 106, 232);
  f.text(`${s.city} ${s.postcode}`, "regular", 8, 44, 116, 232);

  const r = label.recipient;
  f.text("DELIVER TO", "bold", 8, MARGIN, 136);
  f.text(r.name, "bold", 14, MARGIN, 154);
  let top = 170;
  for (const line of addressLines(r).slice(0, 5)) {
    f.text(line, "regular", 12, MARGIN, top);
    top += 14;
  }
  f.text(r.postcode.toUpperCase(), "bold", 28, MARGIN, 264);
  if (r.phone) f.text(`Tel: ${r.phone}`, "regular", 8, 190, 264, 86);

  // Code 128 of the tracking number, centred, 3 dots a module at 203 dpi (fewer for long numbers).
  const code = encodeCode128(label.trackingNumber);
  let module = f.moduleDots(3);
  while (module > 1 && (code.modules + 20) * module > f.width - 16) module--;
  const barWidth = code.modules * module;
  const barX = Math.round((f.width - barWidth) / 2);
  const barY = f.y(284);
  const barHeight = f.y(352) - barY;
  f.raw(`^FO${barX},${barY}^BY${module}^BCN,${barHeight},N,N,N,A^FD${label.trackingNumber}^FS\n`);
  const tracking = toWinAnsi(label.trackingNumber);
  const trackingDots = f.dots(textWidth(tracking, "bold", 14));
  f.textAtDots(label.trackingNumber, "bold", 14, Math.round((f.width - trackingDots) / 2), 372);

  f.text("ORDER", "bold", 7, MARGIN, 396);
  f.text(label.orderId, "bold", 11, 48, 397, 228);
  f.text("Despatched with Consign", "regular", 7, MARGIN, 420);
  return {
    zpl: f.finish(),
    placed: {
      code128: { x: barX, y: barY, width: barWidth, height: barHeight },
      dataMatrix: { x: dmX, y: dmY, size: dmSize },
    },
  };
}

/** One label as one ^XA...^XZ format for the printer profile (default: 4x6 in at 203 dpi). */
export function toZpl(label: LabelData, profile: PrinterProfile = DEFAULT_PROFILE): string {
  return toZplPlaced(label, profile).zpl;
}

/** Several labels, one format each, ready to send to the printer in one go. */
export function toZplBatch(labels: readonly LabelData[], profile?: unknown): string {
  const p = profile === undefined ? DEFAULT_PROFILE : checkPrinterProfile(profile);
  return labels.map((l) => toZpl(l, p)).join("");
}
