import { describe, expect, it } from "vitest";
import { createSpApiClient } from "./client.ts";
import { SpApiError } from "./errors.ts";
import { amazonError, apiOrder, BASE_OPTIONS, fakeTime, scriptedFetch } from "./test-fakes.ts";

const page = (orders: unknown[], nextToken?: string) =>
  Response.json({
    orders,
    ...(nextToken ? { pagination: { nextToken } } : {}),
    createdBefore: "2026-11-26T08:58:00Z",
  });

describe("SP-API client", () => {
  it("caches the access token and refreshes it a minute before it expires", async () => {
    const t = fakeTime();
    const f = scriptedFetch(() => page([]));
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, clock: t.clock, sleep: t.sleep });
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    expect(f.tokensIssued()).toBe(1);
    t.advance(3540_000 - 1000);
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    expect(f.tokensIssued()).toBe(1);
    t.advance(2000);
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    expect(f.tokensIssued()).toBe(2);
    const lwaBody = await f.calls[0]?.text();
    expect(new URLSearchParams(lwaBody).get("grant_type")).toBe("refresh_token");
  });

  it("counts a token's hour from when it was asked for, so a clock that moved meanwhile never sends it expired", async () => {
    // The simulated month (issue 22): the room's clock moved on while LWA's answer travelled, so the
    // cache counted the hour from a later time than LWA did and sent the token after it had expired.
    const t = fakeTime();
    let issued = 0;
    const issuedAt: number[] = [];
    const expiredSent: string[] = [];
    const f = scriptedFetch(
      (req) => {
        const token = req.headers.get("x-amz-access-token") ?? "";
        const at = issuedAt[Number(token.split("-")[1]) - 1] ?? 0;
        if (t.clock() >= at + 3600_000) {
          expiredSent.push(token);
          return amazonError(403, "Unauthorized", "The access token you provided has expired.");
        }
        return page([]);
      },
      () => {
        issued++;
        issuedAt.push(t.clock());
        // The answer arrives five minutes of clock later (the clock moved while it travelled).
        t.advance(5 * 60_000);
        return Response.json({
          access_token: `Atza|token-${issued}`,
          token_type: "bearer",
          expires_in: 3600,
        });
      },
    );
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, clock: t.clock, sleep: t.sleep });
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    // 58 minutes after LWA issued it: still within its hour less the minute's margin.
    t.advance(53 * 60_000);
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    expect(issued).toBe(1);
    // 59.5 minutes after it was issued: refreshed ahead of expiry, never sent expired.
    t.advance(90_000);
    await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    expect(issued).toBe(2);
    expect(expiredSent).toEqual([]);
  });

  it("refreshes once more when Amazon says the token expired, then carries on", async () => {
    const t = fakeTime();
    let first = true;
    const f = scriptedFetch((req) => {
      if (first && req.headers.get("x-amz-access-token") === "Atza|token-1") {
        first = false;
        return amazonError(403, "Unauthorized", "Access to requested resource is denied.");
      }
      return page([apiOrder("202-1111111-1111111")]);
    });
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, clock: t.clock, sleep: t.sleep });
    const res = await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" });
    expect(res.orders).toHaveLength(1);
    expect(f.tokensIssued()).toBe(2);
  });

  it("maps invalid_grant to amazon_credentials_refused with 'reconnect'", async () => {
    const f = scriptedFetch(
      () => page([]),
      () =>
        Response.json(
          {
            error: "invalid_grant",
            error_description: "The request has an invalid grant parameter : refresh_token",
          },
          { status: 400 },
        ),
    );
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch });
    const err = await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" }).catch((e) => e);
    expect(err).toBeInstanceOf(SpApiError);
    expect(err.code).toBe("amazon_credentials_refused");
    expect(err.message).toMatch(/^Amazon refused the credentials: reconnect/);
  });

  it("retries 429 (honouring Retry-After) and 5xx with backoff, within bounded attempts", async () => {
    const t = fakeTime();
    const script = [
      () => amazonError(429, "QuotaExceeded", "You exceeded your quota", { "retry-after": "7" }),
      () => amazonError(503, "ServiceUnavailable", "try again"),
      () => page([]),
    ];
    const f = scriptedFetch(() => (script.shift() as () => Response)());
    const sleeps: number[] = [];
    const client = createSpApiClient({
      ...BASE_OPTIONS,
      fetch: f.fetch,
      clock: t.clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        await t.sleep(ms);
      },
      random: () => 0.5,
    });
    await client.getOrder("202-1-1").catch(() => undefined);
    expect(sleeps[0]).toBeGreaterThanOrEqual(7000);
    expect(sleeps[1]).toBeGreaterThan(0);

    const always = scriptedFetch(() => amazonError(500, "InternalFailure", "boom"));
    const bounded = createSpApiClient({
      ...BASE_OPTIONS,
      fetch: always.fetch,
      clock: t.clock,
      sleep: t.sleep,
      retry: { maxAttempts: 3 },
    });
    const err = await bounded.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" }).catch((e) => e);
    expect(err.code).toBe("upstream_unavailable");
    expect(always.calls.filter((r) => !r.url.includes("/auth/")).length).toBe(3);
  });

  it("waits for the usage plan instead of being answered 429 (confirmShipment: 2/s, burst 10)", async () => {
    const t = fakeTime();
    const sent: number[] = [];
    const f = scriptedFetch(() => {
      sent.push(t.clock());
      return new Response(null, { status: 204 });
    });
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch, clock: t.clock, sleep: t.sleep });
    const body = {
      marketplaceId: "A1F83G8C2ARO7P",
      packageDetail: {
        packageReferenceId: "1",
        carrierCode: "Royal Mail",
        trackingNumber: "GQ660548056GB",
        shipDate: "2026-11-26T09:00:00Z",
        orderItems: [{ orderItemId: "1", quantity: 1 }],
      },
    };
    const start = t.clock();
    for (let i = 0; i < 30; i++) await client.confirmShipment(`202-0000000-${i}`, body);
    // 10 at once, then one every 500 ms: 20 more take 10 s.
    expect(sent.filter((s) => s === start)).toHaveLength(10);
    expect(t.clock() - start).toBeGreaterThanOrEqual(10_000);
    expect(t.clock() - start).toBeLessThan(10_200);
  });

  it("refuses a malformed answer as a typed error that names the field", async () => {
    const f = scriptedFetch(() => page([{ ...apiOrder("202-1-1"), createdTime: "yesterday" }]));
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch });
    const err = await client.searchOrders({ createdAfter: "2026-11-01T00:00:00Z" }).catch((e) => e);
    expect(err.code).toBe("upstream_malformed");
    expect(err.fields[0].path).toBe("orders.0.createdTime");
    const notJson = scriptedFetch(() => new Response("<html>oops", { status: 200 }));
    const err2 = await createSpApiClient({ ...BASE_OPTIONS, fetch: notJson.fetch })
      .getOrder("202-1-1")
      .catch((e) => e);
    expect(err2.code).toBe("upstream_malformed");
  });

  it("pages through searchOrders with the same filters, asking personal data with the access token (no RDT)", async () => {
    const f = scriptedFetch((req) => {
      const url = new URL(req.url);
      if (url.pathname.endsWith("/restrictedDataToken")) {
        return amazonError(
          400,
          "InvalidInput",
          "Application do not have access to some or all requested resource",
        );
      }
      expect(req.headers.get("x-amz-access-token")).toBe("Atza|token-1");
      expect(url.searchParams.get("includedData")).toBe("BUYER,RECIPIENT");
      if (url.pathname.endsWith("/202-1-1")) return Response.json({ order: apiOrder("202-1-1") });
      expect(url.searchParams.get("fulfillmentStatuses")).toBe("UNSHIPPED,PARTIALLY_SHIPPED");
      const token = url.searchParams.get("paginationToken");
      if (!token) return page([apiOrder("202-1-1")], "p2");
      if (token === "p2") return page([apiOrder("202-1-2")], "p3");
      return page([apiOrder("202-1-3")]);
    });
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch });
    const ids: string[] = [];
    for await (const p of client.searchOrdersPages({
      createdAfter: "2026-11-01T00:00:00Z",
      fulfillmentStatuses: ["UNSHIPPED", "PARTIALLY_SHIPPED"],
      includedData: ["BUYER", "RECIPIENT"],
    })) {
      ids.push(...p.orders.map((o) => o.orderId));
    }
    expect(ids).toEqual(["202-1-1", "202-1-2", "202-1-3"]);
    expect((await client.getOrder("202-1-1", ["BUYER", "RECIPIENT"])).orderId).toBe("202-1-1");
    expect(f.calls.filter((r) => r.url.endsWith("/restrictedDataToken"))).toHaveLength(0);
  });

  it("maps a refusal to upstream_rejected with Amazon's reason", async () => {
    const f = scriptedFetch(() =>
      amazonError(
        400,
        "InvalidInput",
        "Failed to create package due to not finding a matching package or order already fulfilled.",
      ),
    );
    const client = createSpApiClient({ ...BASE_OPTIONS, fetch: f.fetch });
    const err = await client.confirmShipment("202-1-1", {} as never).catch((e) => e);
    expect(err.code).toBe("upstream_rejected");
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain("already fulfilled");
  });
});
