// A 1-bit bitmap (1 = black) as a black-and-white PNG, for barcode readers and previews.
import { zlibDeflate } from "../pdf/flate.ts";
import type { Bitmap1 } from "./graphic.ts";

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function bitmapToPng(bitmap: Bitmap1): Uint8Array {
  const { width, height, rowBytes, bits } = bitmap;
  const pngRow = (width + 7) >> 3;
  const raw = new Uint8Array((pngRow + 1) * height);
  for (let r = 0; r < height; r++) {
    const at = r * (pngRow + 1);
    raw[at] = 0; // filter: none
    // PNG greyscale: 1 = white, so invert.
    for (let i = 0; i < pngRow; i++) raw[at + 1 + i] = ~(bits[r * rowBytes + i] as number) & 0xff;
  }
  const header = new Uint8Array(13);
  const h = new DataView(header.buffer);
  h.setUint32(0, width);
  h.setUint32(4, height);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlibDeflate(raw)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A region of a bitmap (for decoding one barcode: whole labels are slow for dmtxread). */
export function cropBitmap(bitmap: Bitmap1, x: number, y: number, width: number, height: number): Bitmap1 {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const w = Math.min(bitmap.width - x0, Math.ceil(width));
  const h = Math.min(bitmap.height - y0, Math.ceil(height));
  const rowBytes = (w + 7) >> 3;
  const bits = new Uint8Array(rowBytes * h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const sx = x0 + c;
      if (((bitmap.bits[(y0 + r) * bitmap.rowBytes + (sx >> 3)] as number) >> (7 - (sx & 7))) & 1)
        bits[r * rowBytes + (c >> 3)]! |= 0x80 >> (c & 7);
    }
  }
  return { width: w, height: h, rowBytes, bits };
}
