// The courier day: when the day's parcels are handed over (manifest, collection) in UK time.
// Pure: Intl for the Europe/London offset, no clock (the caller passes `now`).
import type { Millis } from "./order.ts";
import { ukOffsetMinutes } from "./shipBy.ts";

/** What the owner sets for the end of the day (kept in the shared settings). */
export interface CourierDaySettings {
  /** "HH:MM" in UK time when the room closes the day by itself (Royal Mail manifest), or null for never. */
  autoCloseAt: string | null;
  /** Send new label runs to the next service the rules allow when a courier is down. */
  failover: boolean;
}

export const DEFAULT_COURIER_DAY: CourierDaySettings = { autoCloseAt: null, failover: true };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isClockTime(value: string): boolean {
  return HHMM.test(value);
}

/** The UK wall-clock time "HH:MM" on the UK day of `now`, as epoch ms. */
export function ukTimeOnDay(now: Millis, hhmm: string): Millis {
  const m = HHMM.exec(hhmm);
  if (!m) throw new RangeError(`"${hhmm}" is not a time of day (HH:MM)`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  const day = 86_400_000;
  const wallDay = Math.floor((now + ukOffsetMinutes(now) * 60_000) / day) * day;
  const wall = wallDay + minutes * 60_000;
  let at = wall - ukOffsetMinutes(wall) * 60_000;
  at = wall - ukOffsetMinutes(at) * 60_000;
  return at;
}

/** The next moment (after `now`) the UK clock shows "HH:MM": today if still to come, else tomorrow. */
export function nextUkTime(now: Millis, hhmm: string): Millis {
  const today = ukTimeOnDay(now, hhmm);
  if (today > now) return today;
  return ukTimeOnDay(today + 25 * 3_600_000, hhmm);
}
