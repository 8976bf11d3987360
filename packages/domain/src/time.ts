// Time arithmetic on epoch milliseconds. No Date objects, no clock: `now` always comes in as an argument.

import type { Millis } from "./order.ts";

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The start of a window of `days` days ending at `now`. */
export function windowStart(now: Millis, days: number): Millis {
  return now - days * DAY_MS;
}
