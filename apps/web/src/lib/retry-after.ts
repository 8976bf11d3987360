// What the edge's Retry-After says, for every path of the app that waits out "too many requests".

/** Seconds in a Retry-After header (delta-seconds or an HTTP date), as ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
