// UK calendar days for the warehouse: "today" and "tomorrow" start at midnight in Europe/London.

const HOUR = 3_600_000;

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Minutes the UK is ahead of UTC at `at` (0 in winter, 60 in summer). */
export function ukOffsetMinutes(at: number): number {
  const p: Record<string, number> = {};
  for (const part of londonParts.formatToParts(at))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  const wall = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The day boundaries around a moment in UK time (@consign/domain's, shared with the room). */
export { type WarehouseClock, warehouseClock } from "@consign/domain";

import type { WarehouseClock } from "@consign/domain";

/**
 * True when two clocks fall on the same warehouse day: what the views and their counts read (a day's
 * boundaries, never the minute), so a memo of the day with this as its `equals` recomputes them at
 * midnight, not at every tick of the countdowns (at 50,000 orders a recount is a 40-130 ms task).
 */
export function sameWarehouseDay(a: WarehouseClock, b: WarehouseClock): boolean {
  return (
    a.todayStart === b.todayStart &&
    a.tomorrowStart === b.tomorrowStart &&
    a.dayAfterStart === b.dayAfterStart
  );
}

/** "HH:MM" today in the UK → epoch ms. */
export function cutoffToday(clock: WarehouseClock, hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return clock.todayStart + ((h ?? 17) * 60 + (m ?? 0)) * 60_000;
}

const timeFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
});
const dayFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "short",
});
const dateTimeFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
export const formatTime = (at: number) => timeFmt.format(at);
export const formatDay = (at: number) => dayFmt.format(at);
export const formatDateTime = (at: number) => dateTimeFmt.format(at);

/** "2 h 05 m", "35 m", "3 d 4 h"; negative spans read "late 1 h 10 m". */
export function formatCountdown(ms: number): string {
  const late = ms < 0;
  const total = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const span = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${String(m).padStart(2, "0")} m` : `${m} m`;
  return late ? `late ${span}` : span;
}

/** Colour band of a ship-by countdown: red when late, amber under 4 hours. */
export function urgency(msLeft: number): "late" | "soon" | "ok" {
  if (msLeft < 0) return "late";
  if (msLeft < 4 * HOUR) return "soon";
  return "ok";
}

/**
 * How a sent order left against its ship-by: "sent on time" or "sent 2 h 05 m late", measured from
 * when it was dispatched (or confirmed on Amazon), never from now. Null for an order still to leave.
 */
export function sentLateness(o: {
  latestShipDate: number;
  dispatchedAt?: number;
  confirmation: { confirmedAt?: number };
}): { text: string; late: boolean } | null {
  const sentAt = o.dispatchedAt ?? o.confirmation.confirmedAt;
  if (sentAt === undefined) return null;
  const over = sentAt - o.latestShipDate;
  if (over <= 0) return { text: "sent on time", late: false };
  return { text: `sent ${formatCountdown(-over).replace(/^late /, "")} late`, late: true };
}
