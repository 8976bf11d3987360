// Where each metric's window starts and ends.
//
// Convention, taken from Amazon's own account-health report (accountHealthReport-2020-11-18.json):
// every metric there carries a `reportingDateRange` of whole days in UTC, e.g. late shipment over 30
// days is "2020-10-21T00:00Z" to "2020-11-19T23:59Z" (30 calendar days, both ends included) and
// pre-fulfilment cancellation over 7 days "2020-11-12T00:00Z" to "2020-11-18T23:59Z". We draw the same
// shape: a window of N days is the N whole UTC days ending with the day that holds `now`, from 00:00:00.000
// UTC of its first day to `now` (today counts as far as it has gone, so a confirmation made this
// morning shows at once; Amazon's report ends on a day that is already over). UTC, not UK time: the
// report says UTC, and whole UTC days never shift across the clock changes.
// Amazon's report ends its ranges earlier than today (ODR lags by about two weeks so that late claims
// can land); the official comparison (/api/v1/health/official) computes ours over Amazon's own range.

import type { Millis } from "../order.ts";
import { DAY_MS } from "../time.ts";

/** 00:00:00.000 UTC of the day that holds `at`. */
export function utcDayStart(at: Millis): Millis {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

/** First instant (inclusive) of a window of `days` whole UTC days that ends with the day of `now`. */
export function windowFrom(now: Millis, days: number): Millis {
  return utcDayStart(now) - (days - 1) * DAY_MS;
}
