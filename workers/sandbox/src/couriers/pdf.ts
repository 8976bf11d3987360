// A minimal, valid one-page PDF label (4x6 in) in Helvetica, written by hand, with the barcodes
// the real courier prints: Code 128 (tracking and routing numbers) and, for Royal Mail, a 2D
// DataMatrix, drawn as filled squares on whole 203-dpi printer dots so a thermal printer prints
// them sharp and a scanner reads them (tests decode them with zbarimg and dmtxread).
import { encodeCode128, encodeDataMatrix } from "@consign/labels/barcode";

const encoder = new TextEncoder();

function escapeText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
}

const DOT = 72 / 203;
const dots = (pt: number) => Math.round(pt / DOT) * DOT;

export interface LabelBarcodes {
  /** Code 128 symbols, top to bottom, each with its human-readable line under it. */
  code128?: string[];
  /** A DataMatrix (Royal Mail's 2D barcode), top right. */
  dataMatrix?: string;
}

/** Bars of a Code 128 as filled rectangles, `module` dots a module, from x (left) at y (bottom). */
function code128Ops(text: string, x: number, y: number, height: number): string[] {
  const code = encodeCode128(text);
  const module = code.modules + 20 > 250 ? 2 : 3; // fits 268 pt at 3 dots a module, else 2
  const w = module * DOT;
  const ops: string[] = [];
  let at = dots(x) + 10 * w; // quiet zone
  code.widths.forEach((width, i) => {
    if (i % 2 === 0)
      ops.push(
        `${at.toFixed(3)} ${dots(y).toFixed(3)} ${(width * w).toFixed(3)} ${dots(height).toFixed(3)} re f`,
      );
    at += width * w;
  });
  ops.push(
    `BT /F1 8 Tf ${(dots(x) + 10 * w).toFixed(2)} ${(y - 10).toFixed(2)} Td (${escapeText(text)}) Tj ET`,
  );
  return ops;
}

/** A DataMatrix as filled squares, 6 dots a module, its top-right corner at (right, top). */
function dataMatrixOps(text: string, right: number, top: number): string[] {
  const dm = encodeDataMatrix(text);
  const m = 6 * DOT;
  const left = dots(right - dm.size * m);
  const ops: string[] = [];
  for (let r = 0; r < dm.size; r++) {
    for (let col = 0; col < dm.size; col++) {
      if (!dm.modules[r * dm.size + col]) continue;
      ops.push(
        `${(left + col * m).toFixed(3)} ${dots(top - (r + 1) * m).toFixed(3)} ${m.toFixed(3)} ${m.toFixed(3)} re f`,
      );
    }
  }
  return ops;
}

/**
 * Lines are drawn top to bottom; the first is large (the courier), the tracking number bold.
 * Barcodes go below the text (Code 128) and top right (DataMatrix).
 */
export function labelPdf(
  lines: { text: string; size?: number; bold?: boolean }[],
  barcodes: LabelBarcodes = {},
): Uint8Array {
  let y = 400;
  const ops: string[] = ["0.5 w 10 10 268 412 re S"];
  for (const line of lines) {
    const size = line.size ?? 11;
    y -= size + 8;
    ops.push(`BT /${line.bold ? "F2" : "F1"} ${size} Tf 20 ${y} Td (${escapeText(line.text)}) Tj ET`);
  }
  ops.push("0 g");
  let barTop = Math.min(y - 14, 170);
  for (const text of barcodes.code128 ?? []) {
    ops.push(...code128Ops(text, 12, barTop - 56, 56));
    barTop -= 80;
  }
  if (barcodes.dataMatrix) ops.push(...dataMatrixOps(barcodes.dataMatrix, 270, 420));
  const content = ops.join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    `<< /Length ${encoder.encode(content).length} >>\nstream\n${content}\nendstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(encoder.encode(out).length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = encoder.encode(out).length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return encoder.encode(out);
}

export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
