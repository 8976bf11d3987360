// A small synchronous zlib/deflate encoder (RFC 1950/1951) tuned for the 0.5–5 KB content
// streams of labels and slips: LZ77 over hash chains, then one block with whichever of dynamic
// Huffman, fixed Huffman or stored is smallest. All tables are reused between calls, so a
// label costs tens of microseconds where general-purpose libraries spend most of their time
// setting up state. Works the same in Node and in a browser web worker.
import { bump, canonicalCodes, huffmanLengths } from "./huffman.ts";

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** Order in which code-length code lengths are sent. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Match length 3..258 → length symbol index 0..28. */
const LENGTH_CODE = new Uint8Array(259);
for (let code = 0; code < 29; code++) {
  const base = LENGTH_BASE[code] ?? 0;
  const span = 1 << (LENGTH_EXTRA[code] ?? 0);
  for (let l = base; l < base + span && l <= 258; l++) LENGTH_CODE[l] = code;
}
LENGTH_CODE[258] = 28;

/** zlib's trick: distance-1 below 256 indexes directly, above it by (distance-1) >> 7. */
const DIST_CODE = new Uint8Array(512);
for (let code = 0; code < 30; code++) {
  const base = (DIST_BASE[code] ?? 1) - 1;
  const span = 1 << (DIST_EXTRA[code] ?? 0);
  for (let d = base; d < base + span; d++) {
    if (d < 256) DIST_CODE[d] = code;
    else DIST_CODE[256 + (d >> 7)] = code;
  }
}
const distCode = (d: number) => (d <= 256 ? (DIST_CODE[d - 1] ?? 0) : (DIST_CODE[256 + ((d - 1) >> 7)] ?? 0));

const HASH_BITS = 13;
const HASH_SIZE = 1 << HASH_BITS;
const MAX_CHAIN = 8;
const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const GOOD_ENOUGH = 64;

/**
 * Hash heads hold absolute positions (`positionBase` + index). Each call starts past everything
 * stored before, so stale heads fail the `>= origin` test and the table needs no clearing.
 */
const head = new Int32Array(HASH_SIZE).fill(-1);
let positionBase = 0;
let prev = new Int32Array(8192);
/** LZ77 output: literal byte (0..255) or 256 + length code index; parallel extra data. */
let syms = new Uint16Array(8192);
let symExtra = new Uint16Array(8192);
let dists = new Uint16Array(8192);
const litFreq = new Uint32Array(286);
const distFreq = new Uint32Array(30);
const clFreq = new Uint32Array(19);
const litLen = new Uint8Array(286);
const distLen = new Uint8Array(30);
const clLen = new Uint8Array(19);
const litCode = new Uint16Array(286);
const distCodeBits = new Uint16Array(30);
const clCode = new Uint16Array(19);
const FIXED_LIT_LEN = new Uint8Array(288);
FIXED_LIT_LEN.fill(8, 0, 144);
FIXED_LIT_LEN.fill(9, 144, 256);
FIXED_LIT_LEN.fill(7, 256, 280);
FIXED_LIT_LEN.fill(8, 280, 288);
const FIXED_DIST_LEN = new Uint8Array(30).fill(5);
const fixedLitCode = new Uint16Array(288);
const fixedDistCode = new Uint16Array(30);
canonicalCodes(FIXED_LIT_LEN, fixedLitCode, 288);
canonicalCodes(FIXED_DIST_LEN, fixedDistCode, 30);

class BitWriter {
  out: Uint8Array;
  pos = 0;
  private buf = 0;
  private count = 0;
  constructor(size: number) {
    this.out = new Uint8Array(size);
  }
  bits(value: number, n: number): void {
    this.buf |= value << this.count;
    this.count += n;
    while (this.count >= 8) {
      this.out[this.pos++] = this.buf & 0xff;
      this.buf >>>= 8;
      this.count -= 8;
    }
  }
  align(): void {
    if (this.count > 0) this.bits(0, 8 - this.count);
  }
  byte(b: number): void {
    this.out[this.pos++] = b;
  }
}

