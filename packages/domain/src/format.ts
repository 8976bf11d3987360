// Numbers in words a seller reads at a glance.

/** 0.04 → "4%", 0.0625 → "6.3%", 0.12345 → "12.3%". */
export function formatPercent(rate: number): string {
  const pct = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}%`;
}
