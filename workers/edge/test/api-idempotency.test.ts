import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TTL_MS, IdempotencyStore, IN_FLIGHT_STALE_MS } from "../src/api/idempotency.ts";

function store<T>(name: string, fn: (s: IdempotencyStore) => T | Promise<T>) {
  return runInDurableObject(env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(name)), (_instance, state) =>
    fn(new IdempotencyStore(state.storage.sql)),
  );
}

const answer = { status: 202, contentType: "application/json", body: '{"runId":"run_1"}' };

describe("IdempotencyStore (SQLite in the seller's Durable Object)", () => {
  it("runs the first request, then replays its answer to the same caller", async () => {
    await store("idem-replay", (s) => {
      expect(s.begin("user_a", "k1", "fp1", 1000)).toEqual({ outcome: "started" });
      s.complete("user_a", "k1", answer);
      expect(s.begin("user_a", "k1", "fp1", 2000)).toEqual({ outcome: "replay", response: answer });
    });
  });

  it("says in flight while the first has not finished, and mismatch for another request", async () => {
    await store("idem-flight", (s) => {
      s.begin("user_a", "k1", "fp1", 1000);
      expect(s.begin("user_a", "k1", "fp1", 1500)).toEqual({ outcome: "in_flight" });
      expect(s.begin("user_a", "k1", "fp-other", 1500)).toEqual({ outcome: "mismatch" });
      s.complete("user_a", "k1", answer);
      expect(s.begin("user_a", "k1", "fp-other", 1600)).toEqual({ outcome: "mismatch" });
    });
  });

  it("keeps callers apart: another caller's same key starts afresh", async () => {
    await store("idem-scope", (s) => {
      s.begin("user_a", "k1", "fp1", 1000);
      s.complete("user_a", "k1", answer);
      expect(s.begin("user_b", "k1", "fp1", 1000)).toEqual({ outcome: "started" });
    });
  });

  it("lets a released key run again, and forgets answers after 24 hours", async () => {
    await store("idem-release", (s) => {
      s.begin("u", "k", "fp", 0);
      s.release("u", "k");
      expect(s.begin("u", "k", "fp2", 10)).toEqual({ outcome: "started" });
      s.complete("u", "k", answer);
      s.release("u", "k"); // a finished answer is never released
      expect(s.begin("u", "k", "fp2", 20).outcome).toBe("replay");
      expect(s.begin("u", "k", "fp3", IDEMPOTENCY_TTL_MS + 11)).toEqual({ outcome: "started" });
    });
  });

  it("takes over a request stuck in flight past the stale limit", async () => {
    await store("idem-stale", (s) => {
      s.begin("u", "k", "fp", 0);
      expect(s.begin("u", "k", "fp", IN_FLIGHT_STALE_MS + 1)).toEqual({ outcome: "started" });
    });
  });

  it("survives a restart of the store over the same storage", async () => {
    await store("idem-durable", (s) => {
      s.begin("u", "k", "fp", 0);
      s.complete("u", "k", answer);
    });
    await store("idem-durable", (s) => expect(s.begin("u", "k", "fp", 5).outcome).toBe("replay"));
  });
});