/** LZ77 pass: fills syms/symExtra/dists and the frequency tables; returns the symbol count. */
function lz77(input: Uint8Array, n: number): number {
  if (prev.length < n) prev = new Int32Array(n * 2);
  if (syms.length < n + 1) {
    syms = new Uint16Array(n * 2);
    symExtra = new Uint16Array(n * 2);
    dists = new Uint16Array(n * 2);
  }
  if (positionBase > 0x40000000) {
    head.fill(-1);
    positionBase = 0;
  }
  const origin = positionBase;
  positionBase += n + 1;
  litFreq.fill(0);
  distFreq.fill(0);
  let count = 0;
  let i = 0;
  const hashAt = (p: number) =>
    Math.imul(
      ((input[p] as number) << 16) | ((input[p + 1] as number) << 8) | (input[p + 2] as number),
      0x9e3779b1,
    ) >>>
    (32 - HASH_BITS);
  const insert = (p: number) => {
    const h = hashAt(p);
    prev[p] = head[h] as number;
    head[h] = origin + p;
  };
  while (i < n) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + MIN_MATCH <= n) {
      const h = hashAt(i);
      let cand = head[h] ?? -1;
      prev[i] = cand;
      head[h] = origin + i;
      const maxLen = Math.min(MAX_MATCH, n - i);
      let chain = MAX_CHAIN;
      // Chains hold absolute positions; anything below `origin` belongs to an earlier call.
      while (cand >= origin && origin + i - cand <= WINDOW && chain-- > 0) {
        cand -= origin;
        if (input[cand + bestLen] === input[i + bestLen] && input[cand] === input[i]) {
          let len = 1;
          while (len < maxLen && input[cand + len] === input[i + len]) len++;
          if (len > bestLen) {
            bestLen = len;
            bestDist = i - cand;
            if (len >= GOOD_ENOUGH || len === maxLen) break;
          }
        }
        cand = prev[cand] ?? -1; // absolute again
      }
    }
    if (bestLen >= MIN_MATCH) {
      const lc = LENGTH_CODE[bestLen] ?? 0;
      const dc = distCode(bestDist);
      syms[count] = 257 + lc;
      symExtra[count] = bestLen - (LENGTH_BASE[lc] ?? 0);
      dists[count] = bestDist;
      count++;
      bump(litFreq, 257 + lc);
      bump(distFreq, dc);
      const end = i + bestLen;
      for (let p = i + 1; p < end && p + MIN_MATCH <= n; p++) insert(p);
      i = end;
    } else {
      const b = input[i] ?? 0;
      syms[count++] = b;
      bump(litFreq, b);
      i++;
    }
  }
  litFreq[256] = 1;
  return count;
}

