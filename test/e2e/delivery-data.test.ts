// On-time delivery on the metrics page, in Chromium against the whole stack: the demo seller's
// despatched parcels have no delivery report from a courier Consign can read (sent outside Consign,
// or not due yet), so the tile says "No delivery data yet" and shows no rate, never 0%.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { NAV, openTablet, screenshot, signInTablet } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");

describe("on-time delivery before any delivery is known", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("delivery-data", { width: 1280, height: 800 });
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Delivery",
    });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("says 'No delivery data yet' with no rate instead of 0%", async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/metrics`, NAV);
    const tile = page.locator("[data-testid=metric-tile][data-metric=onTimeDeliveryRate]");
    await tile.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => tile.getByTestId("metric-status").textContent(), { timeout: 60_000 })
      .toMatch(/No delivery data yet/);
    expect(await tile.getAttribute("data-status")).toBe("no_data");
    expect((await tile.getByTestId("metric-rate").textContent())?.trim()).toBe("—");
    // The other figures still have their rates.
    const late = page.locator(
      "[data-testid=metric-tile][data-metric=lateDispatchRate30] [data-testid=metric-rate]",
    );
    await expect.poll(() => late.textContent(), { timeout: 30_000 }).toMatch(/\d/);
    await screenshot(page, "metrics-no-delivery-data");
  });
});
