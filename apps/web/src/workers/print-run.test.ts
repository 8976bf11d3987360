import { describe, expect, it } from "vitest";
import { DEFAULT_FETCH_POLICY, type FetchDeps, fetchWithRetry, inOrder, RateGate } from "./print-run.ts";

/** A clock that moves only when the code under test sleeps. */
function fakeDeps(
  answers: (() => Response | Promise<Response>)[],
): FetchDeps & { calls: number[]; slept: number } {
  let now = 0;
  const deps = {
    calls: [] as number[],
    slept: 0,
    fetch: async () => {
      deps.calls.push(now);
      const next = answers.shift();
      if (!next) throw new Error("no more answers");
      return next();
    },
    sleep: async (ms: number) => {
      now += ms;
      deps.slept += ms;
    },
    now: () => now,
    random: () => 0.5,
  };
  return deps;
}
const tooMany = (s: number) =>
  new Response(JSON.stringify({ error: { message: "Too many requests from this device" } }), {
    status: 429,
    headers: { "retry-after": String(s) },
  });
const pdf = () => new Response("%PDF-", { status: 200 });

describe("fetching labels within the device's limit", () => {
  it("waits as long as a 429 says and gets the label", async () => {
    const deps = fakeDeps([() => tooMany(2), () => tooMany(1), pdf]);
    const res = await fetchWithRetry("/l", async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps));
    expect(res.status).toBe(200);
    expect(deps.calls.length).toBe(3);
    expect(deps.calls[1]).toBeGreaterThanOrEqual(2000);
    expect(deps.calls[2]! - deps.calls[1]!).toBeGreaterThanOrEqual(1000);
  });

  it("backs off on 503 and dropped connections, then names the reason after the last try", async () => {
    const deps = fakeDeps([
      () => {
        throw new TypeError("Failed to fetch");
      },
      () => new Response(JSON.stringify({ error: { message: "Label store unavailable" } }), { status: 503 }),
      pdf,
    ]);
    expect(
      (await fetchWithRetry("/l", async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps))).ok,
    ).toBe(true);
    const failing = fakeDeps(Array.from({ length: 5 }, () => () => new Response("{}", { status: 502 })));
    await expect(
      fetchWithRetry("/l", async () => ({}), failing, DEFAULT_FETCH_POLICY, new RateGate(failing)),
    ).rejects.toThrow(/tried 5 times/);
  });

  it("gives up on a limit that never lifts and says so", async () => {
    const deps = fakeDeps(Array.from({ length: 200 }, () => () => tooMany(30)));
    await expect(
      fetchWithRetry(
        "/l",
        async () => ({}),
        deps,
        { ...DEFAULT_FETCH_POLICY, rateLimitedForMs: 60_000 },
        new RateGate(deps),
      ),
    ).rejects.toThrow(/Too many requests from this device \(still refused after 60 s\)/);
  });

  it("returns a 404 at once (the caller draws the label itself)", async () => {
    const deps = fakeDeps([() => new Response("{}", { status: 404 })]);
    expect(
      (await fetchWithRetry("/l", async () => ({}), deps, DEFAULT_FETCH_POLICY, new RateGate(deps))).status,
    ).toBe(404);
  });

  it("hands results over in the run's order while several are in flight", async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    await inOrder(
      [5, 1, 4, 2, 3],
      3,
      async (n) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, n * 3));
        inFlight--;
        return n;
      },
      (n) => {
        seen.push(n);
        return true;
      },
    );
    expect(seen).toEqual([5, 1, 4, 2, 3]);
    expect(most).toBe(3);
  });
});
