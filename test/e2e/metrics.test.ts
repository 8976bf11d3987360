// The metrics page in Chromium against the whole stack: it never shows a rate computed from part of
// the orders (the archive held back, or a month that cannot be read), seller-fulfilled and FBA
// figures sit apart with their date ranges, and the trend chart draws the metric its picker names.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { NAV, openTablet, screenshot, signInTablet } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
// The archive index and each month as the app stores it (/api/v1/archive/{month}/documents).
const ARCHIVE = /\/api\/v1\/archive(\/[^/?]*)?(\/documents)?(\?.*)?$/;

declare global {
  interface Window {
    __archiveReleased?: boolean;
    __ratesBeforeArchive?: string[];
  }
}

/** Watches every change of the page for a rate on a tile while the archive has not been let through. */
function watchForEarlyRates(page: Page) {
  return page.addInitScript(() => {
    window.__ratesBeforeArchive = [];
    const look = () => {
      if (window.__archiveReleased) return;
      for (const el of Array.from(document.querySelectorAll("[data-testid=metric-rate]"))) {
        const text = el.textContent ?? "";
        if (/\d/.test(text)) window.__ratesBeforeArchive!.push(`${performance.now().toFixed(0)} ms: ${text}`);
      }
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

const rates = (page: Page) =>
  page.getByTestId("metric-rate").evaluateAll((els) => els.map((e) => e.textContent ?? ""));

describe("the metrics page", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    // No service worker: every request the app makes passes page.route.
    tablet = await openTablet("metrics", { width: 1280, height: 800 }, { serviceWorkers: "block" });
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Metrics",
    });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("shows no rate while the archived orders are on their way, then every figure with its range", async () => {
    const { page } = tablet;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let held = 0;
    await page.route(ARCHIVE, async (route) => {
      held++;
      await released;
      await route.continue();
    });
    await watchForEarlyRates(page);
    await page.goto(`${edgeUrl}/metrics`, NAV);
    await expect.poll(() => held, { timeout: 30_000 }).toBeGreaterThan(0);
    // Three seconds with the archive held back (the window in which the page used to show 40.4%).
    await page.waitForTimeout(3000);
    expect(await rates(page)).toEqual([]);
    expect(await page.getByTestId("archive-note").getAttribute("data-archive")).toBe("loading");
    expect(await page.getByTestId("archive-note").textContent()).toMatch(/No rate is shown until/);

    await page.evaluate(() => {
      window.__archiveReleased = true;
    });
    release();
    await page.getByTestId("metric-rate").first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => window.__ratesBeforeArchive)).toEqual([]);
    expect(await page.getByTestId("archive-note").textContent()).toMatch(/^Includes \d+ archived orders/);

    const tiles = await page.getByTestId("metric-tile").evaluateAll((els) =>
      els.map((e) => {
        const d = (e as HTMLElement).dataset;
        return `${d.channel}:${d.metric}`;
      }),
    );
    expect(tiles).toContain("MFN:lateDispatchRate10");
    expect(tiles).toContain("MFN:orderDefectRate");
    expect(tiles).toContain("AFN:orderDefectRate");
    expect(tiles).not.toContain("AFN:lateDispatchRate10");
    // Each figure with the whole UTC days it covers, as Amazon's report draws them.
    const ranges = await page.getByTestId("metric-range").allTextContents();
    for (const r of ranges)
      expect(r).toMatch(/^\d+ days: \d{1,2} [A-Z][a-z]{2,3} – \d{1,2} [A-Z][a-z]{2,3}$/);
    expect(await page.getByTestId("at-risk-rule").textContent()).toMatch(
      /Consign's own warning, not Amazon's/,
    );
    // Amazon's own figures beside ours, FBA's order defect rate in its own row
    await page.getByTestId("official-row").first().waitFor({ timeout: 20_000 });
    const official = await page
      .getByTestId("official-row")
      .evaluateAll((els) =>
        els.map((e) => `${(e as HTMLElement).dataset.channel}:${(e as HTMLElement).dataset.metric}`),
      );
    expect(official).toEqual(expect.arrayContaining(["MFN:orderDefectRate", "AFN:orderDefectRate"]));
    await screenshot(page, "metrics-split-1280x800");
    await page.unroute(ARCHIVE);
  });

  it("shows no rate, and says why, when an archived month cannot be read", async () => {
    const { page } = tablet;
    await page.route(ARCHIVE, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === "/api/v1/archive") {
        const month = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 7);
        await route.fulfill({
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({ months: [{ month, orders: 12, updatedAt: Date.now() }] }),
        });
      } else {
        await route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({ error: { code: "unavailable", message: "Try again shortly." } }),
        });
      }
    });
    // This tablet has no copy of that month yet.
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          const req = indexedDB.deleteDatabase("consign-archive");
          req.onsuccess = req.onerror = req.onblocked = () => resolve(null);
        }),
    );
    await page.goto(`${edgeUrl}/metrics`, NAV);
    await expect
      .poll(() => page.getByTestId("archive-note").getAttribute("data-archive"), { timeout: 30_000 })
      .toBe("missing");
    expect(await page.getByTestId("archive-note").textContent()).toMatch(
      /could not be loaded, so no rate is shown/,
    );
    await page.waitForTimeout(1000);
    expect(await rates(page)).toEqual([]);
    // Once the month can be read, the figures come.
    await page.unroute(ARCHIVE);
    await page.getByRole("button", { name: "Try loading the archive again" }).click();
    await page.getByTestId("metric-rate").first().waitFor({ timeout: 30_000 });
  });

  it("draws the metric its picker names on every load, and follows the picker", async () => {
    const { page } = tablet;
    const picked = () =>
      page
        .getByTestId("trend-picker")
        .evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
    const drawn = () => page.getByTestId("trend-chart").getAttribute("aria-label");
    for (let load = 0; load < 3; load++) {
      await page.goto(`${edgeUrl}/metrics`, NAV);
      await page.getByTestId("trend-chart").waitFor({ timeout: 30_000 });
      const name = await picked();
      expect(name).toBe("Late Dispatch Rate (10 days)");
      expect(await drawn()).toMatch(new RegExp(`^${name.replace(/[()]/g, "\\$&")} over 90 days`));
    }
    for (const [value, name] of [
      ["MFN:orderDefectRate", "Order Defect Rate (60 days)"],
      ["AFN:orderDefectRate", "FBA Order Defect Rate (60 days)"],
      ["MFN:validTrackingRate", "Valid Tracking Rate (30 days)"],
    ] as const) {
      await page.getByTestId("trend-picker").selectOption(value);
      expect(await picked()).toBe(name);
      await expect.poll(drawn).toMatch(new RegExp(`^${name.replace(/[()]/g, "\\$&")} over 90 days`));
    }
  });
});
