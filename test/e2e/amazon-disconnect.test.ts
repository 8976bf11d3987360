// Settings → Disconnect Amazon in Chromium, as a seller's owner uses it: a seller of its own,
// connected to its own sandbox selling partner (so the shared demo seller keeps its connection),
// disconnects from Settings; the page says Amazon no longer sends the account's orders, shows
// "Not connected", and the sandbox's Amazon no longer holds the seller's ORDER_CHANGE subscription.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack } from "../../scripts/stack.mjs";
import { edgeApi, NAV, openTablet, screenshot } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");
const password = "disconnect-owner-pass";
const email = `owner-${Date.now()}@disconnect.example.co.uk`;
const partner = `ADISCWEB${Date.now().toString(36).toUpperCase()}`;

const subscription = async () =>
  (
    (await (await fetch(`${sandboxUrl}/_sandbox/amazon/sellers/${partner}/subscriptions`)).json()) as {
      ORDER_CHANGE: { subscriptionId: string } | null;
    }
  ).ORDER_CHANGE;

describe("Settings → Disconnect Amazon", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;

  beforeAll(async () => {
    const grant: { memberships: { sellerId: string }[] } = await signUpOnLocalStack(edgeUrl, {
      sellerName: "Disconnect Ltd",
      name: "Dee Owner",
      email,
      password,
      deviceName: "test runner",
    });
    const sellerId = grant.memberships[0]?.sellerId as string;
    // Connected as the app does it: the consent link, Amazon's consent, Consign's callback.
    await fetch(`${sandboxUrl}/_sandbox/amazon/sellers/${partner}/seed`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ orders: 3, unshipped: 1, historyDays: 3, arrivalsPerHour: 0 }),
    });
    const api = edgeApi(edgeUrl, { email, password, sellerId });
    const { body } = await api<{ url: string }>("/api/v1/amazon/connect", { method: "POST", body: "{}" });
    const consent = new URL(body.url);
    consent.searchParams.set("auto", "1");
    consent.searchParams.set("sandbox_seller", partner);
    const back = await fetch(consent, { redirect: "manual" });
    const callback = await fetch(back.headers.get("location") as string, { redirect: "manual" });
    expect(callback.headers.get("location")).toContain("amazon=connected");
    expect((await subscription())?.subscriptionId).toBeTruthy();

    tablet = await openTablet("amazon-disconnect");
    tablet.page.on("dialog", (d) => void d.accept());
    await tablet.page.goto(`${edgeUrl}/signin`, NAV);
    await tablet.page.getByLabel("Email").fill(email);
    await tablet.page.getByLabel("Password").fill(password);
    await tablet.page.getByRole("button", { name: "Sign in" }).click();
    await tablet.page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 60_000 });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("disconnects, says Amazon stops sending the account's orders, and Amazon holds no subscription", async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const status = page.getByTestId("amazon-status");
    await status.waitFor({ timeout: 30_000 });
    expect(await status.getAttribute("data-connected")).toBe("true");
    await page.getByRole("button", { name: "Disconnect Amazon" }).click();
    const notice = page.getByTestId("amazon-disconnected");
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain("no longer sends this account's orders");
    await page.locator('[data-testid="amazon-status"][data-connected="false"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId("amazon-status").textContent()).resolves.toContain("Not connected");
    await screenshot(page, "amazon-disconnected");
    expect(await subscription()).toBeNull();
  });
});
