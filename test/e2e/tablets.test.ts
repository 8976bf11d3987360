// Two tablets on the warehouse floor, in real Chromium against the whole stack in workerd:
// labels bought and printed on one show live on the other, the same order bought from both is
// bought once, a tablet that goes offline catches up, and the app opens offline.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type BuyableOrder,
  NAV,
  openTablet,
  readyToBuy,
  rowIdsOnScreen,
  screenshot,
  signInTablet,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");

type Tablet = Awaited<ReturnType<typeof openTablet>>;

async function signIn(page: Page, email: string, device: string) {
  await signInTablet(page, edgeUrl, { email, password: demo.password, device }, 21);
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const grant = (await (
    await fetch(`${edgeUrl}/auth/signin`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: demo.owner, password: demo.password, deviceName: "test runner" }),
    })
  ).json()) as { sessionToken: string };
  const { accessToken } = (await (
    await fetch(`${edgeUrl}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${grant.sessionToken}` },
      body: JSON.stringify({ sellerId: demo.sellerId }),
    })
  ).json()) as { accessToken: string };
  const res = await fetch(`${edgeUrl}${path}`, {
    ...init,
    headers: { ...(init.headers ?? {}), Authorization: `Bearer ${accessToken}` },
  });
  return (await res.json()) as T;
}

/** Closes the bulk panel once its print job has finished (Close is disabled while it runs). */
async function closeBulk(page: Page) {
  const panel = page.getByTestId("bulk-panel");
  if (!(await panel.count())) return;
  const close = panel.getByRole("button", { name: "Close" });
  const started = Date.now();
  while (await close.isDisabled()) {
    if (Date.now() - started > 60_000) throw new Error("the print job did not finish");
    await page.waitForTimeout(200);
  }
  await close.click();
  await panel.waitFor({ state: "detached" });
}

const rowIds = rowIdsOnScreen;
const stateOf = (page: Page, id: string) =>
  page.locator(`[data-testid=order-row][data-order-id="${id}"]`).getAttribute("data-state");

