// Explains why Amazon's figure and ours differ, in words for the PWA. Pure.

import type { OfficialRate } from "@consign/sp-api";

export interface OurRate {
  from: number;
  to: number;
  total: number;
  count: number;
  /** Orders we count whose event Amazon may not have processed yet (e.g. dispatched in the last day). */
  recent?: number;
}

export interface Comparison {
  same: boolean;
  reasons: string[];
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

export function compare(official: OfficialRate | undefined, ours: OurRate): Comparison {
  if (!official) return { same: false, reasons: ["Amazon has not reported this figure yet."] };
  const reasons: string[] = [];
  const from = official.from ? Date.parse(official.from) : undefined;
  const to = official.to ? Date.parse(official.to) : undefined;
  if (from !== undefined && to !== undefined && (day(from) !== day(ours.from) || day(to) !== day(ours.to))) {
    reasons.push(
      `Different window: Amazon counts ${day(from)} – ${day(to)}, we count ${day(ours.from)} – ${day(ours.to)}.`,
    );
  }
  if (official.total !== undefined && official.total !== ours.total) {
    const n = ours.total - official.total;
    reasons.push(
      `Differs by ${Math.abs(n)} order${Math.abs(n) === 1 ? "" : "s"} counted (${n > 0 ? "we count more" : "Amazon counts more"}).`,
    );
  }
  if (official.count !== undefined && official.count !== ours.count) {
    const n = ours.count - official.count;
    if (n > 0 && ours.recent && ours.recent >= n)
      reasons.push(`Not yet reported by Amazon: ${n} recent order${n === 1 ? "" : "s"}.`);
    else
      reasons.push(
        `Differs by ${Math.abs(n)} order${Math.abs(n) === 1 ? "" : "s"} (${n > 0 ? "we count more" : "Amazon counts more"}).`,
      );
  }
  return { same: reasons.length === 0, reasons };
}
