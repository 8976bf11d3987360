import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  API_KEY_RATE,
  MemoryBucketStore,
  policyForCaller,
  RateLimiter,
  SESSION_RATE,
  SqlBucketStore,
} from "../src/api/rate-limit.ts";
import { apiHarness, type ErrorJson, sellerWithKeys } from "./api-harness.ts";

describe("RateLimiter (token bucket)", () => {
  it("allows a burst up to capacity, then refuses with the wait until one more is allowed", () => {
    const limiter = new RateLimiter(new MemoryBucketStore(), () => ({ capacity: 3, refillPerSecond: 0.5 }));
    const results = [0, 1, 2, 3].map(() => limiter.consume("key:a", 1000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[2]!.remaining).toBe(0);
    expect(results[3]!.retryAfterSeconds).toBe(2);
  });

  it("refills with time and never beyond capacity", () => {
    const limiter = new RateLimiter(new MemoryBucketStore(), () => ({ capacity: 2, refillPerSecond: 1 }));
    limiter.consume("k", 0);
    limiter.consume("k", 0);
    expect(limiter.consume("k", 500).allowed).toBe(false);
    expect(limiter.consume("k", 1000).allowed).toBe(true);
    expect(limiter.consume("k", 1_000_000).remaining).toBe(1);
  });

  it("counts a heavy request as several, and one heavier than the bucket as the whole bucket", () => {
    const limiter = new RateLimiter(new MemoryBucketStore(), () => ({ capacity: 10, refillPerSecond: 1 }));
    expect(limiter.consume("k", 0, 5)).toMatchObject({ allowed: true, remaining: 5 });
    expect(limiter.consume("k", 0, 6)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.consume("k", 1000, 6)).toMatchObject({ allowed: true, remaining: 0 });
    // 100 labels in one file against a bucket of 10: allowed once the bucket is full, never refused for ever.
    expect(limiter.consume("k", 60_000, 100)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("keeps one bucket per caller", () => {
    const limiter = new RateLimiter(new MemoryBucketStore(), () => ({ capacity: 1, refillPerSecond: 0.01 }));
    expect(limiter.consume("key:a", 0).allowed).toBe(true);
    expect(limiter.consume("key:a", 0).allowed).toBe(false);
    expect(limiter.consume("key:b", 0).allowed).toBe(true);
  });

  it("gives devices a larger bucket than API keys", () => {
    expect(policyForCaller("session:s1")).toBe(SESSION_RATE);
    expect(policyForCaller("key:k1")).toBe(API_KEY_RATE);
    expect(SESSION_RATE.capacity).toBeGreaterThan(API_KEY_RATE.capacity);
  });

  it("stores buckets in the Durable Object's SQLite across instances of the store", async () => {
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName("rate-sql"));
    const policy = () => ({ capacity: 2, refillPerSecond: 1 });
    await runInDurableObject(stub, (_i, state) => {
      const limiter = new RateLimiter(new SqlBucketStore(state.storage.sql), policy);
      limiter.consume("key:x", 0);
      limiter.consume("key:x", 0);
    });
    await runInDurableObject(stub, (_i, state) => {
      const limiter = new RateLimiter(new SqlBucketStore(state.storage.sql), policy);
      expect(limiter.consume("key:x", 100).allowed).toBe(false);
      expect(limiter.consume("key:x", 1100).allowed).toBe(true);
    });
  });
});

describe("rate limit over the API", () => {
  it("answers 429 with Retry-After once a key has spent its bucket, and not other keys", async () => {
    const { fakes, request } = apiHarness();
    const seller = await sellerWithKeys("rate");
    fakes.for(seller.owner.sellerId).ratePolicy = { capacity: 2, refillPerSecond: 0.1 };
    expect((await request("/orders", { token: seller.readKey })).status).toBe(200);
    const second = await request("/orders", { token: seller.readKey });
    expect(second.headers.get("RateLimit-Remaining")).toBe("0");
    const third = await request("/orders", { token: seller.readKey });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const body = (await third.json()) as ErrorJson;
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/this API key: try again in \d+ s/);
    expect((await request("/orders", { token: seller.writeKey })).status).toBe(200);
  });
});
