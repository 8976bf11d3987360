// A token bucket per caller (API key or device session), held in the seller's Durable Object.
// Pure: time comes in as `now`, state goes through a small store interface (SQLite in the DO,
// a Map in tests). A caller may burst up to `capacity` requests, then `refillPerSecond` a second.

export interface RatePolicy {
  /** Most requests in a burst. */
  capacity: number;
  /** Sustained requests a second. */
  refillPerSecond: number;
}

/** Integrations get less than people's devices: a device's PWA makes bursts of reads. */
export const API_KEY_RATE: RatePolicy = { capacity: 60, refillPerSecond: 5 };
export const SESSION_RATE: RatePolicy = { capacity: 240, refillPerSecond: 20 };

export interface BucketState {
  tokens: number;
  /** When `tokens` was last computed (epoch ms). */
  at: number;
}

export interface BucketStore {
  get(key: string): BucketState | undefined;
  put(key: string, state: BucketState): void;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until one request is allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  constructor(
    private readonly store: BucketStore,
    private readonly policyFor: (key: string) => RatePolicy = () => API_KEY_RATE,
  ) {}

  consume(key: string, now: number, requested = 1): RateDecision {
    const policy = this.policyFor(key);
    // A request heavier than the whole bucket costs the whole bucket (so it can ever be allowed).
    const cost = Math.max(1, Math.min(requested, policy.capacity));
    const previous = this.store.get(key);
    const elapsed = previous ? Math.max(0, now - previous.at) / 1000 : 0;
    const tokens = previous
      ? Math.min(policy.capacity, previous.tokens + elapsed * policy.refillPerSecond)
      : policy.capacity;
    if (tokens >= cost) {
      const left = tokens - cost;
      this.store.put(key, { tokens: left, at: now });
      return { allowed: true, limit: policy.capacity, remaining: Math.floor(left), retryAfterSeconds: 0 };
    }
    // Refused requests do not spend tokens, but the refill so far is kept.
    this.store.put(key, { tokens, at: now });
    const wait = (cost - tokens) / policy.refillPerSecond;
    return {
      allowed: false,
      limit: policy.capacity,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil(wait)),
    };
  }
}

/** Picks the policy from the key's prefix as the API router builds it: `key:<id>` or `session:<id>`. */
export function policyForCaller(key: string): RatePolicy {
  return key.startsWith("session:") ? SESSION_RATE : API_KEY_RATE;
}

/**
 * The devices' limit as the deployment sets it (`DEVICE_RATE_LIMIT`, "burst/perSecond", e.g.
 * "240/20"); the default when unset. Tests force it low to prove the PWA keeps within it.
 */
export function policyForCallerWith(deviceLimit: string | undefined): (key: string) => RatePolicy {
  if (!deviceLimit) return policyForCaller;
  const match = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(deviceLimit);
  if (!match || Number(match[1]) < 1 || !(Number(match[2]) > 0)) {
    throw new Error(`DEVICE_RATE_LIMIT must read "burst/perSecond", like "240/20"; it is "${deviceLimit}"`);
  }
  const device: RatePolicy = { capacity: Number(match[1]), refillPerSecond: Number(match[2]) };
  return (key) => (key.startsWith("session:") ? device : API_KEY_RATE);
}

export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, BucketState>();
  get(key: string): BucketState | undefined {
    return this.buckets.get(key);
  }
  put(key: string, state: BucketState): void {
    this.buckets.set(key, state);
  }
}

/** The DO's store: one row per caller. `prune` drops buckets idle long enough to be full again. */
export class SqlBucketStore implements BucketStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      "CREATE TABLE IF NOT EXISTS api_rate_buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at INTEGER NOT NULL)",
    );
  }
  get(key: string): BucketState | undefined {
    const row = this.sql
      .exec<{ tokens: number; at: number }>("SELECT tokens, at FROM api_rate_buckets WHERE key = ?", key)
      .toArray()[0];
    return row ? { tokens: row.tokens, at: row.at } : undefined;
  }
  put(key: string, state: BucketState): void {
    this.sql.exec(
      "INSERT INTO api_rate_buckets (key, tokens, at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET tokens = excluded.tokens, at = excluded.at",
      key,
      state.tokens,
      state.at,
    );
  }
  prune(idleSince: number): void {
    this.sql.exec("DELETE FROM api_rate_buckets WHERE at < ?", idleSince);
  }
}
