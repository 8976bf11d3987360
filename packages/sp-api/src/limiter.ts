// A token bucket per operation that follows the usage plans, so the client waits instead of being
// answered 429. Reservations may take the bucket below zero: each caller is told how long to wait
// for its own token, which keeps concurrent callers in order without a queue.

import type { SpApiOperation, UsagePlan } from "./usage-plans.ts";

const SAFETY_MS = 5;

export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  private rate: number;

  constructor(readonly plan: UsagePlan) {
    this.tokens = plan.burst;
    this.rate = plan.rate;
  }

  /** The rate in force (the plan's, or the one Amazon last stated in x-amzn-RateLimit-Limit). */
  get currentRate(): number {
    return this.rate;
  }

  /** Amazon stated this seller's rate: follow it from now on (tokens earned so far are kept). */
  adapt(rate: number, now: number): void {
    if (!(rate > 0) || rate === this.rate) return;
    this.refill(now);
    this.rate = rate;
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined && now > this.updatedAt) {
      this.tokens = Math.min(this.plan.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    }
    if (this.updatedAt === undefined || now > this.updatedAt) this.updatedAt = now;
  }

  /** Milliseconds until a call could start, without reserving it. */
  waitTime(now: number): number {
    this.refill(now);
    // A few milliseconds of margin: Amazon's bucket must have refilled when the call arrives.
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000) + SAFETY_MS;
  }

  /** Reserves a token and returns how long to wait before using it. */
  reserve(now: number): number {
    const wait = this.waitTime(now);
    this.tokens -= 1;
    return wait;
  }

  /** Amazon said 429: the bucket on its side is empty, so empty ours too. */
  drain(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }
}

export class UsagePlanLimiter {
  private readonly buckets = new Map<SpApiOperation, TokenBucket>();

  constructor(private readonly plans: Record<SpApiOperation, UsagePlan>) {}

  bucket(op: SpApiOperation): TokenBucket {
    let b = this.buckets.get(op);
    if (!b) {
      b = new TokenBucket(this.plans[op]);
      this.buckets.set(op, b);
    }
    return b;
  }

  waitTime(op: SpApiOperation, now: number): number {
    return this.bucket(op).waitTime(now);
  }

  reserve(op: SpApiOperation, now: number): number {
    return this.bucket(op).reserve(now);
  }

  drain(op: SpApiOperation, now: number): void {
    this.bucket(op).drain(now);
  }

  adapt(op: SpApiOperation, rate: number, now: number): void {
    this.bucket(op).adapt(rate, now);
  }
}
