// DataMatrix ECC 200, square symbols 10x10 to 48x48 (single Reed-Solomon block), ASCII
// encodation with digit-pair compaction, and the standard ("utah") module placement.
import { ConsignError, ErrorCode } from "@consign/domain";
import { reedSolomon } from "./reed-solomon.ts";

interface SymbolSize {
  size: number;
  /** Data region edge in modules (inside its finder/timing border). */
  region: number;
  /** Regions per side. */
  regions: number;
  dataCodewords: number;
  eccCodewords: number;
}

// biome-ignore format: one symbol size per row
const SIZES: readonly SymbolSize[] = [
  { size: 10, region: 8, regions: 1, dataCodewords: 3, eccCodewords: 5 },
  { size: 12, region: 10, regions: 1, dataCodewords: 5, eccCodewords: 7 },
  { size: 14, region: 12, regions: 1, dataCodewords: 8, eccCodewords: 10 },
  { size: 16, region: 14, regions: 1, dataCodewords: 12, eccCodewords: 12 },
  { size: 18, region: 16, regions: 1, dataCodewords: 18, eccCodewords: 14 },
  { size: 20, region: 18, regions: 1, dataCodewords: 22, eccCodewords: 18 },
  { size: 22, region: 20, regions: 1, dataCodewords: 30, eccCodewords: 20 },
  { size: 24, region: 22, regions: 1, dataCodewords: 36, eccCodewords: 24 },
  { size: 26, region: 24, regions: 1, dataCodewords: 44, eccCodewords: 28 },
  { size: 32, region: 14, regions: 2, dataCodewords: 62, eccCodewords: 36 },
  { size: 36, region: 16, regions: 2, dataCodewords: 86, eccCodewords: 42 },
  { size: 40, region: 18, regions: 2, dataCodewords: 114, eccCodewords: 48 },
  { size: 44, region: 20, regions: 2, dataCodewords: 144, eccCodewords: 56 },
  { size: 48, region: 22, regions: 2, dataCodewords: 174, eccCodewords: 68 },
];

export interface DataMatrix {
  /** Modules per side, finder and timing borders included. */
  size: number;
  /** Row-major, row 0 at the top; true = dark module. */
  modules: Uint8Array;
  /** Data then error-correction codewords. */
  codewords: Uint8Array;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** ASCII encodation: digit pairs → 130+nn, ASCII → c+1, Latin-1 upper half → 235, c-127. */
export function dataMatrixAscii(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (isDigit(c) && isDigit(next)) {
      out.push(130 + (c - 48) * 10 + (next - 48));
      i++;
    } else if (c < 128) {
      out.push(c + 1);
    } else if (c < 256) {
      out.push(235, c - 127);
    } else {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `"${text}" cannot go in a DataMatrix: character ${i + 1} is outside ISO 8859-1.`,
      );
    }
  }
  return out;
}

function chooseSize(count: number): SymbolSize {
  for (const s of SIZES) if (s.dataCodewords >= count) return s;
  throw new ConsignError(
    ErrorCode.BadRequest,
    `The DataMatrix text is too long: ${count} codewords, at most ${SIZES[SIZES.length - 1]?.dataCodewords} fit.`,
  );
}

/** Data codewords padded to the symbol's capacity (129, then the 253-state randomised pads). */
function pad(data: number[], capacity: number): Uint8Array {
  const out = new Uint8Array(capacity);
  out.set(data);
  for (let i = data.length; i < capacity; i++) {
    if (i === data.length) {
      out[i] = 129;
      continue;
    }
    const r = ((149 * (i + 1)) % 253) + 1;
    const v = 129 + r;
    out[i] = v > 254 ? v - 254 : v;
  }
  return out;
}

/**
 * Module placement for an nrow x ncol mapping matrix (data regions joined, borders removed).
 * Each cell gets codeword*8 + bit index (bit 0 = most significant), or FIXED_ON/FIXED_OFF.
 */
const FIXED_OFF = -2;
const FIXED_ON = -1;
const placements = new Map<number, Int32Array>();

