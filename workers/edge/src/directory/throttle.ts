// Brute-force limits for sign-in: per account and per client address, with a clear wait.
import { ConsignError, ErrorCode } from "@consign/domain";

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const accountRule: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const clientRule: ThrottleRule = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

interface AttemptRow extends Record<string, SqlStorageValue> {
  failures: number;
  window_start: number;
  locked_until: number;
}

export class SignInThrottle {
  constructor(private readonly sql: SqlStorage) {}

  /** Throws rate_limited with "try again in N s" while the key is locked. */
  check(key: string, now: number): void {
    const row = this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE key = ?", key).toArray()[0];
    if (row && row.locked_until > now) {
      const seconds = Math.ceil((row.locked_until - now) / 1000);
      throw new ConsignError(
        ErrorCode.RateLimited,
        `Too many sign-in attempts: try again in ${seconds} s.`,
        [],
        seconds,
      );
    }
  }

  fail(key: string, rule: ThrottleRule, now: number): void {
    const row = this.sql.exec<AttemptRow>("SELECT * FROM attempts WHERE key = ?", key).toArray()[0];
    let failures = 1;
    let windowStart = now;
    if (row && now - row.window_start < rule.windowMs) {
      failures = row.failures + 1;
      windowStart = row.window_start;
    }
    const lockedUntil = failures >= rule.maxFailures ? now + rule.lockMs : 0;
    this.sql.exec(
      `INSERT INTO attempts (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
       locked_until = excluded.locked_until`,
      key,
      lockedUntil ? 0 : failures,
      windowStart,
      lockedUntil,
    );
  }

  succeed(key: string): void {
    this.sql.exec("DELETE FROM attempts WHERE key = ?", key);
  }
}
