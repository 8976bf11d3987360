// A print run, composed in the labels worker: each bought label fetched from the edge (with retry
// and backoff inside the device's rate limit), merged into print-ready parts in the order given
// (the first part small, so printing starts at once). The progress counts what the print file
// HOLDS: a label that could not be fetched is named with its reason and is in no part, so the app
// never counts it printed or dispatched. No DOM; fetch, timers and randomness are injected.

export interface LabelFetchPolicy {
  /** Labels fetched at once (default 4). */
  concurrency: number;
  /** Tries for a 5xx answer or a dropped connection (default 5). */
  attempts: number;
  /** Longest the run keeps waiting on "too many requests" for one label, in ms (default 120 s). */
  rateLimitedForMs: number;
  /** First backoff in ms (default 250), doubled each try up to `maxDelayMs` (default 8 s), with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_FETCH_POLICY: LabelFetchPolicy = {
  concurrency: 4,
  attempts: 5,
  rateLimitedForMs: 120_000,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
};

export interface FetchDeps {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export const realDeps: FetchDeps = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
  random: Math.random,
};

/** Why a label could not be had, in words for the order's row. */
export class LabelFetchError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Seconds in a Retry-After header (delta-seconds or an HTTP date), as ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Shares one pause between every fetch of a run: when the edge says "too many requests", no fetch
 * of the run goes out until the time it gave has passed (so a burst of refusals does not follow).
 */
export class RateGate {
  private until = 0;
  constructor(private readonly deps: FetchDeps) {}
  pause(ms: number): void {
    this.until = Math.max(this.until, this.deps.now() + ms);
  }
  async wait(): Promise<void> {
    for (;;) {
      const left = this.until - this.deps.now();
      if (left <= 0) return;
      await this.deps.sleep(left);
    }
  }
}

async function errorMessage(res: Response): Promise<string> {
  try {
    return ((await res.json()) as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/**
 * GET with retries: 429 waits as long as the answer says (Retry-After) and tries again, for up to
 * `rateLimitedForMs`; 500/502/503/504 and dropped connections back off exponentially (with jitter)
 * for up to `attempts` tries. Any other answer is returned as it is.
 */
export async function fetchWithRetry(
  url: string,
  init: () => Promise<RequestInit>,
  deps: FetchDeps,
  policy: LabelFetchPolicy,
  gate: RateGate,
): Promise<Response> {
  const started = deps.now();
  let failures = 0;
  let lastError = "";
  for (;;) {
    await gate.wait();
    let res: Response | null = null;
    try {
      res = await deps.fetch(url, await init());
    } catch (err) {
      lastError = `the connection dropped (${(err as Error).message})`;
    }
    if (res && res.status === 429) {
      const wait = retryAfterMs(res.headers.get("retry-after"), deps.now()) ?? 1000;
      if (deps.now() + wait - started > policy.rateLimitedForMs) {
        throw new LabelFetchError(
          `${await errorMessage(res)} (still refused after ${Math.round(policy.rateLimitedForMs / 1000)} s)`,
          429,
        );
      }
      gate.pause(wait + deps.random() * 100);
      continue;
    }
    if (res && ![500, 502, 503, 504].includes(res.status)) return res;
    if (res) lastError = await errorMessage(res);
    failures++;
    if (failures >= policy.attempts) {
      throw new LabelFetchError(`${lastError}: tried ${failures} times`, res?.status);
    }
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
    await deps.sleep(backoff / 2 + deps.random() * (backoff / 2));
  }
}

/**
 * Runs `work` over `items` with at most `width` in flight, handing each result to `onResult` in
 * the items' order (so parts hold labels in the order the run lists them).
 */
export async function inOrder<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
  onResult: (item: T, result: PromiseSettledResult<R>) => Promise<boolean | undefined> | boolean | undefined,
): Promise<boolean> {
  const pending: Promise<PromiseSettledResult<R>>[] = [];
  const settle = (item: T) =>
    work(item).then(
      (value): PromiseSettledResult<R> => ({ status: "fulfilled", value }),
      (reason: unknown): PromiseSettledResult<R> => ({ status: "rejected", reason }),
    );
  let next = 0;
  const fill = () => {
    while (next < items.length && pending.length < Math.max(1, width)) pending.push(settle(items[next++]!));
  };
  fill();
  for (let i = 0; i < items.length; i++) {
    const result = await pending.shift()!;
    if ((await onResult(items[i]!, result)) === false) return false;
    fill();
  }
  return true;
}
