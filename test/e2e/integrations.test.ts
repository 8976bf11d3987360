// Settings → Integrations in Chromium, as a seller's owner uses it: an API key made, shown once,
// used by an integration and revoked; a webhook endpoint refused at a private address, then added
// with its signing secret shown once, its delivery log opened, its secret rotated (the new one shown
// once, with until when the old one also signs), and deleted. Then the same tablet,
// which keeps the deviceKey its sign-in gave it, signs in at once while someone else's wrong
// guesses at the owner's email make a new device wait.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack } from "../../scripts/stack.mjs";
import { NAV, openTablet, screenshot } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const password = "integrations-owner-pass";
const email = `owner-${Date.now()}@integrations.example.co.uk`;

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${edgeUrl}/signin`, NAV);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("Settings → Integrations", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;

  beforeAll(async () => {
    // A seller of its own, so nothing here depends on the demo seller's state.
    await signUpOnLocalStack(edgeUrl, {
      sellerName: "Integrations Ltd",
      name: "Ida Owner",
      email,
      password,
      deviceName: "test runner",
    });
    tablet = await openTablet("integrations");
    tablet.page.on("dialog", (d) => void d.accept());
    await signIn(tablet.page, { email, password });
    await tablet.page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 60_000 });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("makes an API key, shows it once, and revokes it so it stops working at once", async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const keys = page.getByTestId("api-keys");
    await keys.waitFor({ timeout: 30_000 });
    await keys.getByLabel("Key name").fill("Stock sync");
    await keys.getByLabel("Scope").selectOption("write");
    await keys.getByRole("button", { name: "Create API key" }).click();
    const shown = page.getByTestId("new-api-key-value");
    await shown.waitFor();
    const key = (await shown.textContent())?.trim() ?? "";
    expect(key).toMatch(/^csk_/);
    await screenshot(page, "integrations-api-key-shown-once");

    // The integration uses it.
    const used = await fetch(`${edgeUrl}/api/v1/orders`, { headers: { Authorization: `Bearer ${key}` } });
    expect(used.status).toBe(200);

    // Stored: the key is never shown again, not even after a reload; the list names it.
    await page.getByRole("button", { name: "I have stored it" }).click();
    await expect.poll(() => page.getByTestId("new-api-key").count()).toBe(0);
    await page.reload(NAV);
    const row = page.getByTestId("api-key").filter({ hasText: "Stock sync" });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain("Read and write");
    expect(await page.content()).not.toContain(key);

    await row.getByRole("button", { name: "Revoke Stock sync" }).click();
    await expect.poll(() => row.getAttribute("data-revoked"), { timeout: 15_000 }).toBe("true");
    expect(await row.textContent()).toContain("Revoked");
    const refused = await fetch(`${edgeUrl}/api/v1/orders`, { headers: { Authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(401);
  });

  it("refuses a private webhook address in words, adds a public one with its secret shown once, opens its log, rotates its secret and deletes it", async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const hooks = page.getByTestId("webhooks");
    await hooks.waitFor({ timeout: 30_000 });
    await hooks.getByLabel("Endpoint URL (https)").fill("https://10.0.0.1/consign/hooks");
    await hooks.getByRole("button", { name: "Add endpoint" }).click();
    const why = hooks.getByTestId("webhook-url-error");
    await why.waitFor({ timeout: 15_000 });
    expect(await why.textContent()).toContain("not on the public internet");
    expect(await hooks.getByTestId("webhook-endpoint").count()).toBe(0);

    // A public address written as one (no DNS needed here); the events ticked by default stay.
    const url = "https://93.184.215.14/consign/hooks";
    await hooks.getByLabel("Endpoint URL (https)").fill(url);
    await hooks.getByLabel(/order\.confirmed/).check();
    await hooks.getByRole("button", { name: "Add endpoint" }).click();
    const secret = page.getByTestId("webhook-secret-value");
    await secret.waitFor({ timeout: 15_000 });
    const first = (await secret.textContent())?.trim() ?? "";
    expect(first).toMatch(/^whsec_/);
    const endpoint = hooks.getByTestId("webhook-endpoint").filter({ hasText: url });
    await endpoint.waitFor();
    expect(await endpoint.textContent()).toContain("order.confirmed");
    expect(await endpoint.getAttribute("data-status")).toBe("active");
    await screenshot(page, "integrations-webhook-added");

    await endpoint.getByRole("button", { name: "Delivery log" }).click();
    const log = endpoint.getByTestId("webhook-deliveries");
    await log.waitFor();
    await expect.poll(async () => (await log.textContent()) ?? "").toContain("No deliveries yet");

    // Rotating: the new secret in the same shown-once box, saying until when the old one signs too.
    await page.getByRole("button", { name: "I have stored it" }).click();
    await expect.poll(() => page.getByTestId("webhook-secret").count()).toBe(0);
    await endpoint.getByRole("button", { name: `Rotate the secret of ${url}` }).click();
    await secret.waitFor({ timeout: 15_000 });
    const rotated = (await secret.textContent())?.trim() ?? "";
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(first);
    expect(await page.getByTestId("webhook-secret").textContent()).toMatch(
      /deliveries also carry the old secret's signature/,
    );
    await endpoint.getByTestId("webhook-old-secret").waitFor({ timeout: 15_000 });
    expect(await endpoint.getByTestId("webhook-old-secret").textContent()).toMatch(
      /old secret also signs until/,
    );
    await page.getByTestId("webhook-secret").scrollIntoViewIfNeeded();
    await screenshot(page, "integrations-webhook-secret-rotated");

    await endpoint.getByRole("button", { name: `Delete ${url}` }).click();
    await expect.poll(() => hooks.getByTestId("webhook-endpoint").count(), { timeout: 15_000 }).toBe(0);
  });

  it("lets the owner's own tablet sign in while wrong guesses at the email make a new device wait", async () => {
    const { page } = tablet;
    const held = await page.evaluate(() => localStorage.getItem("consign.deviceKeys.v1"));
    expect(JSON.parse(held ?? "{}")[email]).toMatch(/^cs_dev_/);
    await page.goto(`${edgeUrl}/settings`, NAV);
    await page.getByRole("button", { name: "Sign out of this device" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/signin"), { timeout: 30_000 });

    // Someone who knows the email guesses, as fast as the edge lets them, until the account's wait
    // (doubling with each wrong guess) is long enough for what follows.
    for (let guesses = 0; ; guesses++) {
      expect(guesses, "the account's wait never grew").toBeLessThan(20);
      const guess = await fetch(`${edgeUrl}/auth/signin`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password: `wrong-guess-${guesses}`, deviceName: "attacker" }),
      });
      if (guess.status === 401) continue;
      expect(guess.status).toBe(429);
      const wait = Number(guess.headers.get("Retry-After"));
      expect(wait).toBeGreaterThan(0);
      if (wait >= 20) break;
      await new Promise((r) => setTimeout(r, wait * 1000 + 200));
    }

    // A device that never signed in is told to wait, in words.
    const stranger = await openTablet("integrations-new-device");
    try {
      await signIn(stranger.page, { email, password });
      await expect
        .poll(async () => (await stranger.page.locator("body").textContent()) ?? "", { timeout: 15_000 })
        .toMatch(/try again in \d+ s/);
      expect(new URL(stranger.page.url()).pathname).toBe("/signin");
    } finally {
      await stranger.close();
    }

    // The owner's tablet is not held up.
    await signIn(page, { email, password });
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"), { timeout: 30_000 });
    await screenshot(page, "integrations-known-device-signed-in");
  }, 150_000);
});