describe("two tablets", () => {
  let a: Tablet;
  let b: Tablet;
  beforeAll(async () => {
    // One tablet on each path: A keeps the document on the page (the fallback path), B in the worker.
    a = await openTablet("tablet-a", undefined, { docWorker: false });
    b = await openTablet("tablet-b");
    await signIn(a.page, demo.owner, "Packing bench A");
    await signIn(b.page, demo.packer, "Packing bench B");
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("one buys and prints labels for 20 orders; the other sees every state change live", {
    timeout: 180_000,
  }, async () => {
    const page = a.page;
    await page.getByTestId("view-all").click();
    const filter = page.getByLabel("Filter by state");
    await filter.selectOption("new");
    const first = (await rowIds(page)).slice(0, 10);
    await page.getByRole("checkbox", { name: `Select order ${first[0]}` }).click();
    await page.getByTestId("order-row").first().hover();
    await page.mouse.wheel(0, 52 * 12);
    await page.waitForTimeout(400);
    const later = await rowIds(page);
    // Shift-click the row 19 places below the first: 20 orders selected.
    const all = [...new Set([...first, ...later])];
    const target = all[19]!;
    await page.getByRole("checkbox", { name: `Select order ${target}` }).click({ modifiers: ["Shift"] });
    await expect
      .poll(async () => (await page.getByTestId("selected-count").textContent()) ?? "")
      .toMatch(/\b20\b/);
    await page.getByRole("button", { name: "Buy & print", exact: true }).click();
    await page.getByTestId("bulk-panel").waitFor();
    await expect(page.getByTestId("batch-check")).toBeTruthy();
    await screenshot(page, "bulk-check-1280x800");
    await page.getByTestId("buy-labels").click();
    // Every order the check let through gets its label ("Labels bought: 18 of 18"); the check leaves
    // out those a buyer asked to cancel or that have no weight, so the count is what it let through.
    await expect
      .poll(async () => (await page.getByTestId("run-progress").textContent()) ?? "", { timeout: 60_000 })
      .toMatch(/Labels bought: (\d+) of \1(?!\d)/);
    const through = Number(
      /Labels bought: (\d+)/.exec((await page.getByTestId("run-progress").textContent()) ?? "")?.[1],
    );
    expect(through).toBeGreaterThanOrEqual(15);
    await page.getByRole("button", { name: /^Print \d+ labels?$/ }).click();
    await page.getByTestId("print-part").first().waitFor({ timeout: 60_000 });
    await screenshot(page, "bulk-printed-1280x800");
    const bought = await api<{ orders: { orderId: string; shipments: unknown[]; state: string }[] }>(
      "/api/v1/orders?limit=200&state=label_bought,printed",
    );
    expect(bought.orders.length).toBeGreaterThanOrEqual(through);
    // Tablet B sees the same orders move on, without reloading.
    await b.page.getByTestId("view-all").click();
    for (const id of bought.orders.slice(0, 5).map((o) => o.orderId)) {
      await b.page.getByTestId("search-input").fill(id);
      await expect.poll(() => stateOf(b.page, id), { timeout: 20_000 }).toMatch(/label_bought|printed/);
    }
    await b.page.getByTestId("search-input").fill("");
    await closeBulk(page);
  });

  it("both tablets buying the same order at once buy one label", async () => {
    const orders = await api<{ orders: BuyableOrder[] }>("/api/v1/orders?state=new&limit=100");
    const id = readyToBuy(orders.orders)[0]!.orderId;
    for (const t of [a, b]) {
      await t.page.getByTestId("search-input").fill(id);
      await t.page.getByRole("checkbox", { name: `Select order ${id}` }).click();
      await t.page.getByRole("button", { name: "Buy & print", exact: true }).click();
      await t.page.getByTestId("bulk-panel").waitFor();
    }
    // Both press at the same instant. Whichever hears of the other's purchase first may already show
    // its button disabled (the order is being bought): a press on it does nothing, as for a packer.
    await Promise.all(
      [a, b].map((t) =>
        t.page.getByTestId("buy-labels").evaluate((button) => (button as HTMLButtonElement).click()),
      ),
    );
    await expect
      .poll(async () => (await api<{ shipments: unknown[] }>(`/api/v1/orders/${id}`)).shipments.length, {
        timeout: 60_000,
      })
      .toBe(1);
    await a.page.waitForTimeout(2_000);
    const order = await api<{ shipments: unknown[]; labelRevision: number }>(`/api/v1/orders/${id}`);
    expect(order.shipments).toHaveLength(1);
    for (const t of [a, b]) await closeBulk(t.page);
  });

  it("a tablet that goes offline keeps working and both converge when it is back", async () => {
    const orders = await api<{ orders: { orderId: string }[] }>("/api/v1/orders?state=new&limit=10");
    const [idOffline, idOnline] = [orders.orders[0]!.orderId, orders.orders[1]!.orderId];
    for (const t of [a, b]) {
      await t.page.getByLabel("Filter by state").selectOption({ label: "Any state" });
      await t.page.getByTestId("view-all").click();
    }
    const hold = async (page: Page, id: string) => {
      await page.getByTestId("search-input").fill(id);
      await page.getByRole("checkbox", { name: `Select order ${id}` }).click();
      await page.getByRole("button", { name: "Hold" }).first().click();
      await expect.poll(() => stateOf(page, id), { timeout: 10_000 }).toBe("on_hold");
    };
    await b.context.setOffline(true);
    await expect
      .poll(async () => b.page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 20_000 })
      .toBe("offline");
    await hold(b.page, idOffline);
    await hold(a.page, idOnline);
    await b.context.setOffline(false);
    await a.page.getByTestId("search-input").fill(idOffline);
    await expect.poll(() => stateOf(a.page, idOffline), { timeout: 30_000 }).toBe("on_hold");
    await b.page.getByTestId("search-input").fill(idOnline);
    await expect.poll(() => stateOf(b.page, idOnline), { timeout: 30_000 }).toBe("on_hold");
  });

  it("when the room renews the team's copy, a tablet that was offline keeps its hold and nothing old comes back", {
    timeout: 120_000,
  }, async () => {
    const orders = await api<{ orders: { orderId: string }[] }>("/api/v1/orders?state=new&limit=10");
    const id = orders.orders[2]!.orderId;
    const held = async (page: Page) => {
      try {
        await page.getByTestId("search-input").fill(id, { timeout: 2_000 });
        return await stateOf(page, id);
      } catch {
        return "reloading";
      }
    };
    await b.context.setOffline(true);
    await expect
      .poll(async () => b.page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 20_000 })
      .toBe("offline");
    await b.page.getByLabel("Filter by state").selectOption({ label: "Any state" });
    await b.page.getByTestId("search-input").fill(id);
    await b.page.getByRole("checkbox", { name: `Select order ${id}` }).click();
    await b.page.getByRole("button", { name: "Hold" }).first().click();
    await expect.poll(() => stateOf(b.page, id), { timeout: 10_000 }).toBe("on_hold");
    // The room starts a new generation of the document (as archiving does): tablet A, connected,
    // reloads on the new copy; tablet B hears of it when it is back and carries its hold across.
    const renewed = await fetch(`${edgeUrl}/_dev/rebase`, { method: "POST" });
    expect(renewed.status).toBe(200);
    await b.context.setOffline(false);
    await expect
      .poll(
        async () => {
          const order = await api<{ state: string }>(`/api/v1/orders/${id}`);
          return order.state;
        },
        { timeout: 60_000 },
      )
      .toBe("on_hold");
    for (const t of [a, b]) {
      await t.page.getByTestId("sync-chip").waitFor({ timeout: 30_000 });
      await expect
        .poll(async () => t.page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 30_000 })
        .toBe("ok");
      await t.page.getByTestId("view-all").click();
      await t.page.getByLabel("Filter by state").selectOption({ label: "Any state" });
      await expect.poll(() => held(t.page), { timeout: 30_000 }).toBe("on_hold");
    }
    await b.page.getByTestId("search-input").fill("");
    await a.page.getByTestId("search-input").fill("");
  });

  it("the app opens offline after the first visit, with the orders it holds", async () => {
    const page = b.page;
    await page.getByTestId("search-input").fill("");
    await b.context.setOffline(true);
    await page.reload(NAV);
    await page.getByTestId("view-all").click({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId("order-row").count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await screenshot(page, "offline-orders-1280x800");
    await b.context.setOffline(false);
  });

  it("the metrics page shows what the domain computes for the seeded data", async () => {
    const page = a.page;
    await page.goto(`${edgeUrl}/metrics`, NAV);
    await page.getByTestId("metric-tile").first().waitFor({ timeout: 30_000 });
    // Seller-fulfilled and FBA figures are apart: a metric is known by its channel and id. The page
    // and the API are read together each time (orders keep moving while the suite runs), and must
    // agree on the counts themselves, not only on the colour of a tile.
    const differences = async () => {
      const [tiles, api_] = await Promise.all([
        page.getByTestId("metric-tile").evaluateAll((els) =>
          els.map((e) => {
            const d = (e as HTMLElement).dataset;
            return [`${d.channel}:${d.metric}`, `${d.numerator}/${d.denominator} ${d.status}`] as const;
          }),
        ),
        api<{
          metrics: {
            metric: string;
            channel: string;
            status: string;
            numerator: number;
            denominator: number;
          }[];
        }>("/api/v1/metrics"),
      ]);
      const shown = new Map<string, string>(tiles);
      const compared = api_.metrics.filter((m) => shown.has(`${m.channel}:${m.metric}`));
      const differ = compared
        .map((m) => {
          const key = `${m.channel}:${m.metric}`;
          const fromApi = `${m.numerator}/${m.denominator} ${m.status}`;
          return shown.get(key) === fromApi ? null : `${key}: page ${shown.get(key)}, API ${fromApi}`;
        })
        .filter((x) => x !== null);
      return compared.length >= 5 ? differ : [`only ${compared.length} figures on the page to compare`];
    };
    await expect.poll(differences, { timeout: 30_000 }).toEqual([]);
  });

  it("two packers each taking one unit of a SKU leave two fewer; review requests switch on; Amazon's own figures sit beside ours", async () => {
    const sku = "MUG-ENAMEL-WHT";
    for (const t of [a, b]) {
      await t.page.goto(`${edgeUrl}/settings`, NAV);
      await t.page.getByTestId("stock").waitFor();
    }
    const change = async (page: Page, delta: number) => {
      const form = page.getByRole("form", { name: "Change stock" });
      await form.getByLabel("SKU").fill(sku);
      await form.getByLabel("Units to add (negative to take)").fill(String(delta));
      await form.getByRole("button", { name: "Change stock" }).click();
    };
    const levelNow = async () =>
      (await api<{ levels: Record<string, number> }>("/api/v1/stock")).levels[sku] ?? 0;
    // The demo seller counted its stock when it was set up: changes are from that level.
    const start = await levelNow();
    await change(a.page, 50);
    await expect.poll(levelNow).toBe(start + 50);
    await Promise.all([change(a.page, -1), change(b.page, -1)]);
    await expect.poll(levelNow).toBe(start + 48);
    await a.page.getByTestId("stock").getByRole("button", { name: "Refresh" }).click();
    await expect
      .poll(() => a.page.locator(`[data-testid=stock-row][data-sku="${sku}"] td`).nth(1).textContent())
      .toBe(String(start + 48));
    // The owner switches review requests on; Amazon's "Request a Review" then goes out once per order.
    const reviews = a.page.getByTestId("review-requests").getByRole("checkbox");
    await reviews.check();
    await expect
      .poll(async () => (await api<{ enabled: boolean }>("/api/v1/settings/review-requests")).enabled)
      .toBe(true);
    await a.page.goto(`${edgeUrl}/metrics`, NAV);
    await a.page.getByTestId("official-row").first().waitFor({ timeout: 20_000 });
    // five seller-fulfilled figures and FBA's order defect rate, apart
    expect(await a.page.getByTestId("official-row").count()).toBe(6);
  });

  it("shows a newcomer the demo's stock: most lines counted in hundreds, the headphones down to the last unit and their orders flagged", async () => {
    const stock = await api<{ levels: Record<string, number>; unfillable: { orderId: string }[] }>(
      "/api/v1/stock",
    );
    expect(stock.levels["HEADPHONES-BT"]).toBeLessThanOrEqual(1);
    expect(Object.values(stock.levels).filter((n) => n >= 100).length).toBeGreaterThanOrEqual(10);
    const open = await api<{ orders: { orderId: string; items: { sku: string }[] }[] }>(
      "/api/v1/orders?state=new,ready&limit=200",
    );
    const wantingHeadphones = open.orders.filter((o) => o.items.some((i) => i.sku === "HEADPHONES-BT"));
    expect(wantingHeadphones.length).toBeGreaterThanOrEqual(2);
    // One unit fills at most one of them: every other one is flagged.
    const shortOfHeadphones = stock.unfillable.filter((u) =>
      wantingHeadphones.some((o) => o.orderId === u.orderId),
    );
    expect(shortOfHeadphones.length).toBeGreaterThanOrEqual(wantingHeadphones.length - 1);
    const short = shortOfHeadphones[0]!;
    const page = a.page;
    await page.goto(`${edgeUrl}/orders?view=all`, NAV);
    await page.getByLabel("Filter by state").selectOption({ label: "Any state" });
    await page.getByTestId("search-input").fill(short.orderId);
    await page
      .locator(`[data-testid=order-row][data-order-id="${short.orderId}"]`)
      .getByTestId("row-unfillable")
      .waitFor({ timeout: 20_000 });
    await page.getByTestId("search-input").fill("");
  });

  it("flags an order that stock on hand cannot fill, on its row and in its drawer, until stock arrives", async () => {
    const open = await api<{
      orders: { orderId: string; items: { sku: string; quantityOrdered: number }[] }[];
    }>("/api/v1/orders?state=new&limit=20");
    const order = open.orders.find((o) => o.items.length > 0)!;
    const sku = order.items[0]!.sku;
    const adjust = (delta: number) =>
      api<{ levels: Record<string, number> }>("/api/v1/stock/adjustments", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ changes: [{ sku, delta }] }),
      });
    // The SKU tracked at zero: every open order for it is short.
    const level = (await adjust(1)).levels[sku] ?? 0;
    await adjust(-level);
    const page = a.page;
    await page.goto(`${edgeUrl}/orders?view=all`, NAV);
    await page.getByLabel("Filter by state").selectOption({ label: "Any state" });
    await page.getByTestId("search-input").fill(order.orderId);
    const row = page.locator(`[data-testid=order-row][data-order-id="${order.orderId}"]`);
    await row.getByTestId("row-unfillable").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: `Open order ${order.orderId}` }).click();
    const note = page.getByTestId("order-unfillable");
    await expect.poll(() => note.textContent(), { timeout: 10_000 }).toContain(`${sku} needs`);
    await screenshot(page, "order-unfillable-1280x800");
    // Stock arrives (on another device): the flags go at once.
    await adjust(10_000);
    await expect.poll(() => note.count(), { timeout: 20_000 }).toBe(0);
    expect(await row.getByTestId("row-unfillable").count()).toBe(0);
    await page.keyboard.press("Escape");
  });

  it("saves screenshots of each main screen at both tablet sizes", async () => {
    const page = a.page;
    for (const [w, h] of [
      [1280, 800],
      [800, 1280],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      for (const [path, name, ready] of [
        // "All": earlier journeys may have sent every order due today, and an empty view has no list.
        ["/?view=all", "orders", "orders-list"],
        ["/metrics", "metrics", "metric-tile"],
        ["/settings", "settings", "connections"],
        ["/scan", "scan", "start-shift"],
      ] as const) {
        await page.goto(`${edgeUrl}${path}`, NAV);
        try {
          await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
        } catch (e) {
          // What the screen showed instead, for whoever reads the failure.
          await screenshot(page, `failed-${name}-${w}x${h}`);
          throw e;
        }
        await screenshot(page, `${name}-${w}x${h}`);
      }
    }
  });
});
