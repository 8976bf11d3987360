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

/** ASCII codes of the hex digits 0–F. */
const HEX_DIGIT = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70]);
const COMMA = 0x2c; // rest of the row white
const BANG = 0x21; // rest of the row black
const COLON = 0x3a; // same row as the one above

/**
 * Writes ZPL's ASCII-compressed hex straight into bytes: no string per row or per pixel (a 4x6
 * label at 203 dpi is 1,218 rows of 102 bytes, and courier runs are hundreds of labels).
 */
class GraphicWriter {
  buf: Uint8Array;
  at = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }
  /** `n` copies of the hex digit `digit`: repeat counts G–Y = 1–19, g–z = 20–400, at most 419 a run. */
  run(digit: number, n: number): void {
    this.room(3 * Math.ceil(n / 419));
    const c = HEX_DIGIT[digit] as number;
    while (n > 0) {
      const take = Math.min(n, 419);
      if (take > 1) {
        if (take >= 20) this.buf[this.at++] = 0x67 + Math.floor(take / 20) - 1; // g = 20 … z = 400
        const ones = take % 20;
        if (ones > 0) this.buf[this.at++] = 0x47 + ones - 1; // G = 1 … Y = 19
      }
      this.buf[this.at++] = c;
      n -= take;
    }
  }
  text(): string {
    return new TextDecoder("latin1").decode(this.buf.subarray(0, this.at));
  }
}

/** One row of packed bits as compressed hex: runs of a digit, a white or black tail as "," or "!". */
function writeRow(w: GraphicWriter, bits: Uint8Array, from: number, rowBytes: number): void {
  const nibbles = rowBytes * 2;
  const nibble = (i: number) => {
    const b = bits[from + (i >> 1)] as number;
    return i & 1 ? b & 15 : b >> 4;
  };
  let end = nibbles;
  const last = nibble(end - 1);
  let tail = 0;
  if (last === 0 || last === 15) {
    // whole bytes first (most rows end in white paper), then the odd nibble
    const fill = last === 0 ? 0 : 255;
    while (end >= 2 && bits[from + (end >> 1) - 1] === fill) end -= 2;
    while (end > 0 && nibble(end - 1) === last) end--;
    tail = last === 0 ? COMMA : BANG;
  }
  let i = 0;
  while (i < end) {
    const d = nibble(i);
    let j = i + 1;
    if ((j & 1) === 1 && j < end && nibble(j) === d) j++;
    if ((j & 1) === 0) {
      // the run goes on a whole byte (two equal digits) at a time
      const same = d * 17;
      while (j + 1 < end && bits[from + (j >> 1)] === same) j += 2;
    }
    while (j < end && nibble(j) === d) j++;
    w.run(d, j - i);
    i = j;
  }
  if (tail) w.byte(tail);
}

function sameRow(bits: Uint8Array, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (bits[a + k] !== bits[b + k]) return false;
  return true;
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
  const w = new GraphicWriter(Math.max(1024, total >> 2));
  for (let r = 0; r < height; r++) {
    const from = r * rowBytes;
    if (r > 0 && sameRow(bits, from, from - rowBytes, rowBytes)) w.byte(COLON);
    else writeRow(w, bits, from, rowBytes);
  }
  return `^GFA,${total},${total},${rowBytes},${w.text()}`;
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
