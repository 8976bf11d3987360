// How a batch of courier labels is shared between drawing threads (render-pool.ts): pure, so
// it is tested in Node.

/** Fewer labels than this in a share are not worth a thread. */
export const MIN_PER_SHARE = 3;
/** At most this many threads draw (the parser threads come on top). */
export const MAX_SHARES = 4;

/** Threads that may draw at once: the device's cores, within [1, MAX_SHARES]. */
export function shareCount(labels: number, cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.min(MAX_SHARES, cores, Math.floor(labels / MIN_PER_SHARE)));
}

/** Splits `items` into `n` runs of as equal length as can be, in order. */
export function shares<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(items.length / n) + (i < items.length % n ? 1 : 0);
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}
