// Amazon throttling the dispatch confirmations (a 429 storm): the queue pauses as a whole, one call
// per pause, and when the storm ends every parcel goes in the order it was printed within a minute,
// none left waiting out a growing backoff of its own (which kept parcels unconfirmed for many
// minutes after a storm, and made the simulated month step through them 30 s at a time).
import { createSpApiClient } from "@consign/sp-api";
import { describe, expect, it } from "vitest";
import { ConfirmationQueue, type ConfirmationResult } from "../src/amazon/index.ts";
import { inRoom, uniqueSeller } from "./amazon-helpers.ts";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

function harness(start: number) {
  let now = start;
  let storm = true;
  const calls: { at: number; orderId: string; status: number }[] = [];
  const client = createSpApiClient({
    lwaTokenUrl: "http://127.0.0.1:8788/auth/o2/token",
    baseUrl: "http://127.0.0.1:8788",
    clientId: "client",
    clientSecret: "secret",
    refreshToken: "Atzr|seller|token",
    clock: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => 0.5,
    fetch: async (input, init) => {
      const req = new Request(input, init);
      if (req.url.endsWith("/auth/o2/token"))
        return Response.json({ access_token: "Atza|t", token_type: "bearer", expires_in: 3600 });
      const orderId = new URL(req.url).pathname.split("/")[4] ?? "";
      const status = storm ? 429 : 204;
      calls.push({ at: now, orderId, status });
      const headers = { "x-amzn-RateLimit-Limit": "2", "x-amzn-RequestId": crypto.randomUUID() };
      return storm
        ? Response.json(
            {
              errors: [
                { code: "QuotaExceeded", message: "You exceeded your quota for the requested resource." },
              ],
            },
            { status: 429, headers },
          )
        : new Response(null, { status: 204, headers });
    },
  });
  return {
    client,
    calls,
    clock: () => now,
    advanceTo: (t: number) => {
      now = Math.max(now, t);
    },
    endStorm: () => {
      storm = false;
    },
  };
}

const dispatch = (n: number) => ({
  orderId: `202-0000000-${String(n).padStart(7, "0")}`,
  packageReferenceId: "1",
  carrierCode: "Royal Mail",
  trackingNumber: `GQ${String(10_000_000 + n)}GB`,
  shipDate: "2026-12-01T10:00:00Z",
  items: [{ orderItemId: `${n}1`, quantity: 1 }],
});

describe("dispatch confirmations in a 429 storm", () => {
  it("pause the queue as a whole, then all go in print order within a minute of its end", async () => {
    await inRoom(`throttle-${uniqueSeller("T")}`, async (sql) => {
      const h = harness(Date.UTC(2026, 11, 1, 10));
      const answers: { orderId: string; result: ConfirmationResult }[] = [];
      const queue = new ConfirmationQueue({
        sql,
        client: h.client,
        clock: h.clock,
        random: () => 0.5,
        onResult: (orderId, result) => void answers.push({ orderId, result }),
      });
      for (let n = 1; n <= 20; n++) queue.enqueue(dispatch(n), h.clock());

      // Ten minutes of Amazon answering 429 to every call, the room draining on each alarm.
      const stormEnds = h.clock() + 10 * MINUTE;
      const pauses: number[] = [];
      while (h.clock() < stormEnds) {
        const next = await queue.drain(h.clock());
        expect(next).not.toBeNull();
        pauses.push((next ?? 0) - h.clock());
        if (pauses.length === 3) {
          // A parcel printed while the queue is paused: told why it waits as soon as the queue looks
          // (the alarm its printing sets), without a call to Amazon.
          const calls = h.calls.length;
          queue.enqueue(dispatch(21), h.clock());
          expect(await queue.drain(h.clock())).toBe(next);
          expect(h.calls.length).toBe(calls);
        }
        h.advanceTo(next ?? 0);
      }
      // Only the head of the queue was tried: one parcel, two calls (the client's own retry) a pause.
      expect(new Set(h.calls.map((c) => c.orderId))).toEqual(new Set([dispatch(1).orderId]));
      expect(h.calls.length).toBeLessThanOrEqual(2 * pauses.length);
      // The pause doubles while the storm lasts, to a minute at most.
      expect(Math.max(...pauses)).toBeLessThanOrEqual(MINUTE + SECOND);
      expect(pauses.at(-1)).toBeGreaterThan(20 * SECOND);
      // The parcel says it waits, and until when (the time the queue goes on).
      const last = answers.at(-1);
      expect(last?.result.state).toBe("pending");
      expect(last?.result.error).toMatch(/limiting/);
      expect(last?.result.retryAt).toBe(queue.pausedUntilAt(h.clock() - 1));
      expect(queue.counts()).toEqual({ pending: 21, confirmed: 0, failed: 0 });
      // Every parcel behind it is told once why it waits (not at every pause).
      for (let n = 2; n <= 20; n++) {
        const told = answers.filter((a) => a.orderId === dispatch(n).orderId);
        expect(told).toHaveLength(1);
        expect(told[0]?.result).toMatchObject({ state: "pending", attempts: 0 });
        expect(told[0]?.result.error).toMatch(/limiting.*after the ones ahead of it/);
      }

      expect(answers.filter((a) => a.orderId === dispatch(21).orderId).map((a) => a.result.error)).toEqual([
        expect.stringMatching(/limiting/),
      ]);

      // The storm ends: within a minute of it, every parcel is confirmed, once, in print order.
      h.endStorm();
      const ended = h.clock();
      while (queue.counts().pending > 0 && h.clock() < ended + 10 * MINUTE) {
        const next = await queue.drain(h.clock());
        if (next === null) break;
        h.advanceTo(next);
      }
      expect(queue.counts()).toEqual({ pending: 0, confirmed: 21, failed: 0 });
      const accepted = h.calls.filter((c) => c.status === 204);
      expect(accepted.map((c) => c.orderId)).toEqual(
        Array.from({ length: 21 }, (_, i) => dispatch(i + 1).orderId),
      );
      expect((accepted.at(-1)?.at ?? 0) - stormEnds).toBeLessThan(MINUTE + 10 * SECOND);
    });
  });
});
