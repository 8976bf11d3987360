// The client never hangs and never gives up on a call it can safely send again: Login with Amazon
// has the same timeout and retries as SP-API calls, dropped connections are retried for idempotent
// calls (and confirmShipment, whose duplicate Amazon answers "already fulfilled"), the seller's
// real rate from x-amzn-RateLimit-Limit is followed, and Amazon's request id is in every error.

import { describe, expect, it } from "vitest";
import { createSpApiClient } from "./client.ts";
import type { SpApiError } from "./errors.ts";
import { amazonError, apiOrder, BASE_OPTIONS, fakeTime, scriptedFetch } from "./test-fakes.ts";

const order = (id: string) => Response.json({ order: apiOrder(id) });

/** A fetch that never answers, except by failing when the caller's signal aborts it. */
function hanging(init?: RequestInit): Promise<Response> {
  return new Promise((_, reject) => {
    const signal = init?.signal;
    if (!signal) return; // would hang for ever: the test's own timeout catches it
    signal.addEventListener("abort", () => reject(signal.reason));
  });
}

const confirmBody = {
  marketplaceId: "A1F83G8C2ARO7P",
  packageDetail: {
    packageReferenceId: "1",
    carrierCode: "Royal Mail",
    trackingNumber: "GQ660548056GB",
    shipDate: "2026-11-26T09:00:00Z",
    orderItems: [{ orderItemId: "12345678901234", quantity: 2 }],
  },
};

describe("SP-API client under failure", () => {
  it("gives up on a Login with Amazon endpoint that never answers, within the timeout × 3 tries", async () => {
    const t = fakeTime();
    let tries = 0;
    const client = createSpApiClient({
      ...BASE_OPTIONS,
      fetch: async (input, init) => {
        const url = typeof input === "string" ? input : input.url;
        if (url.endsWith("/auth/o2/token")) {
          tries++;
          return hanging(init);
        }
        return order("202-1-1");
      },
      timeoutMs: 100,
      sleep: t.sleep,
      clock: t.clock,
    });
    const started = Date.now();
    const err = (await client.getOrder("202-1-1").catch((e) => e)) as SpApiError;
    const took = Date.now() - started;
    expect(err.code).toBe("upstream_unavailable");
    expect(err.message).toContain("Login with Amazon");
    expect(err.message).toContain("no answer within 0.1 s");
    expect(tries).toBe(3);
    expect(took).toBeLessThan(2_000);
  });

  it("retries a Login with Amazon 503 and a dropped connection with backoff, then carries on", async () => {
    const t = fakeTime();
    const slept: number[] = [];
    let lwaCalls = 0;
    const f = scriptedFetch(
      () => order("202-1-1"),
      () => {
        lwaCalls++;
        if (lwaCalls === 1) return new Response("busy", { status: 503 });
        if (lwaCalls === 2) throw new TypeError("fetch failed: other side closed");
        return Response.json({ access_token: "Atza|late", token_type: "bearer", expires_in: 3600 });
      },
    );
    const client = createSpApiClient({
      ...BASE_OPTIONS,
      fetch: f.fetch,
      clock: t.clock,
      sleep: async (ms) => {
        slept.push(ms);
        await t.sleep(ms);
      },
      random: () => 0.5,
    });
    expect((await client.getOrder("202-1-1")).orderId).toBe("202-1-1");
    expect(lwaCalls).toBe(3);
    // Exponential backoff with jitter: the second wait is longer than the first.
    expect(slept.length).toBe(2);
    expect(slept[1]).toBeGreaterThan(slept[0] as number);
  });

  it("reads again after the connection drops mid-answer", async () => {
    let calls = 0;
    const f = scriptedFetch(() => {
      calls++;
      if (calls === 1) {
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(new TextEncoder().encode('{"order": {"orderId"'));
            c.error(new TypeError("terminated"));
          },
        });
        return new Response(body, { status: 200 });
      }
      return order("202-1-1");
    });
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, sleep: async () => {} });
    expect((await client.getOrder("202-1-1")).orderId).toBe("202-1-1");
    expect(calls).toBe(2);
  });

  it("sends a confirmation again after a lost answer and takes Amazon's 'already fulfilled' as success", async () => {
    const received: string[] = [];
    const f = scriptedFetch(async (req) => {
      received.push(await req.text());
      if (received.length === 1) throw new TypeError("terminated"); // Amazon took it; the answer was lost
      return amazonError(
        400,
        "InvalidInput",
        "Failed to create package due to not finding a matching package or order already fulfilled.",
        { "x-amzn-RequestId": "rid-dup" },
      );
    });
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, sleep: async () => {} });
    await expect(client.confirmShipment("202-1-1", confirmBody)).resolves.toBeUndefined();
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(received[1]);
  });

  it("still refuses 'already fulfilled' when no earlier attempt could have landed", async () => {
    const f = scriptedFetch(() =>
      amazonError(
        400,
        "InvalidInput",
        "Failed to create package due to not finding a matching package or order already fulfilled.",
        { "x-amzn-RequestId": "rid-first" },
      ),
    );
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, sleep: async () => {} });
    const err = (await client.confirmShipment("202-1-1", confirmBody).catch((e) => e)) as SpApiError;
    expect(err.code).toBe("upstream_rejected");
    expect(err.requestId).toBe("rid-first");
  });

  it("follows the rate Amazon states in x-amzn-RateLimit-Limit", async () => {
    const t = fakeTime();
    const f = scriptedFetch(() => {
      const res = order("202-1-1");
      res.headers.set("x-amzn-RateLimit-Limit", "0.05");
      return res;
    });
    const client = createSpApiClient({
      ...BASE_OPTIONS,
      fetch: f.fetch,
      clock: t.clock,
      sleep: t.sleep,
      usagePlans: { getOrder: { rate: 0.5, burst: 1 } },
    });
    await client.getOrder("202-1-1");
    // The model's plan would allow the next call in 2 s; this seller's plan is 0.05/s: 20 s.
    expect(client.waitTime("getOrder")).toBeGreaterThan(19_000);
    expect(client.waitTime("getOrder")).toBeLessThan(21_000);
  });

  it("keeps Amazon's request id in every error and log line", async () => {
    const lines: string[] = [];
    const f = scriptedFetch(() =>
      amazonError(503, "ServiceUnavailable", "Service temporarily unavailable. Please try again.", {
        "x-amzn-RequestId": "7c1a-rid",
      }),
    );
    const client = createSpApiClient({
      ...BASE_OPTIONS,
      fetch: f.fetch,
      sleep: async () => {},
      retry: { maxAttempts: 2 },
      log: (l) => lines.push(l),
    });
    const err = (await client.getOrder("202-1-1").catch((e) => e)) as SpApiError;
    expect(err.code).toBe("upstream_unavailable");
    expect(err.requestId).toBe("7c1a-rid");
    expect(err.message).toContain("request id 7c1a-rid");
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toContain("request id 7c1a-rid");

    const refused = scriptedFetch(() =>
      amazonError(404, "NotFound", "Order 202-9 was not found.", { "x-amzn-RequestId": "nf-rid" }),
    );
    const e404 = (await createSpApiClient({ ...BASE_OPTIONS, fetch: refused.fetch })
      .getOrder("202-9")
      .catch((e) => e)) as SpApiError;
    expect(e404.code).toBe("not_found");
    expect(e404.message).toContain("request id nf-rid");
  });
});
