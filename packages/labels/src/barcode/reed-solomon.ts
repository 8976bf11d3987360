// Reed-Solomon error correction over GF(256) with the field polynomial 0x12D, as ECC 200
// DataMatrix uses it: generator roots α^1..α^n, α = 2.

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x12d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] ?? 0;
}

export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[(LOG[a] ?? 0) + (LOG[b] ?? 0)] ?? 0;
}

const generators = new Map<number, Uint8Array>();
/** log(g[j]) + 1, or 0 where the coefficient is 0, per generator degree. */
const generatorLogs = new Map<number, Uint16Array>();

/** Coefficients g[0..n-1] of the monic generator x^n + g[n-1]x^(n-1) + ... + g[0]. */
function generator(n: number): Uint8Array {
  let g = generators.get(n);
  if (g) return g;
  // poly[i] = coefficient of x^i; start with 1.
  let poly = [1];
  for (let k = 1; k <= n; k++) {
    const root = EXP[k] ?? 0;
    const next = new Array<number>(poly.length + 1).fill(0);
    for (let i = 0; i < poly.length; i++) {
      const c = poly[i] ?? 0;
      next[i + 1] = (next[i + 1] ?? 0) ^ c; // c·x^(i+1)
      next[i] = (next[i] ?? 0) ^ gfMul(c, root); // c·root·x^i (minus = plus in GF(2^8))
    }
    poly = next;
  }
  g = Uint8Array.from(poly.slice(0, n));
  generators.set(n, g);
  return g;
}

/** The `n` error-correction codewords for `data`, in transmission order. */
export function reedSolomon(data: ArrayLike<number>, n: number): Uint8Array {
  let logs = generatorLogs.get(n);
  if (!logs) {
    const g = generator(n);
    logs = Uint16Array.from(g, (c) => (c === 0 ? 0 : (LOG[c] as number) + 1));
    generatorLogs.set(n, logs);
  }
  const reg = new Uint8Array(n); // reg[n-1] is the highest-order term
  for (let i = 0; i < data.length; i++) {
    const feedback = (data[i] ?? 0) ^ (reg[n - 1] as number);
    if (feedback === 0) {
      for (let j = n - 1; j > 0; j--) reg[j] = reg[j - 1] as number;
      reg[0] = 0;
      continue;
    }
    const lf = (LOG[feedback] as number) - 1;
    for (let j = n - 1; j > 0; j--) {
      const lg = logs[j] as number;
      reg[j] = (reg[j - 1] as number) ^ (lg === 0 ? 0 : (EXP[lf + lg] as number));
    }
    const lg0 = logs[0] as number;
    reg[0] = lg0 === 0 ? 0 : (EXP[lf + lg0] as number);
  }
  const out = new Uint8Array(n);
  for (let j = 0; j < n; j++) out[j] = reg[n - 1 - j] ?? 0;
  return out;
}
