// Brute-force limits for sign-in and sign-up that slow an attacker without locking anyone out.
//
// Each key (an account's email, a client address) gets a few free failures, then a wait that
// doubles with each further failure, up to a cap: guessing becomes slow, while the owner waits
// at most the cap, never a fixed 15 minutes. A device that has signed in to the account before
// (it holds a device key) skips the account's wait, so an attacker who knows the owner's email
// cannot keep the owner out of their own tablet.
import { ConsignError, ErrorCode } from "@consign/domain";

export interface ThrottleRule {
  /** Failures allowed before any wait. */
  free: number;
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

export const accountRule: ThrottleRule = {
  free: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 5 * 60_000,
  windowMs: 60 * 60_000,
};
export const clientRule: ThrottleRule = {
  free: 30,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  windowMs: 60 * 60_000,
};
/** Sign-ups per client address: twenty an hour, then a growing wait. */
export const signUpRule: ThrottleRule = {
  free: 20,
  baseDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
  windowMs: 60 * 60_000,
};

/** Sign-up emails to one address (codes or "you already have an account"): five an hour, then a growing wait. */
export const signUpMailRule: ThrottleRule = {
  free: 5,
  baseDelayMs: 5 * 60_000,
  maxDelayMs: 60 * 60_000,
  windowMs: 60 * 60_000,
};

interface AttemptRow extends Record<string, SqlStorageValue> {
  failures: number;
  window_start: number;
  locked_until: number;
}

/** The wait after `failures` failures under `rule` (0 while still free). */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.baseDelayMs * 2 ** (failures - rule.free), rule.maxDelayMs);
}

export class SignInThrottle {
  constructor(private readonly sql: SqlStorage) {}

  /** Throws rate_limited with "try again in N s" while the key must wait. */
  check(key: string, now: number, what = "sign-in attempts"): void {
    const row = this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE key = ?", key).toArray()[0];
    if (row && row.locked_until > now) {
      const seconds = Math.ceil((row.locked_until - now) / 1000);
      throw new ConsignError(
        ErrorCode.RateLimited,
        `Too many ${what}: try again in ${seconds} s.`,
        [],
        seconds,
      );
    }
  }

  /** Counts a failure (or a sign-up) and sets the wait before the next attempt. */
  fail(key: string, rule: ThrottleRule, now: number): void {
    const row = this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE key = ?", key).toArray()[0];
    let failures = 1;
    let windowStart = now;
    if (row && now - row.window_start < rule.windowMs) {
      failures = row.failures + 1;
      windowStart = row.window_start;
    }
    const wait = delayAfter(failures, rule);
    this.sql.exec(
      `INSERT INTO attempts (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
       locked_until = excluded.locked_until`,
      key,
      failures,
      windowStart,
      wait ? now + wait : 0,
    );
  }

  succeed(key: string): void {
    this.sql.exec("DELETE FROM attempts WHERE key = ?", key);
  }
}
