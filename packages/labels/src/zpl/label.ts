// The same 4x6 label as ZPL II for Zebra thermal printers at 203 dpi (812 x 1218 dots):
// text in the scalable font 0, ^BC for the Code 128 and ^BX (ECC 200) for the DataMatrix.
// Text goes out in code page 1252 (^CI27), which is WinAnsi; bytes outside printable ASCII and
// ZPL's own control characters are written as ^FH hex escapes.
import type { Address } from "@consign/domain";
import { encodeCode128 } from "./barcode/code128.ts";
import { encodeDataMatrix } from "./barcode/datamatrix.ts";
import { checkLabelData, type LabelData } from "./label-data.ts";
import { defaultDataMatrix } from "./mailmark.ts";
import { type FontWeight, fitText, textWidth, toWinAnsi } from "./text/winansi.ts";

const DPI = 203;
const WIDTH = 812;
const HEIGHT = 1218;
const MARGIN = 34;
const dots = (pt: number) => Math.round((pt * DPI) / 72);

/** ZPL field data: WinAnsi bytes with ^, ~, _ and non-ASCII as _hh (for ^FH). */
function fieldData(winAnsi: string): string {
  let out = "";
  for (let i = 0; i < winAnsi.length; i++) {
    const c = winAnsi.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5e || c === 0x7e || c === 0x5f)
      out += `_${c.toString(16).padStart(2, "0")}`;
    else out += winAnsi[i];
  }
  return out;
}

/** Text with its baseline at (x, baseline) dots; font sizes in points as on the PDF label. */
function text(
  unicode: string,
  weight: FontWeight,
  sizePt: number,
  x: number,
  baseline: number,
  maxPt = 264,
): string {
  const t = fitText(toWinAnsi(unicode), weight, sizePt, maxPt);
  const h = dots(sizePt);
  const w = weight === "bold" ? Math.round(h * 0.95) : Math.round(h * 0.8);
  return `^FT${x},${baseline}^A0N,${h},${w}^FH^FD${fieldData(t)}^FS\n`;
}

function addressLines(a: Address): string[] {
  return [a.line1, a.line2, a.line3, a.city, a.county].filter((l): l is string => !!l?.trim());
}

export function toZpl(label: LabelData): string {
  checkLabelData(label);
  const y = dots; // top-based positions in points → dots
  let z = `^XA\n^CI27\n^PW${WIDTH}\n^LL${HEIGHT}\n^LH0,0\n`;
  for (const top of [86, 124, 274, 380]) z += `^FO${dots(8)},${y(top)}^GB${WIDTH - 2 * dots(8)},0,3^FS\n`;

  const dmText =
    label.dataMatrix ?? defaultDataMatrix(label.trackingNumber, label.recipient.postcode, label.orderId);
  const dmSize = encodeDataMatrix(dmText).size * 6;
  z += `^FO${WIDTH - MARGIN - dmSize},${y(10)}^BXN,6,200^FH^FD${fieldData(toWinAnsi(dmText))}^FS\n`;

  z += text(label.courierName.toUpperCase(), "bold", 18, MARGIN, y(30), 180);
  z += text(label.serviceName, "regular", 11, MARGIN, y(46), 180);
  if (label.weightGrams !== undefined)
    z += text(`Weight: ${label.weightGrams} g`, "regular", 9, MARGIN, y(62));
  if (label.reference) z += text(`Ref: ${label.reference}`, "regular", 9, MARGIN, y(75), 180);

  const s = label.sender;
  z += text("FROM", "bold", 7, MARGIN, y(96));
  z += text(s.name, "bold", 8, dots(44), y(96), 232);
  z += text([s.line1, s.line2].filter(Boolean).join(", "), "regular", 8, dots(44), y(106), 232);
  z += text(`${s.city} ${s.postcode}`, "regular", 8, dots(44), y(116), 232);

  const r = label.recipient;
  z += text("DELIVER TO", "bold", 8, MARGIN, y(136));
  z += text(r.name, "bold", 14, MARGIN, y(154));
  let top = 170;
  for (const line of addressLines(r).slice(0, 5)) {
    z += text(line, "regular", 12, MARGIN, y(top));
    top += 14;
  }
  z += text(r.postcode.toUpperCase(), "bold", 28, MARGIN, y(264));

  const code = encodeCode128(label.trackingNumber);
  const moduleDots = (code.modules + 20) * 3 <= WIDTH - 20 ? 3 : 2;
  const barX = Math.round((WIDTH - code.modules * moduleDots) / 2);
  z += `^FO${barX},${y(284)}^BY${moduleDots}^BCN,${y(352) - y(284)},N,N,N,A^FD${label.trackingNumber}^FS\n`;
  const tracking = toWinAnsi(label.trackingNumber);
  z += text(
    label.trackingNumber,
    "bold",
    14,
    Math.round((WIDTH - dots(textWidth(tracking, "bold", 14))) / 2),
    y(372),
  );

  z += text("ORDER", "bold", 7, MARGIN, y(396));
  z += text(label.orderId, "bold", 11, dots(48), y(397));
  z += "^XZ\n";
  return z;
}

/** Several labels, one ^XA...^XZ format each, ready to send to the printer in one go. */
export function toZplBatch(labels: readonly LabelData[]): string {
  return labels.map(toZpl).join("");
}
