import { describe, expect, it } from "vitest";
import { CLIENT, call, connect, control, lwa, sp } from "./amazon-helpers.ts";

describe("Login with Amazon and the consent step", () => {
  it("shows an 'Authorise Consign?' page whose confirm link redirects with the code, state and seller", async () => {
    const redirect = "http://127.0.0.1:8787/connect/amazon/callback";
    const page = await call(
      `/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=abc&redirect_uri=${encodeURIComponent(redirect)}&sandbox_seller=ACONSENT1`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Authorise Consign?");
    const href = html.match(/id="confirm" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, "&") as string;
    const confirmed = await call(href, { redirect: "manual" });
    expect(confirmed.status).toBe(302);
    const location = new URL(confirmed.headers.get("location") as string);
    expect(location.origin + location.pathname).toBe(redirect);
    expect(location.searchParams.get("state")).toBe("abc");
    expect(location.searchParams.get("selling_partner_id")).toBe("ACONSENT1");
    expect(location.searchParams.get("spapi_oauth_code")).toMatch(/^ANsbx\|ACONSENT1\|/);
  });

  it("exchanges a code once for a refresh token, then refreshes access tokens", async () => {
    const { refreshToken, accessToken } = await connect("ALWA1");
    expect(refreshToken).toMatch(/^Atzr\|/);
    expect(accessToken).toMatch(/^Atza\|/);
    const refreshed = await lwa({ grant_type: "refresh_token", refresh_token: refreshToken, ...CLIENT });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body.expires_in).toBe(3600);
    expect(body.token_type).toBe("bearer");
  });

  it("answers invalid_client for a wrong client secret and invalid_grant for an unknown token", async () => {
    const bad = await lwa({
      grant_type: "refresh_token",
      refresh_token: "Atzr|ALWA2|nope",
      ...CLIENT,
      client_secret: "x",
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
    const unknown = await lwa({ grant_type: "refresh_token", refresh_token: "Atzr|ALWA2|nope", ...CLIENT });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("refuses a used authorization code", async () => {
    const consent = await call(
      "/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=ALWA3",
      { redirect: "manual" },
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get(
      "spapi_oauth_code",
    ) as string;
    expect((await lwa({ grant_type: "authorization_code", code, ...CLIENT })).status).toBe(200);
    const again = await lwa({ grant_type: "authorization_code", code, ...CLIENT });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("answers revoked and expired tokens the way Amazon does", async () => {
    const { refreshToken, accessToken } = await connect("AREVOKE1");
    await control("AREVOKE1/seed", { orders: 5, historyDays: 5, seed: 1, arrivalsPerHour: 0 });
    await control("AREVOKE1/expire-access-tokens");
    const expired = await sp("/orders/2026-01-01/orders/202-0000000-0000000", accessToken);
    expect(expired.status).toBe(403);
    expect(expired.headers.get("x-amzn-RateLimit-Limit")).toBe("0.5");
    const body = (await expired.json()) as { errors: { code: string; details: string }[] };
    expect(body.errors[0]?.code).toBe("Unauthorized");
    expect(body.errors[0]?.details).toContain("expired");
    await control("AREVOKE1/revoke");
    const refused = await lwa({ grant_type: "refresh_token", refresh_token: refreshToken, ...CLIENT });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
  });
});