function adler32(input: Uint8Array, n: number): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < n) {
    const end = Math.min(n, i + 3800);
    for (; i < end; i++) {
      a += input[i] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Bits for all symbols (and the end of block) with the given code lengths. */
function symbolsCost(lit: Uint8Array, dist: Uint8Array): number {
  let bits = 0;
  for (let s = 0; s < 286; s++) {
    const f = litFreq[s] ?? 0;
    if (f) bits += f * ((lit[s] ?? 0) + (s > 256 ? (LENGTH_EXTRA[s - 257] ?? 0) : 0));
  }
  for (let d = 0; d < 30; d++) {
    const f = distFreq[d] ?? 0;
    if (f) bits += f * ((dist[d] ?? 0) + (DIST_EXTRA[d] ?? 0));
  }
  return bits;
}

function writeSymbols(
  w: BitWriter,
  count: number,
  lit: Uint8Array,
  litC: Uint16Array,
  dist: Uint8Array,
  distC: Uint16Array,
): void {
  for (let k = 0; k < count; k++) {
    const s = syms[k] ?? 0;
    w.bits(litC[s] ?? 0, lit[s] ?? 0);
    if (s > 256) {
      const lc = s - 257;
      const le = LENGTH_EXTRA[lc] ?? 0;
      if (le) w.bits(symExtra[k] ?? 0, le);
      const d = dists[k] ?? 1;
      const dc = distCode(d);
      w.bits(distC[dc] ?? 0, dist[dc] ?? 0);
      const de = DIST_EXTRA[dc] ?? 0;
      if (de) w.bits(d - (DIST_BASE[dc] ?? 0), de);
    }
  }
  w.bits(litC[256] ?? 0, lit[256] ?? 0);
}

/** Run-length codes for the code lengths: [symbol, extra] pairs. */
function codeLengthRuns(all: Uint8Array, n: number): number[] {
  const runs: number[] = [];
  clFreq.fill(0);
  let i = 0;
  while (i < n) {
    const v = all[i] ?? 0;
    let run = 1;
    while (i + run < n && all[i + run] === v) run++;
    let left = run;
    if (v === 0) {
      while (left >= 11) {
        const r = Math.min(138, left);
        runs.push(18, r - 11);
        bump(clFreq, 18);
        left -= r;
      }
      if (left >= 3) {
        runs.push(17, left - 3);
        bump(clFreq, 17);
        left = 0;
      }
    } else {
      runs.push(v, 0);
      bump(clFreq, v);
      left--;
      while (left >= 3) {
        const r = Math.min(6, left);
        runs.push(16, r - 3);
        bump(clFreq, 16);
        left -= r;
      }
    }
    for (; left > 0; left--) {
      runs.push(v, 0);
      bump(clFreq, v);
    }
    i += run;
  }
  return runs;
}

/** zlib-wrapped deflate of `input[0..length)`; returns a fresh array. */
export function zlibDeflate(input: Uint8Array, length = input.length): Uint8Array {
  const n = length;
  const count = lz77(input, n);

  huffmanLengths(litFreq, 286, 15, litLen);
  huffmanLengths(distFreq, 30, 15, distLen);
  let hdist = 30;
  while (hdist > 1 && distLen[hdist - 1] === 0) hdist--;
  if (distLen[0] === 0 && hdist === 1) distLen[0] = 1; // no matches: one unused distance code
  let hlit = 286;
  while (hlit > 257 && litLen[hlit - 1] === 0) hlit--;
  const all = new Uint8Array(hlit + hdist);
  all.set(litLen.subarray(0, hlit));
  all.set(distLen.subarray(0, hdist), hlit);
  const runs = codeLengthRuns(all, hlit + hdist);
  huffmanLengths(clFreq, 19, 7, clLen);
  let hclen = 19;
  while (hclen > 4 && clLen[CL_ORDER[hclen - 1] ?? 0] === 0) hclen--;

  let dynamicBits = 14 + 3 * hclen;
  for (let k = 0; k < runs.length; k += 2) {
    const s = runs[k] ?? 0;
    dynamicBits += (clLen[s] ?? 0) + (s === 16 ? 2 : s === 17 ? 3 : s === 18 ? 7 : 0);
  }
  dynamicBits += symbolsCost(litLen, distLen);
  const fixedBits = symbolsCost(FIXED_LIT_LEN, FIXED_DIST_LEN);
  const storedBytes = n + 5 * Math.max(1, Math.ceil(n / 65535));

  const w = new BitWriter(Math.max(storedBytes, Math.ceil(Math.min(dynamicBits, fixedBits) / 8)) + 16);
  w.byte(0x78);
  w.byte(0x9c);
  const best = Math.min(dynamicBits, fixedBits) + 3;
  if (storedBytes * 8 <= best) {
    for (let at = 0; at < n || at === 0; at += 65535) {
      const len = Math.min(65535, n - at);
      w.bits(at + len >= n ? 1 : 0, 3);
      w.align();
      w.byte(len & 0xff);
      w.byte(len >> 8);
      w.byte(~len & 0xff);
      w.byte((~len >> 8) & 0xff);
      w.out.set(input.subarray(at, at + len), w.pos);
      w.pos += len;
      if (n === 0) break;
    }
  } else if (fixedBits <= dynamicBits) {
    w.bits(1 | (1 << 1), 3); // final, fixed
    writeSymbols(w, count, FIXED_LIT_LEN, fixedLitCode, FIXED_DIST_LEN, fixedDistCode);
    w.align();
  } else {
    canonicalCodes(litLen, litCode, 286);
    canonicalCodes(distLen, distCodeBits, 30);
    canonicalCodes(clLen, clCode, 19);
    w.bits(1 | (2 << 1), 3); // final, dynamic
    w.bits(hlit - 257, 5);
    w.bits(hdist - 1, 5);
    w.bits(hclen - 4, 4);
    for (let k = 0; k < hclen; k++) w.bits(clLen[CL_ORDER[k] ?? 0] ?? 0, 3);
    for (let k = 0; k < runs.length; k += 2) {
      const s = runs[k] ?? 0;
      w.bits(clCode[s] ?? 0, clLen[s] ?? 0);
      if (s === 16) w.bits(runs[k + 1] ?? 0, 2);
      else if (s === 17) w.bits(runs[k + 1] ?? 0, 3);
      else if (s === 18) w.bits(runs[k + 1] ?? 0, 7);
    }
    writeSymbols(w, count, litLen, litCode, distLen, distCodeBits);
    w.align();
  }
  const adler = adler32(input, n);
  w.byte(adler >>> 24);
  w.byte((adler >>> 16) & 0xff);
  w.byte((adler >>> 8) & 0xff);
  w.byte(adler & 0xff);
  return w.out.slice(0, w.pos);
}
