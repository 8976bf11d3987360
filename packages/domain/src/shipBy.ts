// Ship-by buckets for the PWA's filters: overdue, today, tomorrow, later, in UK calendar days.
// Clock-free: `now` and the UK offset from UTC (0 in winter, 60 in summer) come in as arguments.

import type { Millis } from "./order.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time.ts";

export type ShipByBucket = "overdue" | "today" | "tomorrow" | "later";

export const SHIP_BY_BUCKETS: readonly ShipByBucket[] = ["overdue", "today", "tomorrow", "later"];

/** The UK calendar day number (days since 1970-01-01 in UK local time). */
export function ukDayNumber(at: Millis, ukOffsetMinutes: number): number {
  return Math.floor((at + ukOffsetMinutes * MINUTE_MS) / DAY_MS);
}

/** Which bucket a dispatch deadline falls in: overdue once passed, else by UK calendar day. */
export function shipByBucket(latestShipDate: Millis, now: Millis, ukOffsetMinutes: number): ShipByBucket {
  if (latestShipDate < now) return "overdue";
  const days = ukDayNumber(latestShipDate, ukOffsetMinutes) - ukDayNumber(now, ukOffsetMinutes);
  if (days <= 0) return "today";
  if (days === 1) return "tomorrow";
  return "later";
}

/** Counts per bucket for a list of deadlines. */
export function countShipByBuckets(
  latestShipDates: Iterable<Millis>,
  now: Millis,
  ukOffsetMinutes: number,
): Record<ShipByBucket, number> {
  const counts: Record<ShipByBucket, number> = { overdue: 0, today: 0, tomorrow: 0, later: 0 };
  for (const at of latestShipDates) counts[shipByBucket(at, now, ukOffsetMinutes)]++;
  return counts;
}

/**
 * The UK's offset from UTC at `at`, in minutes: 60 during British Summer Time (from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October), else 0. Pure arithmetic, no Date.
 */
export function ukOffsetMinutes(at: Millis): number {
  const { year } = civilFromDays(Math.floor(at / DAY_MS));
  const start = lastSundayOf(year, 3) * DAY_MS + HOUR_MS;
  const end = lastSundayOf(year, 10) * DAY_MS + HOUR_MS;
  return at >= start && at < end ? 60 : 0;
}

function lastSundayOf(year: number, month: number): number {
  const lastDay = daysFromCivil(year, month, 31);
  const weekday = (((lastDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return lastDay - weekday;
}

// Howard Hinnant's days-from-civil and back, for the proleptic Gregorian calendar.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): { year: number; month: number; day: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
