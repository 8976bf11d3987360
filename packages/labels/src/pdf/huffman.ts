// Huffman code construction for deflate: code lengths limited to a maximum (15 for literals
// and distances, 7 for the code-length code), then canonical codes, bit-reversed for output.

/** Adds one to a counter (typed-array index reads are possibly undefined under strict TS). */
export function bump(counts: Uint32Array | Uint16Array, i: number): void {
  counts[i] = (counts[i] ?? 0) + 1;
}

/** Code lengths (≤ limit) for `freq[0..n)`, written to `lengths`. Symbols with 0 freq get 0. */
const sortKeys = new Float64Array(288);
const used = new Uint16Array(288);
const weight = new Float64Array(576);
const parent = new Int32Array(576);
const depth = new Uint8Array(576);
const counts = new Uint32Array(65);

export function huffmanLengths(freq: Uint32Array, n: number, limit: number, lengths: Uint8Array): void {
  lengths.fill(0, 0, n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const f = freq[i] ?? 0;
    if (f > 0) sortKeys[m++] = f * 512 + i;
  }
  if (m === 0) return;
  const keys = sortKeys.subarray(0, m).sort();
  if (m === 1) {
    lengths[(keys[0] ?? 0) % 512] = 1;
    return;
  }
  // Two-queue Huffman: leaves in ascending order, internal nodes appended in ascending order.
  for (let i = 0; i < m; i++) {
    const k = keys[i] ?? 0;
    used[i] = k % 512;
    weight[i] = Math.floor(k / 512);
  }
  let leaf = 0;
  let node = m;
  let next = m;
  const take = () => {
    if (leaf < m && (node >= next || (weight[leaf] ?? 0) <= (weight[node] ?? 0))) return leaf++;
    return node++;
  };
  while (next < 2 * m - 1) {
    const a = take();
    const b = take();
    weight[next] = (weight[a] ?? 0) + (weight[b] ?? 0);
    parent[a] = next;
    parent[b] = next;
    next++;
  }
  // Depths: root is next-1 with depth 0; parents always have larger indices.
  counts.fill(0);
  depth[2 * m - 2] = 0;
  for (let i = 2 * m - 3; i >= 0; i--) depth[i] = (depth[parent[i] ?? 0] ?? 0) + 1;
  let maxDepth = 0;
  for (let i = 0; i < m; i++) {
    const d = depth[i] ?? 0;
    counts[d] = (counts[d] ?? 0) + 1;
    if (d > maxDepth) maxDepth = d;
  }
  if (maxDepth > limit) {
    // Fold deeper codes into the limit, then repair the Kraft sum (as miniz does).
    for (let d = limit + 1; d <= maxDepth; d++) {
      counts[limit] = (counts[limit] ?? 0) + (counts[d] ?? 0);
      counts[d] = 0;
    }
    let total = 0;
    for (let d = limit; d > 0; d--) total += (counts[d] ?? 0) << (limit - d);
    while (total !== 1 << limit) {
      counts[limit] = (counts[limit] ?? 0) - 1;
      for (let d = limit - 1; d > 0; d--) {
        if ((counts[d] ?? 0) > 0) {
          counts[d] = (counts[d] ?? 0) - 1;
          counts[d + 1] = (counts[d + 1] ?? 0) + 2;
          break;
        }
      }
      total--;
    }
    maxDepth = limit;
  }
  // Most frequent symbols (end of `used`) get the shortest codes.
  let i = m - 1;
  for (let d = 1; d <= maxDepth; d++) {
    for (let k = counts[d] ?? 0; k > 0; k--) lengths[used[i--] ?? 0] = d;
  }
}

/** Canonical Huffman codes from lengths, bit-reversed for LSB-first output. */
export function canonicalCodes(lengths: Uint8Array, codes: Uint16Array, n: number): void {
  const blCount = new Uint16Array(16);
  for (let i = 0; i < n; i++) bump(blCount, lengths[i] ?? 0);
  blCount[0] = 0;
  const nextCode = new Uint16Array(16);
  let code = 0;
  for (let bits = 1; bits < 16; bits++) {
    code = (code + (blCount[bits - 1] ?? 0)) << 1;
    nextCode[bits] = code;
  }
  for (let i = 0; i < n; i++) {
    const len = lengths[i] ?? 0;
    if (len === 0) continue;
    let c = nextCode[len] ?? 0;
    nextCode[len] = c + 1;
    let rev = 0;
    for (let b = 0; b < len; b++) {
      rev = (rev << 1) | (c & 1);
      c >>= 1;
    }
    codes[i] = rev;
  }
}
