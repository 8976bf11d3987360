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
// memory: the Directory is one object, and a restart only hands out one more burst. The edge
// remembers the Directory's last such answer for its Retry-After (`FloodMemo`) and refuses devices
// with no device key itself meanwhile, so a flood barely reaches the Directory at all.
import { ConsignError, ErrorCode } from "@consign/domain";

export interface HashBudgetRule {
  /** Tokens (wrong guesses) allowed per second over time. */
  perSecond: number;
  /** Tokens in a full bucket: how many may come at once before the rate applies. */
  burst: number;
}

/**
 * A wrong guess every 4 seconds (21,600 a day, far above what people mistyping make) after a burst
 * of 20. While guesses flood in they take every token anyway, so a lower rate costs people on new
 * devices nothing more; it keeps the hashing to a few percent of the Directory's thread (at one a
 * second the API's p90 in wrangler dev still went 3.9x, BENCHMARKS.md).
 */
export const hashBudgetRule: HashBudgetRule = { perSecond: 0.25, burst: 20 };

/** The deployment's rule (`SIGNIN_GUESS_BUDGET`, "burst/perSecond", e.g. "20/0.25"), else the default. */
export function hashBudgetRuleFrom(setting: string | undefined): HashBudgetRule {
  if (!setting) return hashBudgetRule;
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(setting);
  if (!match || Number(match[1]) < 1 || !(Number(match[2]) > 0))
    throw new Error(`SIGNIN_GUESS_BUDGET must read "burst/perSecond", like "20/0.25"; it is "${setting}"`);
  return { burst: Number(match[1]), perSecond: Number(match[2]) };
}

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

const FLOOD = "Too many wrong sign-ins are reaching Consign just now";

/** The answer while the budget is spent: 429, when to try again, and that known devices are fine. */
export function floodRefusal(waitMs: number): ConsignError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new ConsignError(
    ErrorCode.RateLimited,
    `${FLOOD}, so devices that have not signed in before wait: try again in ${seconds} s. A device you have signed in on before signs in as usual.`,
    [],
    seconds,
  );
}

/** Whether an error that came back from the Directory is that answer (and not one account's wait). */
export function isFloodRefusal(error: { code: string; message: string }): boolean {
  return error.code === ErrorCode.RateLimited && error.message.startsWith(FLOOD);
}

/**
 * The edge's memory of the Directory's last flood answer: until it lapses, a sign-in from a device
 * with no device key is refused at the edge with the same words, and the Directory is not asked.
 * One per isolate; the Directory stays the judge once it lapses.
 */
export class FloodMemo {
  private until = 0;

  /** The refusal to give now without asking the Directory, if any. */
  refusal(now: number): ConsignError | null {
    return now < this.until ? floodRefusal(this.until - now) : null;
  }

  remember(now: number, retryAfterSeconds: number): void {
    this.until = Math.max(this.until, now + retryAfterSeconds * 1000);
  }
}
