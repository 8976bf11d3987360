// Consign's own 4x6 in (288 x 432 pt) label: courier and service, sender, recipient with a
// big postcode, a Code 128 of the tracking number and a DataMatrix. Everything that is the same
// on every label lives in `labelFrame()` (drawn once as a shared Form XObject); `drawLabel`
// writes only what changes. Barcodes sit on whole 203-dpi printer dots.
import type { Address } from "@consign/domain";
import { code128Row, dataMatrixRows } from "../barcode/bitmap.ts";
import { encodeCode128 } from "../barcode/code128.ts";
import { encodeDataMatrix } from "../barcode/datamatrix.ts";
import type { LabelData } from "../label-data.ts";
import { defaultDataMatrix } from "../mailmark.ts";
import { Content, DOT_203, snapToDots } from "../pdf/content.ts";
import { fitSize, fitText, textWidth, toWinAnsi, wrapToFit } from "../text/winansi.ts";

export const LABEL_WIDTH = 288;
export const LABEL_HEIGHT = 432;
const MARGIN = 12;
const INNER = LABEL_WIDTH - 2 * MARGIN;

/** Dots per module: Code 128 3 (2 for long numbers), DataMatrix 6. */
const CODE128_DOTS = 3;
const DATAMATRIX_DOTS = 6;
const QUIET_MODULES = 10;

/** Where the barcodes go, in label points from the bottom-left corner (for tests and ZPL). */
export const LABEL_REGIONS = {
  code128: { top: 284, bottom: 352 },
  dataMatrix: { right: LABEL_WIDTH - MARGIN, top: 10, maxSize: 72 },
} as const;

const y = (top: number) => LABEL_HEIGHT - top;

export function labelFrame(): string {
  const c = new Content();
  c.raw("0 G\n");
  for (const top of [86, 124, 274, 380]) c.line(8, y(top), LABEL_WIDTH - 8, y(top), 1);
  c.text("FROM", "bold", 7, MARGIN, y(96));
  c.text("DELIVER TO", "bold", 8, MARGIN, y(136));
  c.text("ORDER", "bold", 7, MARGIN, y(396));
  c.text("Despatched with Consign", "regular", 7, MARGIN, y(420));
  return c.finish();
}

function addressLines(a: Address): string[] {
  const lines = [a.line1, a.line2, a.line3, a.city, a.county];
  if (a.countryCode && a.countryCode.toUpperCase() !== "GB") lines.push(a.countryCode.toUpperCase());
  return lines.filter((l): l is string => typeof l === "string" && l.trim() !== "").map((l) => l.trim());
}

function weightText(grams: number | undefined): string {
  if (grams === undefined) return "";
  return grams >= 1000 ? `${(grams / 1000).toFixed(2)} kg` : `${Math.round(grams)} g`;
}

export interface PlacedBarcodes {
  /** Code 128 rectangle in label points (x, y from bottom-left). */
  code128: { x: number; y: number; width: number; height: number; moduleDots: number };
  dataMatrix: { x: number; y: number; size: number; moduleDots: number; modules: number };
}

/** The sender block, drawn once per sender as a Form XObject when many labels share it. */
export function senderBlock(s: Address): string {
  const c = new Content();
  drawSender(c, s);
  return c.finish();
}

/**
 * FROM: the business (its company name when it has one, else the person), then the street and
 * town, wrapped and set smaller as needed so that nothing is cut off (a street number lost to
 * "..." sends parcels back to the wrong door).
 */
function drawSender(c: Content, s: Address): void {
  const fromX = 44;
  const fromWidth = LABEL_WIDTH - fromX - MARGIN;
  const who = toWinAnsi(s.companyName?.trim() || s.name);
  const whoSize = fitSize(who, "bold", 8, 6, fromWidth);
  c.text(fitText(who, "bold", whoSize, fromWidth), "bold", whoSize, fromX, y(95));
  const rest = [[s.line1, s.line2].filter(Boolean).join(", "), `${s.city} ${s.postcode}`].map(toWinAnsi);
  const { size, lines } = wrapToFit(rest, "regular", [8, 7, 6, 5], fromWidth, 23, (n) => n + 1);
  lines.forEach((line, i) => {
    c.text(line, "regular", size, fromX, y(105 + i * (size + 1)));
  });
}

/**
 * Draws one label's changing parts into `c`, in label coordinates. `senderForm` names a Form
 * XObject holding `senderBlock(label.sender)`; without it the sender is written out.
 */
