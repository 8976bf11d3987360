// Barcodes as 1-bit rows padded to whole bytes (dark = 1), ready for a PDF image mask.
import type { Code128 } from "./code128.ts";
import type { DataMatrix } from "./datamatrix.ts";

/** One row, one sample per module. */
export function code128Row(code: Code128): Uint8Array {
  const out = new Uint8Array((code.modules + 7) >> 3);
  let at = 0;
  for (let i = 0; i < code.widths.length; i++) {
    const w = code.widths[i] ?? 0;
    if (i % 2 === 0) {
      for (let k = at; k < at + w; k++) out[k >> 3] = (out[k >> 3] ?? 0) | (0x80 >> (k & 7));
    }
    at += w;
  }
  return out;
}

/** `size` rows of `size` samples, row 0 at the top. */
export function dataMatrixRows(dm: DataMatrix): Uint8Array {
  const rowBytes = (dm.size + 7) >> 3;
  const out = new Uint8Array(rowBytes * dm.size);
  const { size, modules } = dm;
  for (let r = 0; r < size; r++) {
    const row = r * size;
    const at = r * rowBytes;
    for (let c = 0; c < size; c++) {
      if (modules[row + c] === 1) out[at + (c >> 3)] = (out[at + (c >> 3)] as number) | (0x80 >> (c & 7));
    }
  }
  return out;
}
