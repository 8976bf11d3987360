// A courier's own ZPL label (4x6 in) as Amazon Shipping sends it when asked for format ZPL: the
// same lines and barcodes as its PDF (pdf.ts), as printer commands at the printer's resolution:
// text in the printer's scalable font 0, Code 128 as ^BC and Royal Mail's 2D code as ^BX
// (DataMatrix, ECC 200), so a thermal printer draws every bar on its own dots.
import type { LabelBarcodes } from "./pdf.ts";

/** Field data as ASCII the printer reads literally (^ and ~ would start a command). */
function fieldText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").replace(/[\^~]/g, " ");
}

export function labelZpl(
  lines: { text: string; size?: number; bold?: boolean }[],
  barcodes: LabelBarcodes,
  dpi: 203 | 300,
): string {
  const dot = (pt: number) => Math.round((pt * dpi) / 72);
  const out = [`^XA`, `^CI0`, `^PW${4 * dpi}`, `^LL${6 * dpi}`, `^LH0,0`];
  out.push(`^FO${dot(10)},${dot(10)}^GB${dot(268)},${dot(412)},${Math.max(1, dot(0.5))}^FS`);
  let y = dot(32);
  for (const line of lines) {
    const size = dot(line.size ?? 11);
    out.push(
      `^FO${dot(20)},${y}^A0N,${size},${line.bold ? Math.round(size * 1.1) : size}^FD${fieldText(line.text)}^FS`,
    );
    y += size + dot(8);
  }
  // Code 128 at 3 dots a module (4 at 300 dpi), below the text, each with its line under it.
  const module = dpi === 300 ? 4 : 3;
  let barTop = Math.max(y + dot(14), dot(262));
  for (const text of barcodes.code128 ?? []) {
    out.push(`^FO${dot(12)},${barTop}^BY${module}^BCN,${dot(56)},N,N,N,A^FD${fieldText(text)}^FS`);
    out.push(`^FO${dot(20)},${barTop + dot(60)}^A0N,${dot(8)},${dot(8)}^FD${fieldText(text)}^FS`);
    barTop += dot(80);
  }
  if (barcodes.dataMatrix) {
    const dm = dpi === 300 ? 9 : 6;
    out.push(`^FO${dot(190)},${dot(14)}^BXN,${dm},200^FD${fieldText(barcodes.dataMatrix)}^FS`);
  }
  out.push("^XZ");
  return `${out.join("\n")}\n`;
}
