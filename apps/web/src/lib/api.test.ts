// The app's requests wait out "too many requests from this device" instead of failing: a selection
// bought as several label runs must not lose a run (and its hundreds of orders) to the device's limit.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  buyLabelsCommand,
  sendCommand,
  setAuthSource,
  setThrottleSleep,
  signIn,
  THROTTLED_BUDGET_MS,
} from "./api.ts";

const tooMany = (retryAfter?: string) =>
  new Response(
    JSON.stringify({
      error: { code: "rate_limited", message: "Too many requests from this device: try again in 1 s." },
    }),
    {
      status: 429,
      headers: retryAfter === undefined ? {} : { "retry-after": retryAfter },
    },
  );

describe("a request the edge refuses with 429", () => {
  const slept: number[] = [];
  const sent: { url: string; key: string | null }[] = [];
  beforeEach(() => {
    slept.length = 0;
    sent.length = 0;
    setAuthSource({ sessionToken: () => "s", accessToken: async () => "t" });
    setThrottleSleep(async (ms) => {
      slept.push(ms);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  function answers(...list: Response[]) {
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      sent.push({ url, key: (init.headers as Record<string, string>)["idempotency-key"] ?? null });
      const next = list.shift();
      if (!next) throw new Error("no more answers");
      return next;
    });
  }

  it("goes again, with the same idempotency key, once the time the edge gave has passed", async () => {
    answers(tooMany("2"), tooMany(), new Response(JSON.stringify({ runId: "run-1" }), { status: 202 }));
    const answer = await sendCommand(buyLabelsCommand(["202-1", "202-2"]), "key-1");
    expect(answer).toEqual({ runId: "run-1" });
    expect(sent.map((s) => s.key)).toEqual(["key-1", "key-1", "key-1"]);
    // Retry-After: 2 → 2 s; none given → 1 s.
    expect(slept).toEqual([2000, 1000]);
  });

  it("shows a sign-in refused for too many wrong guesses at once: asking again would be another guess", async () => {
    answers(tooMany("30"));
    const refused = await signIn({
      email: "owner@hebden.test",
      password: "wrong",
      deviceName: "Bench 1",
    }).catch((e: unknown) => e);
    expect((refused as ApiError).status).toBe(429);
    expect(sent).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it("says so, in the edge's words, when the limit has not lifted within a minute", async () => {
    const tries = THROTTLED_BUDGET_MS / 1000 + 1;
    answers(...Array.from({ length: tries }, () => tooMany("1")));
    const refused = await sendCommand(buyLabelsCommand(["202-1"]), "key-2").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).message).toMatch(/Too many requests from this device/);
    expect(sent).toHaveLength(tries);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(THROTTLED_BUDGET_MS);
  });
});
