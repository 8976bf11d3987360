// The fault schedule: the month's (spread over its first fortnight) and the one-day version's.
import type { Fault, StockShortfall } from "./run.ts";

export function monthFaults(days: number): Fault[] {
  const all: Fault[] = [
    { kind: "royal-mail-down", day: 2, at: "14:00", minutes: 120 },
    { kind: "amazon-429", day: 3, at: "10:00", minutes: 60 },
    { kind: "slow-courier", day: 4, at: "15:00", minutes: 180 },
    { kind: "room-evicted", day: 8, at: "16:00", minutes: 5 },
    { kind: "tablet-offline", day: 9, at: "11:00", minutes: 60 },
  ];
  return days >= 10 ? all : oneDayFaults();
}

/** Every fault on the first day (the short version in npm test). */
export function oneDayFaults(): Fault[] {
  return [
    { kind: "tablet-offline", day: 0, at: "07:00", minutes: 60 },
    { kind: "amazon-429", day: 0, at: "10:00", minutes: 60 },
    { kind: "royal-mail-down", day: 0, at: "14:00", minutes: 120 },
    { kind: "slow-courier", day: 0, at: "17:00", minutes: 60 },
    { kind: "room-evicted", day: 0, at: "19:00", minutes: 5 },
  ];
}

/** The Black-Friday-like day: the Friday of the fourth week (or none in a shorter run). */
export function peakDay(days: number): number | null {
  return days >= 26 ? 25 : days >= 5 ? 4 : null;
}

/**
 * The world's stock shortfall: a SKU found short at midday. In the month on the second Thursday
 * (no fault that day), restocked the next morning at 10:00 (the supplier's delivery), so its
 * orders wait overnight; in a shorter run on its first day, restocked at 18:00.
 */
export function stockShortfall(days: number): StockShortfall {
  return days >= 12
    ? { day: 10, countAt: "12:00", restockAfterDays: 1, restockAt: "10:00" }
    : { day: 0, countAt: "12:00", restockAt: "18:00" };
}
