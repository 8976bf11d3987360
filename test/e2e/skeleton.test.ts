import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { NAV, openTablet, screenshot } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");

describe("walking skeleton", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("skeleton");
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("the edge answers /health through a seller's Durable Object, and the sandbox answers too", async () => {
    const health = (await (await fetch(`${edgeUrl}/health`)).json()) as {
      ok: boolean;
      durableObject: { reachable: boolean };
    };
    expect(health).toMatchObject({ ok: true, durableObject: { reachable: true } });
    const sandbox = (await (await fetch(`${sandboxUrl}/health`)).json()) as { ok: boolean };
    expect(sandbox.ok).toBe(true);
  });

  it("loads the PWA in Chromium, registers its service worker and offers an installable manifest", async () => {
    const { page } = tablet;
    await page.goto(edgeUrl, NAV);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    const scope = await page.evaluate(async () => {
      const reg = await Promise.race([
        navigator.serviceWorker.ready,
        new Promise<null>((r) => setTimeout(() => r(null), 15_000)),
      ]);
      return reg ? reg.scope : null;
    });
    expect(scope).toBe(`${edgeUrl}/`);
    const manifestHref = await page.getAttribute('link[rel="manifest"]', "href");
    expect(manifestHref).toBeTruthy();
    const manifest = (await (await fetch(new URL(manifestHref!, edgeUrl))).json()) as {
      name: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(manifest.display).toBe("standalone");
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, edgeUrl));
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get("content-type")).toContain("image/png");
    }
  });

  it("signs the demo owner in and shows the live status from the edge", async () => {
    const { page } = tablet;
    const demo = inject("demo");
    await page.goto(`${edgeUrl}/signin`, NAV);
    await page.getByLabel("Email").fill(demo.owner);
    await page.getByLabel("Password").fill(demo.password);
    await page.getByRole("button", { name: /sign in/i }).click();
    const chip = page.getByTestId("sync-chip");
    await chip.waitFor();
    await expect
      .poll(async () => (await chip.textContent()) ?? "", { timeout: 20_000 })
      .toMatch(/live|connected|synced/i);
    await screenshot(page, "skeleton-signed-in");
  });
});