function placement(n: number): Int32Array {
  const cached = placements.get(n);
  if (cached) return cached;
  const nrow = n;
  const ncol = n;
  const cells = new Int32Array(nrow * ncol).fill(-3); // -3 = not yet placed
  const module = (r: number, c: number, chr: number, bit: number) => {
    let row = r;
    let col = c;
    if (row < 0) {
      row += nrow;
      col += 4 - ((nrow + 4) % 8);
    }
    if (col < 0) {
      col += ncol;
      row += 4 - ((ncol + 4) % 8);
    }
    cells[row * ncol + col] = chr * 8 + bit;
  };
  const utah = (r: number, c: number, chr: number) => {
    module(r - 2, c - 2, chr, 0);
    module(r - 2, c - 1, chr, 1);
    module(r - 1, c - 2, chr, 2);
    module(r - 1, c - 1, chr, 3);
    module(r - 1, c, chr, 4);
    module(r, c - 2, chr, 5);
    module(r, c - 1, chr, 6);
    module(r, c, chr, 7);
  };
  const corner = (chr: number, spots: readonly (readonly [number, number])[]) => {
    spots.forEach(([r, c], bit) => {
      module(r, c, chr, bit);
    });
  };
  const corner1 = (chr: number) =>
    corner(chr, [
      [nrow - 1, 0],
      [nrow - 1, 1],
      [nrow - 1, 2],
      [0, ncol - 2],
      [0, ncol - 1],
      [1, ncol - 1],
      [2, ncol - 1],
      [3, ncol - 1],
    ]);
  const corner2 = (chr: number) =>
    corner(chr, [
      [nrow - 3, 0],
      [nrow - 2, 0],
      [nrow - 1, 0],
      [0, ncol - 4],
      [0, ncol - 3],
      [0, ncol - 2],
      [0, ncol - 1],
      [1, ncol - 1],
    ]);
  const corner3 = (chr: number) =>
    corner(chr, [
      [nrow - 3, 0],
      [nrow - 2, 0],
      [nrow - 1, 0],
      [0, ncol - 2],
      [0, ncol - 1],
      [1, ncol - 1],
      [2, ncol - 1],
      [3, ncol - 1],
    ]);
  const corner4 = (chr: number) =>
    corner(chr, [
      [nrow - 1, 0],
      [nrow - 1, ncol - 1],
      [0, ncol - 3],
      [0, ncol - 2],
      [0, ncol - 1],
      [1, ncol - 3],
      [1, ncol - 2],
      [1, ncol - 1],
    ]);
  const empty = (r: number, c: number) => cells[r * ncol + c] === -3;

  let chr = 0;
  let row = 4;
  let col = 0;
  do {
    if (row === nrow && col === 0) corner1(chr++);
    if (row === nrow - 2 && col === 0 && ncol % 4 !== 0) corner2(chr++);
    if (row === nrow - 2 && col === 0 && ncol % 8 === 4) corner3(chr++);
    if (row === nrow + 4 && col === 2 && ncol % 8 === 0) corner4(chr++);
    do {
      if (row < nrow && col >= 0 && empty(row, col)) utah(row, col, chr++);
      row -= 2;
      col += 2;
    } while (row >= 0 && col < ncol);
    row += 1;
    col += 3;
    do {
      if (row >= 0 && col < ncol && empty(row, col)) utah(row, col, chr++);
      row += 2;
      col -= 2;
    } while (row < nrow && col >= 0);
    row += 3;
    col += 1;
  } while (row < nrow || col < ncol);
  if (empty(nrow - 1, ncol - 1)) {
    cells[(nrow - 1) * ncol + ncol - 1] = FIXED_ON;
    cells[(nrow - 2) * ncol + ncol - 2] = FIXED_ON;
    cells[(nrow - 1) * ncol + ncol - 2] = FIXED_OFF;
    cells[(nrow - 2) * ncol + ncol - 1] = FIXED_OFF;
  }
  placements.set(n, cells);
  return cells;
}

const layouts = new Map<number, Int32Array>();

/**
 * For each module of a symbol, row-major: FIXED_ON / FIXED_OFF for finder, timing and the
 * fixed corner, else codeword*8 + bit. Built once per symbol size.
 */
function symbolLayout(spec: SymbolSize): Int32Array {
  const cached = layouts.get(spec.size);
  if (cached) return cached;
  const n = spec.region * spec.regions;
  const cells = placement(n);
  const size = spec.size;
  const out = new Int32Array(size * size);
  const cell = spec.region + 2;
  for (let r = 0; r < size; r++) {
    const rr = r % cell;
    for (let c = 0; c < size; c++) {
      const cc = c % cell;
      let v: number;
      if (cc === 0 || rr === cell - 1)
        v = FIXED_ON; // solid "L": left column, bottom row
      else if (rr === 0)
        v = cc % 2 === 0 ? FIXED_ON : FIXED_OFF; // alternating top edge
      else if (cc === cell - 1)
        v = rr % 2 === 1 ? FIXED_ON : FIXED_OFF; // alternating right edge
      else {
        const mr = Math.floor(r / cell) * spec.region + rr - 1;
        const mc = Math.floor(c / cell) * spec.region + cc - 1;
        v = cells[mr * n + mc] ?? FIXED_OFF;
        if (v < 0 && v !== FIXED_ON) v = FIXED_OFF;
      }
      out[r * size + c] = v;
    }
  }
  layouts.set(spec.size, out);
  return out;
}

/** Encodes `text` (ISO 8859-1) as the smallest square ECC 200 symbol that holds it. */
export function encodeDataMatrix(text: string): DataMatrix {
  const data = dataMatrixAscii(text);
  const spec = chooseSize(data.length);
  const padded = pad(data, spec.dataCodewords);
  const codewords = new Uint8Array(spec.dataCodewords + spec.eccCodewords);
  codewords.set(padded);
  codewords.set(reedSolomon(padded, spec.eccCodewords), spec.dataCodewords);

  const layout = symbolLayout(spec);
  const size = spec.size;
  const modules = new Uint8Array(size * size);
  for (let i = 0; i < modules.length; i++) {
    const v = layout[i] as number;
    modules[i] = v === FIXED_ON ? 1 : v < 0 ? 0 : ((codewords[v >> 3] as number) >> (7 - (v & 7))) & 1;
  }
  return { size, modules, codewords };
}

export const DATAMATRIX_SIZES = SIZES;
