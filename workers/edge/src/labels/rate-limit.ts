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
}

export function createRateLimiter(limit: RateLimit, clock: Clock = realClock): RateLimiter {
  let tokens = limit.burst;
  let last = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    tokens = Math.min(limit.burst, tokens + ((now - last) / 1000) * limit.perSecond);
    last = now;
  };
  return {
    acquire() {
      const turn = queue.then(async () => {
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

/**
 * The courier's fetch, one limiter token per HTTP call. With `timeoutMs`, the courier's time starts
 * when the call goes out, not while it waits its turn at the limiter (a queued call must not be
 * counted as one the courier failed to answer, and so made "uncertain").
 */
export function rateLimitedFetch(
  fetch: FetchFunction,
  limiter: RateLimiter,
  timeoutMs?: number,
): FetchFunction {
  return async (input, init) => {
    await limiter.acquire();
    if (timeoutMs === undefined) return fetch(input, init);
    return fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };
}
