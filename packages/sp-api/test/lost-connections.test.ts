// Real connection drops over real HTTP: the bundled sandbox runs in workerd (Miniflare) and its
// lost-request / lost-answer switches abort the connection mid-answer. The client, with Node's own
// fetch, reads again where that is safe and confirms a dispatch exactly once.

import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpApiClient } from "../src/index.ts";
import { socketFront, startSandbox } from "./sandbox.ts";

const CLIENT_ID = "amzn1.application-oa2-client.consignsandbox";
const CLIENT_SECRET = "sandbox-client-secret";

describe("connections that really drop", () => {
  let mf: Miniflare;
  let front: Awaited<ReturnType<typeof socketFront>>;
  let origin: string;

  beforeAll(async () => {
    mf = startSandbox("http://127.0.0.1:8788");
    front = await socketFront((await mf.ready).origin);
    origin = front.origin;
  }, 120_000);

  afterAll(async () => {
    await front?.close();
    await mf?.dispose();
  });

  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${origin}/_sandbox/amazon/sellers/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json() as Promise<Record<string, unknown>>;
  };

  async function connected(seller: string) {
    await control(`${seller}/seed`, {
      orders: 30,
      unshipped: 10,
      historyDays: 10,
      seed: 3,
      arrivalsPerHour: 0,
    });
    await control(`${seller}/faults`, { rateScale: 1000 });
    const consent = await fetch(
      `${origin}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
      { redirect: "manual" },
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get("spapi_oauth_code");
    const lwa = await fetch(`${origin}/auth/o2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code as string,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    const { refresh_token, access_token } = (await lwa.json()) as {
      refresh_token: string;
      access_token: string;
    };
    const client = createSpApiClient({
      fetch: (input, init) => fetch(input, init),
      lwaTokenUrl: `${origin}/auth/o2/token`,
      baseUrl: origin,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: refresh_token,
      rateScale: 1000,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      timeoutMs: 10_000,
    });
    return { client, accessToken: access_token };
  }

  it("drops the connection itself: the body read fails, it is no clean empty 200", async () => {
    const { accessToken } = await connected("ALOST1");
    await control("ALOST1/faults", { lostRequests: { next: 1, operations: ["searchOrders"] } });
    const res = await fetch(
      `${origin}/orders/2026-01-01/orders?createdAfter=${new Date(Date.now() - 20 * 86_400_000).toISOString()}`,
      { headers: { "x-amz-access-token": accessToken } },
    ).catch((e: Error) => e);
    const outcome = res instanceof Error ? res : await res.text().catch((e: Error) => e);
    expect(outcome).toBeInstanceOf(Error);
  }, 60_000);

  it("reads an order again after a lost request and a lost answer", async () => {
    const { client } = await connected("ALOST2");
    const page = await client.searchOrders({
      createdAfter: new Date(Date.now() - 20 * 86_400_000).toISOString(),
      fulfillmentStatuses: ["UNSHIPPED"],
    });
    const id = page.orders[0]?.orderId as string;
    await control("ALOST2/faults", {
      lostRequests: { next: 1, operations: ["getOrder"] },
      lostAnswers: { next: 1, operations: ["getOrder"] },
    });
    expect((await client.getOrder(id)).orderId).toBe(id);
  }, 60_000);

  it("confirms a dispatch whose answer was lost exactly once, and reports it confirmed", async () => {
    const { client } = await connected("ALOST3");
    const page = await client.searchOrders({
      createdAfter: new Date(Date.now() - 20 * 86_400_000).toISOString(),
      fulfillmentStatuses: ["UNSHIPPED"],
      includedData: ["FULFILLMENT"],
    });
    const order = page.orders[0];
    if (!order) throw new Error("the seed has no unshipped order");
    await control("ALOST3/faults", { lostAnswers: { next: 1, operations: ["confirmShipment"] } });
    await expect(
      client.confirmShipment(order.orderId, {
        marketplaceId: "A1F83G8C2ARO7P",
        packageDetail: {
          packageReferenceId: "1",
          carrierCode: "Royal Mail",
          trackingNumber: "GQ660548056GB",
          shipDate: new Date(Date.now() - 60_000).toISOString(),
          orderItems: order.orderItems.map((i) => ({
            orderItemId: i.orderItemId,
            quantity: i.quantityOrdered,
          })),
        },
      }),
    ).resolves.toBeUndefined();
    const seen = (await (await fetch(`${origin}/_sandbox/amazon/sellers/ALOST3/confirmations`)).json()) as {
      accepted: number;
      refused: number;
      acceptedTwice: string[];
    };
    expect(seen.accepted).toBe(1);
    expect(seen.refused).toBe(1); // the resend, answered "already fulfilled"
    expect(seen.acceptedTwice).toEqual([]);
  }, 60_000);
});
