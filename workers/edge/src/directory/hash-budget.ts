// A budget for password hashes that no known device vouches for, across every account and address.
//
// The per-account and per-address waits (./throttle.ts) stop one attacker guessing one password or
// spraying from one address, before any hashing. A flood that changes both on every guess (a
// botnet, or the bench in workers/edge/bench/signin-load.bench.ts) passes them, and each guess costs
// a PBKDF2 hash of 100,000 rounds, about 40–100 ms of the Directory's one thread: twenty a second
// fill it and every other sign-in, token and team call queues behind them. So a sign-in that must
// hash without a known device key takes a token from one bucket first (refilled `perSecond`, at
// most `burst`) and gives it back when the password was right: only wrong guesses spend the
// budget. With the bucket empty the answer is 429 at once, no hash, saying when to try again; a
// device that signed in before (its device key checks with one SHA-256) never waits here. Kept in
// memory: the Directory is one object, and a restart only hands out one more burst.

export interface HashBudgetRule {
  /** Tokens (wrong guesses) allowed per second over time. */
  perSecond: number;
  /** Tokens in a full bucket: how many may come at once before the rate applies. */
  burst: number;
}

/**
 * One wrong guess a second (86,400 a day, far above what people mistyping make) after a burst of
 * 30: a few percent of what the Directory's thread can hash, so the rest stays for everyone else.
 */
export const hashBudgetRule: HashBudgetRule = { perSecond: 1, burst: 30 };

export class HashBudget {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rule: HashBudgetRule,
    now: number,
  ) {
    this.tokens = rule.burst;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(this.rule.burst, this.tokens + ((now - this.at) / 1000) * this.rule.perSecond);
      this.at = now;
    }
  }

  /** Takes a token: 0 when taken, else the milliseconds until one is free (nothing taken). */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rule.perSecond) * 1000);
  }

  /** Gives a token back (the password was right: only wrong guesses spend the budget). */
  give(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.rule.burst, this.tokens + 1);
  }
}
