// A token bucket per courier: calls wait their turn so a bulk run stays inside the courier's limit
// (Royal Mail Click & Drop about 5 calls a second). Clock and sleep are injectable for tests.
import type { FetchFunction, RateLimit } from "@consign/couriers";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiter {
  /** Resolves when the next call may go out. Calls are let through in the order they asked. */
  acquire(): Promise<void>;
  /** The courier said "too many" (429): no call goes out for `ms`, then one, then calls at the rate. */
  holdFor(ms: number): void;
}

export function createRateLimiter(limit: RateLimit, clock: Clock = realClock): RateLimiter {
  let tokens = limit.burst;
  let last = clock.now();
  let heldUntil = 0;
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    tokens = Math.min(limit.burst, tokens + ((now - last) / 1000) * limit.perSecond);
    last = now;
  };
  return {
    holdFor(ms) {
      heldUntil = Math.max(heldUntil, clock.now() + ms);
    },
    acquire() {
      const turn = queue.then(async () => {
        const held = heldUntil - clock.now();
        if (held > 0) {
          await clock.sleep(held);
          // The courier's window has passed: one call now, the rest spaced at the rate (no burst).
          tokens = 1;
          last = clock.now();
        }
        refill();
        if (tokens < 1) {
          await clock.sleep(Math.ceil(((1 - tokens) / limit.perSecond) * 1000));
          refill();
        }
        tokens -= 1;
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** The longest a 429's Retry-After is waited out inside one call; beyond it the 429 is the answer. */
export const MAX_RETRY_AFTER_MS = 30_000;
/** How many 429s one call waits out before the courier's refusal becomes the answer. */
export const MAX_RATE_LIMIT_RETRIES = 6;

/** A 429's Retry-After (seconds or an HTTP date) in ms; 1 s when it is missing or unreadable. */
export function retryAfterMs(header: string | null, now: number): number {
  if (header !== null && header.trim() !== "") {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.max(0, seconds * 1000);
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return 1000;
}

/**
 * The courier's fetch, one limiter token per HTTP call. With `timeoutMs`, the courier's time starts
 * when the call goes out, not while it waits its turn at the limiter (a queued call must not be
 * counted as one the courier failed to answer, and so made "uncertain").
 *
 * A 429 means the courier did nothing with the call (no label was bought), so the same call is sent
 * again once its Retry-After has passed, and the whole limiter holds for that time, so the calls
 * queued behind it do not walk into the same refusal. After MAX_RATE_LIMIT_RETRIES, or a
 * Retry-After longer than MAX_RETRY_AFTER_MS, the 429 is the answer (the order says "slow down").
 */
export function rateLimitedFetch(
  fetch: FetchFunction,
  limiter: RateLimiter,
  timeoutMs?: number,
  clock: Pick<Clock, "now"> = realClock,
): FetchFunction {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire();
      const res =
        timeoutMs === undefined
          ? await fetch(input, init)
          : await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      if (res.status !== 429 || attempt >= MAX_RATE_LIMIT_RETRIES) return res;
      const wait = retryAfterMs(res.headers.get("retry-after"), clock.now());
      if (wait > MAX_RETRY_AFTER_MS) return res;
      await res.body?.cancel();
      limiter.holdFor(wait);
    }
  };
}
