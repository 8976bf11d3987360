// What a printer would print for the ZPL Consign writes, as a 1-bit bitmap: rules and boxes
// (^GB), Code 128 (^BC), DataMatrix (^BX, ECC 200) and graphic fields (^GFA, with ZPL's ASCII
// compression). Text (^A) is not drawn. Used to check labels with real barcode readers and to
// preview a print; it reads our own output, not every ZPL program (anything else is refused).

import { ConsignError, ErrorCode } from "@consign/domain";
import { encodeCode128 } from "../barcode/code128.ts";
import { encodeDataMatrix } from "../barcode/datamatrix.ts";
import type { Bitmap1 } from "./graphic.ts";

const KNOWN = new Set([
  "XA",
  "XZ",
  "CI",
  "PW",
  "LL",
  "LH",
  "FO",
  "FT",
  "GB",
  "BY",
  "BC",
  "BX",
  "FH",
  "FD",
  "FS",
  "GF",
  "PQ",
  "SD",
  "A0",
]);

class Canvas {
  readonly rowBytes: number;
  readonly bits: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rowBytes = (width + 7) >> 3;
    this.bits = new Uint8Array(this.rowBytes * height);
  }
  fill(x: number, y: number, w: number, h: number): void {
    const x0 = Math.max(0, x);
    const x1 = Math.min(this.width, x + w);
    for (let r = Math.max(0, y); r < Math.min(this.height, y + h); r++) {
      for (let c = x0; c < x1; c++) this.bits[r * this.rowBytes + (c >> 3)]! |= 0x80 >> (c & 7);
    }
  }
  toBitmap(): Bitmap1 {
    return { width: this.width, height: this.height, rowBytes: this.rowBytes, bits: this.bits };
  }
}

function unhex(data: string, fh: boolean): string {
  if (!fh) return data;
  return data.replace(/_([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** Expands ^GFA data (hex with ZPL's ASCII compression) to bytes. */
export function expandGraphicData(data: string, total: number, rowBytes: number): Uint8Array {
  const out = new Uint8Array(total);
  const rows = total / rowBytes;
  let previous = "";
  let r = 0;
  let row = "";
  let count = 0;
  const endRow = () => {
    const full = row.padEnd(rowBytes * 2, "0").slice(0, rowBytes * 2);
    for (let i = 0; i < rowBytes; i++)
      out[r * rowBytes + i] = Number.parseInt(full.slice(2 * i, 2 * i + 2), 16);
    previous = full;
    row = "";
    r++;
  };
  for (let i = 0; i < data.length && r < rows; i++) {
    const ch = data[i] as string;
    const code = ch.charCodeAt(0);
    if (code >= 0x47 && code <= 0x59) count += code - 0x46;
    else if (code >= 0x67 && code <= 0x7a) count += (code - 0x66) * 20;
    else if (ch === ",") {
      row = row.padEnd(rowBytes * 2, "0");
      endRow();
    } else if (ch === "!") {
      row = row.padEnd(rowBytes * 2, "F");
      endRow();
    } else if (ch === ":") {
      row = previous;
      endRow();
    } else if (/[0-9A-Fa-f]/.test(ch)) {
      row += ch.toUpperCase().repeat(Math.max(1, count));
      count = 0;
      if (row.length >= rowBytes * 2) endRow();
    }
  }
  return out;
}

/** Renders every ^XA...^XZ format in `zpl`, one bitmap each. */
export function rasterizeZpl(zpl: string): Bitmap1[] {
  const pages: Bitmap1[] = [];
  let width = 812;
  let height = 1218;
  let canvas: Canvas | undefined;
  let x = 0;
  let y = 0;
  let module = 2;
  let pending: { kind: "BC"; height: number } | { kind: "BX"; module: number } | undefined;
  let fh = false;
  const tokens = zpl.split(/(?=[\^~])/);
  for (const token of tokens) {
    const t = token.replace(/^[\^~]/, "").replace(/\s+$/, "");
    if (!t) continue;
    const cmd = t.slice(0, 2).toUpperCase();
    const args = t.slice(2).split(",");
    const num = (i: number) => Number(args[i]);
    if (cmd.startsWith("A")) continue; // fonts: text is not drawn
    if (cmd === "FX") continue; // a comment (Consign tags each format with its order and label)
    if (!KNOWN.has(cmd)) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `This preview reads Consign's own ZPL only; it does not know ^${cmd}.`,
      );
    }
    switch (cmd) {
      case "XA":
        canvas = undefined;
        break;
      case "PW":
        width = num(0);
        break;
      case "LL":
        height = num(0);
        break;
      case "FO":
      case "FT":
        x = num(0);
        y = num(1);
        break;
      case "BY":
        module = num(0);
        break;
      case "BC":
        pending = { kind: "BC", height: num(1) };
        break;
      case "BX":
        pending = { kind: "BX", module: num(1) };
        break;
      case "FH":
        fh = true;
        break;
      case "GB": {
        canvas ??= new Canvas(width, height);
        const th = num(2) || 1;
        const w = Math.max(num(0), th);
        const h = Math.max(num(1), th);
        canvas.fill(x, y, w, th);
        canvas.fill(x, y + h - th, w, th);
        canvas.fill(x, y, th, h);
        canvas.fill(x + w - th, y, th, h);
        break;
      }
      case "GF": {
        canvas ??= new Canvas(width, height);
        const total = num(2);
        const rowBytes = num(3);
        const data = expandGraphicData(args.slice(4).join(","), total, rowBytes);
        const rows = total / rowBytes;
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < rowBytes * 8; c++) {
            if (((data[r * rowBytes + (c >> 3)] as number) >> (7 - (c & 7))) & 1)
              canvas.fill(x + c, y + r, 1, 1);
          }
        }
        break;
      }
      case "FD": {
        canvas ??= new Canvas(width, height);
        const text = unhex(t.slice(2), fh);
        if (pending?.kind === "BC") {
          const code = encodeCode128(text);
          let at = x;
          code.widths.forEach((w, i) => {
            if (i % 2 === 0) canvas?.fill(at, y, w * module, pending?.kind === "BC" ? pending.height : 0);
            at += w * module;
          });
        } else if (pending?.kind === "BX") {
          const dm = encodeDataMatrix(text);
          const m = pending.module;
          for (let r = 0; r < dm.size; r++)
            for (let c = 0; c < dm.size; c++)
              if (dm.modules[r * dm.size + c]) canvas.fill(x + c * m, y + r * m, m, m);
        }
        break;
      }
      case "FS":
        pending = undefined;
        fh = false;
        break;
      case "XZ":
        pages.push((canvas ?? new Canvas(width, height)).toBitmap());
        canvas = undefined;
        break;
    }
  }
  return pages;
}
