import { AccessTokenCache, createHealthClient } from "@consign/sp-api";
import { describe, expect, it } from "vitest";
import { control, RATE_SCALE, SANDBOX, uniqueSeller } from "./amazon-helpers.ts";

const CLIENT = {
  clientId: "amzn1.application-oa2-client.consignsandbox",
  clientSecret: "sandbox-client-secret",
};

/** A connected sandbox seller and a health client whose tokens come from Login with Amazon. */
async function connected(prefix: string) {
  const seller = uniqueSeller(prefix);
  const consent = await fetch(
    `${SANDBOX}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
    { redirect: "manual" },
  );
  const code = new URL(consent.headers.get("location") as string).searchParams.get("spapi_oauth_code");
  const lwa = await fetch(`${SANDBOX}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: code as string,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    }).toString(),
  });
  const { refresh_token } = (await lwa.json()) as { refresh_token: string };
  await control(`${seller}/seed`, { orders: 30, historyDays: 90, seed: 5, arrivalsPerHour: 0 });
  await control(`${seller}/faults`, { rateScale: RATE_SCALE });
  const wire: { url: string; status: number }[] = [];
  const counted = async (input: string | Request, init?: RequestInit) => {
    const res = await fetch(input, init);
    wire.push({ url: String(input instanceof Request ? input.url : input), status: res.status });
    return res;
  };
  const tokens = new AccessTokenCache(
    { fetch: counted, lwaTokenUrl: `${SANDBOX}/auth/o2/token`, ...CLIENT, refreshToken: refresh_token },
    () => Date.now(),
  );
  const client = createHealthClient({
    fetch: counted,
    baseUrl: SANDBOX,
    accessToken: async (refused) => {
      if (refused) tokens.invalidate(refused);
      return tokens.get();
    },
    rateScale: RATE_SCALE,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const lwaCalls = () => wire.filter((w) => w.url.endsWith("/auth/o2/token")).length;
  const refusals = () => wire.filter((w) => w.status === 403).length;
  return { seller, client, lwaCalls, refusals };
}

describe("the health client's access token against the sandbox", () => {
  it("recovers from an expired access token by refreshing once", async () => {
    const s = await connected("HTOKA");
    await s.client.createReport("GET_V2_SELLER_PERFORMANCE_REPORT");
    expect(s.lwaCalls()).toBe(1);
    await control(`${s.seller}/expire-access-tokens`);
    // The cached token still looks good to us; Amazon says it expired, and one refresh fixes it.
    const actions = await s.client.createReport("GET_V2_SELLER_PERFORMANCE_REPORT");
    expect(actions).toMatch(/\d+/);
    expect(s.lwaCalls()).toBe(2);
    expect(s.refusals()).toBe(1);
    await s.client.createReport("GET_V2_SELLER_PERFORMANCE_REPORT");
    expect(s.lwaCalls()).toBe(2);
  });

  it("says to connect again when the seller has revoked access, after one try at a fresh token", async () => {
    const s = await connected("HTOKB");
    await s.client.createReport("GET_V2_SELLER_PERFORMANCE_REPORT");
    await control(`${s.seller}/revoke`);
    await expect(s.client.createReport("GET_V2_SELLER_PERFORMANCE_REPORT")).rejects.toMatchObject({
      code: "amazon_credentials_refused",
      message: expect.stringMatching(/connect again/),
    });
    expect(s.refusals()).toBe(1);
    expect(s.lwaCalls()).toBe(2);
  });
});
