import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildConsentUrl, verifyState } from "../src/amazon/connect.ts";
import { CALLBACK_PATH, CredentialVault } from "../src/amazon/index.ts";
import { connectSeller, control, inRoom, settings, uniqueSeller } from "./amazon-helpers.ts";

describe("connecting Amazon", () => {
  it("builds a consent URL for our app with a signed state and our callback", async () => {
    const url = new URL(await buildConsentUrl(env, "seller-42", Date.now()));
    expect(url.origin + url.pathname).toBe(env.SELLER_CENTRAL_URL);
    expect(url.searchParams.get("application_id")).toBe(env.SPAPI_APP_ID);
    expect(url.searchParams.get("redirect_uri")).toBe(`${env.PUBLIC_URL}${CALLBACK_PATH}`);
    const state = url.searchParams.get("state") as string;
    expect(await verifyState(env, state, Date.now())).toEqual({ sellerId: "seller-42" });
  });

  it("refuses a tampered or stale state", async () => {
    const now = Date.now();
    const state = new URL(await buildConsentUrl(env, "seller-42", now)).searchParams.get("state") as string;
    const [payload, sig] = state.split(".") as [string, string];
    const forged = `${payload.slice(0, -2)}AA.${sig}`;
    await expect(verifyState(env, forged, now)).rejects.toMatchObject({ code: "bad_request" });
    await expect(verifyState(env, state, now + 16 * 60_000)).rejects.toMatchObject({ code: "bad_request" });
  });

  it("exchanges the code and keeps the refresh token encrypted, never readable back", async () => {
    const spid = uniqueSeller("ACONN");
    await control(`${spid}/seed`, { orders: 5, historyDays: 10, seed: 1, arrivalsPerHour: 0 });
    await inRoom(`connect-${spid}`, async (sql) => {
      const { vault, connection, callback, verified } = await connectSeller(sql, spid);
      expect(verified.sellerId).toBe("seller-1");
      expect(connection.sellingPartnerId).toBe(spid);
      expect(vault.connection()).toEqual({ sellingPartnerId: spid, connectedAt: connection.connectedAt });
      expect(JSON.stringify(vault.connection())).not.toContain("Atzr");
      const row = sql.exec<{ ciphertext: ArrayBuffer }>("SELECT ciphertext FROM amazon_credentials").one();
      expect(new TextDecoder().decode(row.ciphertext)).not.toContain("Atzr");
      expect(callback.pathname).toBe(CALLBACK_PATH);
      // The stored token works: a client built from the vault reaches the sandbox.
      const client = await vault.client(settings());
      const page = await client.searchOrders({
        createdAfter: new Date(Date.now() - 20 * 86_400_000).toISOString(),
      });
      expect(page.orders.length).toBe(5);
      // Another key cannot read it.
      const other = new CredentialVault(sql, btoa(String.fromCharCode(...new Uint8Array(32).fill(7))));
      await expect(other.client(settings())).rejects.toMatchObject({ code: "amazon_credentials_refused" });
    });
  });
});