export function drawLabel(c: Content, label: LabelData, senderForm?: string): PlacedBarcodes {
  c.raw(senderForm ? `/Fr Do /${senderForm} Do\n` : "/Fr Do\n");

  // DataMatrix, top right.
  const dmText =
    label.dataMatrix ?? defaultDataMatrix(label.trackingNumber, label.recipient.postcode, label.orderId);
  const dm = encodeDataMatrix(dmText);
  const region = LABEL_REGIONS.dataMatrix;
  let dmDots = DATAMATRIX_DOTS;
  while (dmDots > 3 && dm.size * dmDots * DOT_203 > region.maxSize) dmDots--;
  const dmSize = dm.size * dmDots * DOT_203;
  const dmX = snapToDots(region.right - dmSize);
  const dmY = snapToDots(y(region.top) - dmSize);
  c.imageMask(dataMatrixRows(dm), dm.size, dm.size, dmX, dmY, dmSize, dmSize);

  // Header: courier, service, weight, reference.
  const headWidth = dmX - MARGIN - 8;
  const courier = toWinAnsi(label.courierName.toUpperCase());
  c.text(courier, "bold", fitSize(courier, "bold", 18, 10, headWidth), MARGIN, y(30));
  c.text(fitText(toWinAnsi(label.serviceName), "regular", 11, headWidth), "regular", 11, MARGIN, y(46));
  const weight = weightText(label.weightGrams);
  if (weight) c.text(`Weight: ${weight}`, "regular", 9, MARGIN, y(62));
  if (label.reference)
    c.text(
      fitText(toWinAnsi(`Ref: ${label.reference}`), "regular", 9, headWidth),
      "regular",
      9,
      MARGIN,
      y(75),
    );

  if (!senderForm) drawSender(c, label.sender);

  // Recipient.
  const r = label.recipient;
  c.text(fitText(toWinAnsi(r.name), "bold", 14, INNER), "bold", 14, MARGIN, y(154));
  // Every address line, wrapped (never cut); the type gets smaller until they all fit above the postcode.
  const wrapped = wrapToFit(
    addressLines(r).map(toWinAnsi),
    "regular",
    [12, 11, 10, 9, 8, 7],
    INNER,
    78,
    (n) => n + 2,
  );
  wrapped.lines.forEach((line, i) => {
    c.text(line, "regular", wrapped.size, MARGIN, y(170 + i * (wrapped.size + 2)));
  });
  const postcode = toWinAnsi(r.postcode.toUpperCase());
  c.text(postcode, "bold", fitSize(postcode, "bold", 28, 14, INNER), MARGIN, y(264));
  if (r.phone) {
    const phone = toWinAnsi(`Tel: ${r.phone}`);
    c.text(phone, "regular", 8, LABEL_WIDTH - MARGIN - textWidth(phone, "regular", 8), y(264));
  }

  // Code 128 of the tracking number, centred, on whole printer dots.
  const code = encodeCode128(label.trackingNumber);
  let dots = CODE128_DOTS;
  while (dots > 2 && (code.modules + 2 * QUIET_MODULES) * dots * DOT_203 > LABEL_WIDTH - 8) dots--;
  const barWidth = code.modules * dots * DOT_203;
  const barTop = LABEL_REGIONS.code128.top;
  const barHeight = snapToDots(LABEL_REGIONS.code128.bottom - barTop);
  const barX = snapToDots((LABEL_WIDTH - barWidth) / 2);
  const barY = snapToDots(y(LABEL_REGIONS.code128.bottom));
  c.imageMask(code128Row(code), code.modules, 1, barX, barY, barWidth, barHeight);
  const tracking = toWinAnsi(label.trackingNumber);
  const trackingSize = fitSize(tracking, "bold", 14, 8, INNER - 50);
  c.text(
    tracking,
    "bold",
    trackingSize,
    (LABEL_WIDTH - textWidth(tracking, "bold", trackingSize)) / 2,
    y(372),
  );

  // Footer: order id.
  c.text(fitText(toWinAnsi(label.orderId), "bold", 11, INNER - 40), "bold", 11, 48, y(397));

  return {
    code128: { x: barX, y: barY, width: barWidth, height: barHeight, moduleDots: dots },
    dataMatrix: { x: dmX, y: dmY, size: dmSize, moduleDots: dmDots, modules: dm.size },
  };
}
