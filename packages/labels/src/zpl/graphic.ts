// A 1-bit picture as a ZPL graphic field (^GFA): for couriers' PDF labels rendered at the
// printer's resolution, one printer dot per pixel, so their barcodes stay as sharp as the
// courier drew them. Rows are hex with ZPL's ASCII compression (repeat counts G–Y = 1–19,
// g–z = 20–400, "," for a row ending in white, "!" ending in black, ":" for a repeated row),
// which takes a typical label from ~100 KB of hex to a few KB.

import { ConsignError, ErrorCode } from "@consign/domain";
import { ZplFormat } from "./format.ts";
import type { PrinterProfile } from "./profile.ts";

/** Packed 1-bit rows, most significant bit first, 1 = black (printed dot). */
export interface Bitmap1 {
  width: number;
  height: number;
  /** Bytes per row: at least ceil(width / 8). */
  rowBytes: number;
  bits: Uint8Array;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).toUpperCase().padStart(2, "0"),
);

function repeatCount(n: number): string {
  let s = "";
  if (n >= 20) {
    s += String.fromCharCode(0x67 + Math.floor(n / 20) - 1); // g = 20 … z = 400
    n %= 20;
  }
  if (n > 0) s += String.fromCharCode(0x47 + n - 1); // G = 1 … Y = 19
  return s;
}

function run(c: string, n: number): string {
  let s = "";
  while (n > 0) {
    const take = Math.min(n, 419);
    s += take === 1 ? c : repeatCount(take) + c;
    n -= take;
  }
  return s;
}

function compressRow(hex: string): string {
  let end = hex.length;
  let tail = "";
  const last = hex[end - 1];
  if (last === "0" || last === "F") {
    while (end > 0 && hex[end - 1] === last) end--;
    tail = last === "0" ? "," : "!";
  }
  let out = "";
  let i = 0;
  while (i < end) {
    const c = hex[i] as string;
    let j = i + 1;
    while (j < end && hex[j] === c) j++;
    out += run(c, j - i);
    i = j;
  }
  return out + tail;
}

/** The ^GFA command (without ^FO/^FS) for a 1-bit bitmap. */
export function zplGraphicField(bitmap: Bitmap1): string {
  const { height, rowBytes, bits } = bitmap;
  if (rowBytes < Math.ceil(bitmap.width / 8) || bits.length < rowBytes * height) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `The label picture is ${bits.length} bytes, too short for ${bitmap.width} x ${height} dots: render it again.`,
    );
  }
  const total = rowBytes * height;
  let data = "";
  let previous = "";
  for (let r = 0; r < height; r++) {
    let hex = "";
    for (let b = r * rowBytes, e = b + rowBytes; b < e; b++) {
      const v = bits[b] as number;
      hex += HEX[v];
    }
    data += hex === previous ? ":" : compressRow(hex);
    previous = hex;
  }
  return `^GFA,${total},${total},${rowBytes},${data}`;
}

/**
 * A whole label that is one picture (a courier's PDF rendered at the printer's dpi), centred on
 * the profile's stock. A picture larger than the stock is refused: render it at the stock's size.
 */
export function zplGraphicLabel(bitmap: Bitmap1, profile: PrinterProfile): string {
  const f = new ZplFormat(profile);
  if (bitmap.width > f.width + 8 || bitmap.height > f.height + 8) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `The label picture is ${bitmap.width} x ${bitmap.height} dots but the printer's ${profile.stock} stock at ${profile.dpi} dpi is ${f.width} x ${f.height}: choose the stock loaded in the printer.`,
    );
  }
  const x = Math.max(0, Math.floor((f.width - bitmap.width) / 2));
  const y = Math.max(0, Math.floor((f.height - bitmap.height) / 2));
  return f.raw(`^FO${x},${y}${zplGraphicField(bitmap)}^FS\n`).finish();
}
