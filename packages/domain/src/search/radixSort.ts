// Stable sorting of many numeric keys (whole numbers below 2^53) by least-significant-digit radix sort: a few
// passes over typed arrays instead of a comparator call per comparison. Used to order a hundred thousand
// orders by purchase date and nearly a million identifier tokens by their leading characters.

const BITS = 14;
const MASK = (1 << BITS) - 1;
const SPLIT = 2 ** 28;

/**
 * Indexes 0..keys.length-1 ordered by ascending key; equal keys keep their index order. When `sorted` is
 * given, the keys in that order are written to it.
 */
export function sortByKey(keys: Float64Array, sorted?: Float64Array): Int32Array {
  const n = keys.length;
  let order = new Int32Array(n);
  let lo = new Int32Array(n);
  let hi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const h = Math.floor(k / SPLIT);
    order[i] = i;
    hi[i] = h;
    lo[i] = k - h * SPLIT;
  }
  let order2 = new Int32Array(n);
  let lo2 = new Int32Array(n);
  let hi2 = new Int32Array(n);
  const count = new Int32Array(MASK + 2);
  // Digits: bits 0-13 and 14-27 of the low part, then of the high part (keys below 2^56).
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = (pass & 1) * BITS;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((src[i]! >>> shift) & MASK) + 1]!++;
    if (count[((src[0]! >>> shift) & MASK) + 1] === n) continue; // one digit value: nothing to move
    for (let b = 0; b <= MASK; b++) count[b + 1]! += count[b]!;
    for (let i = 0; i < n; i++) {
      const at = count[(src[i]! >>> shift) & MASK]!++;
      order2[at] = order[i]!;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    [order, order2] = [order2, order];
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  if (sorted) for (let i = 0; i < n; i++) sorted[i] = hi[i]! * SPLIT + lo[i]!;
  return order;
}
