// The PWA on a warehouse tablet (issue 18), in Chromium at 1280x800 and 800x1280: every interactive
// element is a 44x44 px target, a tap beside a row's checkbox still selects it, the list is one tab
// stop and a packer gets from search to dispatch by keyboard alone with focus where it should be,
// portrait rows keep the fields a packer reads, and axe-core finds no serious or moderate issue on the
// main screens. Screenshots of each main screen at both sizes land in test-output/screenshots/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type BuyableOrder,
  edgeApi,
  NAV,
  openTablet,
  readyToBuy,
  screenshot,
  signInTablet,
  waitForLiveList,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const LANDSCAPE = { width: 1280, height: 800 };
const PORTRAIT = { width: 800, height: 1280 };

const NO_PRINT_DIALOG = `(() => {
  const d = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
  Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
    configurable: true,
    get() {
      const win = d.get.call(this);
      if (win && String(this.src).startsWith("blob:")) win.print = () => {};
      return win;
    },
  });
})()`;

interface Small {
  what: string;
  width: number;
  height: number;
}

/**
 * Every visible interactive element smaller than 44x44 px. A checkbox counts by its tap zone (the
 * label around it); inline links in running text are left out (WCAG 2.5.8's inline exception).
 */
async function smallTargets(page: Page, scope = "body"): Promise<Small[]> {
  return page.evaluate((sel) => {
    const out: { what: string; width: number; height: number }[] = [];
    const root = document.querySelector(sel) ?? document.body;
    const els = root.querySelectorAll<HTMLElement>(
      'button, a[href], input:not([type="hidden"]), select, textarea, [role="tab"], summary',
    );
    for (const el of Array.from(els)) {
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none") continue;
      let box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.bottom < 0 || box.top > innerHeight || box.right < 0 || box.left > innerWidth) continue;
      const type = (el as HTMLInputElement).type;
      if (el.tagName === "INPUT" && (type === "checkbox" || type === "radio")) {
        const zone = el.closest("label");
        if (zone) box = zone.getBoundingClientRect();
      }
      if (el.tagName === "A" && el.closest("p") && !el.closest("nav")) continue;
      if (box.width + 0.5 < 44 || box.height + 0.5 < 44) {
        const name = el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? "";
        out.push({
          what: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""} "${name}"`,
          width: Math.round(box.width),
          height: Math.round(box.height),
        });
      }
    }
    return out;
  }, scope);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}
/** axe-core's serious, critical and moderate findings on the page as it stands. */
async function axeFindings(page: Page): Promise<string[]> {
  // Evaluated, not added as a script tag: the app's Content-Security-Policy (script-src 'self') refuses inline scripts.
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.evaluate(AXE);
  const violations = (await page.evaluate(
    "window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || v.impact === "moderate")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(" | ")})`,
    );
}

/** The sync chip's words when the tablet has stopped syncing (the room closed its socket), else "". */
async function notSyncing(page: Page): Promise<string> {
  const chip = page.getByTestId("sync-chip");
  if ((await chip.count()) === 0) return "";
  const text = ((await chip.first().textContent({ timeout: 5_000 })) ?? "").trim();
  return text.startsWith("Not syncing")
    ? `${text} (${(await chip.first().getAttribute("title")) ?? ""})`
    : "";
}

const activeTestId = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? "");
const focusInside = (page: Page, testId: string) =>
  page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId);

/**
 * Waits for what a person waits for on a screen: its heading drawn and nothing on it saying it is still
 * loading (a part reading from the edge, the archived orders, the figures). Not the network going idle:
 * with the document in a SharedWorker, Chromium reports the worker's script to each page as a request
 * that never finishes (the page joins the worker already running), so Playwright's "networkidle" never
 * comes (seen in session 11: the request event for doc.worker-*.js with no requestfinished/failed).
 */
async function screenReady(page: Page): Promise<void> {
  await page.locator("#main h1").first().waitFor({ timeout: 60_000 });
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            Array.from(document.querySelectorAll("[role=status], .loading, [data-archive=loading]")).filter(
              (e) =>
                e.matches("[data-archive=loading]") || /^\s*(Loading|Working out)/.test(e.textContent ?? ""),
            ).length,
        ),
      { timeout: 60_000 },
    )
    .toBe(0);
}

/** Presses Tab until `done()` holds (at most `max` times); each focus on the way is checked by `each`. */
async function tabUntil(page: Page, done: () => Promise<boolean>, each?: () => Promise<void>, max = 25) {
  for (let i = 0; i < max; i++) {
    if (await done()) return;
    await page.keyboard.press("Tab");
    await each?.();
  }
  expect(await done(), "reached by Tab").toBe(true);
}

describe("the PWA on a warehouse tablet", () => {
  let landscape: Awaited<ReturnType<typeof openTablet>>;
  let portrait: Awaited<ReturnType<typeof openTablet>>;
  let autoConfirmBefore: boolean | undefined;
  beforeAll(async () => {
    autoConfirmBefore = (await api<{ autoConfirmOnPrint?: boolean }>("/api/v1/settings")).body
      .autoConfirmOnPrint;
    landscape = await openTablet("tablet-landscape", LANDSCAPE);
    await landscape.context.addInitScript(NO_PRINT_DIALOG);
    await landscape.page.goto(`${edgeUrl}/signin`, { ...NAV, timeout: 120_000 });
    await signInTablet(landscape.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Landscape bench",
    });
    portrait = await openTablet("tablet-portrait", PORTRAIT);
    await portrait.page.goto(`${edgeUrl}/signin`, { ...NAV, timeout: 120_000 });
    await signInTablet(portrait.page, edgeUrl, {
      email: demo.packer,
      password: demo.password,
      device: "Portrait bench",
    });
  }, 300_000);
  afterAll(async () => {
    await landscape?.close();
    await portrait?.close();
    await api("/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({ autoConfirmOnPrint: autoConfirmBefore ?? true }),
    });
  });

  it("makes every interactive element a 44x44 px target at both sizes; a tap beside a row's checkbox selects it", {
    timeout: 120_000,
  }, async () => {
    for (const [tablet, size] of [
      [landscape, "1280x800"],
      [portrait, "800x1280"],
    ] as const) {
      const { page } = tablet;
      await page.goto(`${edgeUrl}/?view=all`, NAV);
      await page.getByTestId("order-row").first().waitFor({ timeout: 90_000 });
      expect(await smallTargets(page), `small targets on the orders screen at ${size}`).toEqual([]);
      expect(await notSyncing(page), `syncing on the orders screen at ${size}`).toBe("");
      await screenshot(page, `tablet-orders-${size}`);
      const first = page.getByTestId("order-row").first();
      const id = (await first.getAttribute("data-order-id")) ?? "";
      await page.getByRole("button", { name: `Open order ${id}` }).click();
      await page.getByTestId("order-drawer").waitFor();
      expect(
        await smallTargets(page, "[data-testid=order-drawer]"),
        `small targets in the drawer at ${size}`,
      ).toEqual([]);
      await screenshot(page, `tablet-drawer-${size}`);
      await page.keyboard.press("Escape");
      await page.waitForTimeout(1_000);
      expect(await notSyncing(page), `syncing after the drawer at ${size}`).toBe("");
      await page.getByTestId("order-drawer").waitFor({ state: "detached" });
      for (const screen of ["settings", "metrics", "scan"]) {
        await page.goto(`${edgeUrl}/${screen}`, NAV);
        await screenReady(page);
        await page.waitForTimeout(500);
        expect(await smallTargets(page), `small targets on ${screen} at ${size}`).toEqual([]);
        await screenshot(page, `tablet-${screen}-${size}`);
        await page.waitForTimeout(1_000);
        expect(await notSyncing(page), `syncing on ${screen} at ${size}`).toBe("");
      }
    }

    // The issue's tap: 14 px right of the checkbox, still in its cell, selects the order.
    const { page } = landscape;
    await page.goto(`${edgeUrl}/?view=all`, NAV);
    // The rows painted from the kept first screen are inert until the live list replaces them.
    await waitForLiveList(page);
    const row = page.getByTestId("order-row").first();
    await row.waitFor();
    const box = (await row.getByRole("checkbox").boundingBox())!;
    await page.mouse.click(box.x + box.width + 14, box.y + box.height / 2);
    await expect.poll(() => row.getAttribute("data-selected")).toBe("true");
    await page.mouse.click(box.x + box.width + 14, box.y + box.height / 2);
    await expect.poll(() => row.getAttribute("data-selected")).toBe("false");
  });

  it("takes a packer from search to dispatch by keyboard alone, focus where it should be at every step", {
    timeout: 600_000,
  }, async () => {
    const off = await api("/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({ autoConfirmOnPrint: false }),
    });
    expect(off.status).toBe(200);
    // A search that finds at least five orders ready for a label: their most common SKU.
    const { body } = await api<{ orders: (BuyableOrder & { items: { sku: string }[] })[] }>(
      "/api/v1/orders?state=new&limit=200",
    );
    const ready = readyToBuy(body.orders);
    const bySku = new Map<string, number>();
    for (const o of ready) for (const i of o.items) bySku.set(i.sku, (bySku.get(i.sku) ?? 0) + 1);
    const [sku] = [...bySku.entries()].sort((a, b) => b[1] - a[1])[0] ?? [""];

    const { page } = landscape;
    await page.goto(`${edgeUrl}/?view=ready`, NAV);
    await page.getByTestId("order-row").first().waitFor({ timeout: 90_000 });
    await page.locator("body").focus();
    // "/" goes to search; typing narrows the list; Enter leaves the box.
    await page.keyboard.press("/");
    expect(await activeTestId(page)).toBe("search-input");
    await page.keyboard.type(sku);
    await page.keyboard.press("Enter");
    await expect.poll(async () => page.getByTestId("order-row").count()).toBeGreaterThanOrEqual(5);

    // Tab reaches the list as one stop: no row's checkbox or button is ever a tab stop.
    await tabUntil(
      page,
      async () => (await activeTestId(page)) === "orders-list",
      async () => {
        const inRow = await page.evaluate(() => !!document.activeElement?.closest("[data-testid=order-row]"));
        expect(inRow, "a row control took a tab stop").toBe(false);
      },
    );
    const ids: string[] = [];
    // Focusing the list puts the roving focus on its first order; arrows move it.
    await expect
      .poll(() => page.getByTestId("orders-list").getAttribute("aria-activedescendant"))
      .toMatch(/^order-row-/);
    for (let i = 0; i < 5; i++) {
      if (i > 0) await page.keyboard.press("ArrowDown");
      const active = (await page.getByTestId("orders-list").getAttribute("aria-activedescendant")) ?? "";
      const id = active.replace(/^order-row-/, "");
      await page.keyboard.press(" ");
      await expect
        .poll(() =>
          page.locator(`[data-testid=order-row][data-order-id="${id}"]`).getAttribute("data-selected"),
        )
        .toBe("true");
      expect(await activeTestId(page), "focus stays on the list").toBe("orders-list");
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(5);
    expect(await page.getByTestId("selected-count").textContent()).toMatch(/\b5\b/);
    await screenshot(page, "keyboard-five-selected-1280x800");

    // "p": Buy & print. The panel takes focus and keeps it.
    await page.keyboard.press("p");
    await page.getByTestId("bulk-panel").waitFor();
    await expect.poll(() => focusInside(page, "bulk-panel")).toBe(true);
    const staysInside = async () =>
      expect(await focusInside(page, "bulk-panel"), "focus left the panel").toBe(true);
    await tabUntil(page, async () => (await activeTestId(page)) === "buy-labels", staysInside);
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => (await page.getByTestId("run-progress").textContent()) ?? "", { timeout: 240_000 })
      .toMatch(/Labels bought: 5 of 5(?!\d)/);
    const printButton = page.getByRole("button", { name: "Print 5 labels" });
    await tabUntil(page, async () => printButton.evaluate((b) => b === document.activeElement), staysInside);
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => (await page.getByTestId("print-progress").textContent()) ?? "", { timeout: 90_000 })
      .toMatch(/Print file: 5 of 5 labels/);
    await tabUntil(page, async () => (await activeTestId(page)) === "print-part", staysInside);
    await page.keyboard.press("Enter");
    await expect
      .poll(
        async () =>
          Promise.all(
            ids.map(async (id) => (await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state),
          ),
        { timeout: 30_000 },
      )
      .toEqual(ids.map(() => "printed"));
    await tabUntil(page, async () => (await activeTestId(page)) === "confirm-dispatch", staysInside);
    expect(await page.getByTestId("confirm-dispatch").textContent()).toContain("Mark 5 orders dispatched");
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => (await page.getByTestId("amazon-progress").textContent()) ?? "", { timeout: 60_000 })
      .toMatch(/^[0-5] of 5 orders confirmed on Amazon/);
    await screenshot(page, "keyboard-dispatched-1280x800");
    // Esc closes, and focus goes back to the list it came from.
    await page.keyboard.press("Escape");
    await page.getByTestId("bulk-panel").waitFor({ state: "detached" });
    await expect.poll(() => activeTestId(page)).toBe("orders-list");
  });

  it("keeps buyer, postcode, service, weight, state, ship-by and presence on portrait rows; every view tab and count shows", {
    timeout: 120_000,
  }, async () => {
    const { page } = portrait;
    await page.goto(`${edgeUrl}/?view=all`, NAV);
    const firstRow = page.getByTestId("order-row").first();
    await firstRow.waitFor({ timeout: 90_000 });
    const id = (await firstRow.getAttribute("data-order-id")) ?? "";
    // That order's row, wherever the live list moves it (an order arriving re-sorts the list).
    await page.getByTestId("search-input").fill(id);
    const row = page.locator(`[data-testid=order-row][data-order-id="${id}"]`);
    await row.waitFor();
    // Someone else opens that order on the landscape tablet: the portrait row says who.
    await landscape.page.goto(`${edgeUrl}/?view=all`, NAV);
    await landscape.page.getByLabel("Filter by state").selectOption({ label: "Any state" });
    await landscape.page.getByTestId("search-input").fill(id);
    await landscape.page.getByRole("button", { name: `Open order ${id}` }).click();
    const visible = async (selector: string) =>
      row.locator(selector).evaluate((el) => {
        const b = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return style.display !== "none" && b.width > 8 && b.height > 8 && b.right <= innerWidth + 1;
      });
    for (const cell of [".c-buyer", ".c-service", ".c-weight", ".c-state", ".c-due", ".c-id"]) {
      expect(await visible(cell), `${cell} visible in portrait`).toBe(true);
    }
    expect(await row.locator(".c-buyer").textContent()).toMatch(/[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}/);
    await expect.poll(() => row.getByTestId("row-presence").count(), { timeout: 30_000 }).toBe(1);
    expect(await visible("[data-testid=row-presence]")).toBe(true);
    expect(await row.getByTestId("row-presence").textContent()).toContain("has it open");
    // Two lines, not one cut short.
    expect((await row.boundingBox())!.height).toBeGreaterThanOrEqual(80);
    for (const tab of await page.getByRole("tab").all()) {
      const box = (await tab.boundingBox())!;
      expect(box.x >= 0 && box.x + box.width <= PORTRAIT.width, `${await tab.textContent()} fits`).toBe(true);
      expect(await tab.locator(".count").isVisible()).toBe(true);
    }
    await screenshot(page, "portrait-rows-800x1280");
    await landscape.page.keyboard.press("Escape");
  });

  it("offers each row's one next step as a button: Buy & print for that order alone, Release for a held one", {
    timeout: 120_000,
  }, async () => {
    const { page } = landscape;
    const open = await api<{ orders: BuyableOrder[] }>("/api/v1/orders?state=new,ready&limit=200");
    const id = readyToBuy(open.body.orders)[0]!.orderId;
    await page.goto(`${edgeUrl}/?view=all`, NAV);
    await page.getByLabel("Filter by state").selectOption({ label: "Any state" });
    await page.getByTestId("search-input").fill(id);
    const row = page.locator(`[data-testid=order-row][data-order-id="${id}"]`);
    const action = row.getByTestId("row-action");
    await expect.poll(() => action.getAttribute("data-action"), { timeout: 20_000 }).toBe("buy");
    const box = (await action.boundingBox())!;
    expect(box.width >= 44 && box.height >= 44 && box.x + box.width <= LANDSCAPE.width).toBe(true);
    // No selection needed: the panel opens for this order alone, and nothing is bought until asked.
    await action.click();
    await page.getByTestId("bulk-panel").waitFor();
    expect(await page.getByTestId("buy-labels").textContent()).toMatch(/Buy 1 label\b/);
    await page.keyboard.press("Escape");
    await page.getByTestId("bulk-panel").waitFor({ state: "detached" });
    expect((await api<{ shipments: unknown[] }>(`/api/v1/orders/${id}`)).body.shipments).toHaveLength(0);
    // Held from the bar, released from its own row.
    await row.getByRole("checkbox").click();
    await page.getByRole("button", { name: "Hold" }).first().click();
    await expect.poll(() => row.getAttribute("data-state"), { timeout: 10_000 }).toBe("on_hold");
    await expect.poll(() => action.getAttribute("data-action")).toBe("release");
    await action.click();
    await expect.poll(() => row.getAttribute("data-state"), { timeout: 10_000 }).not.toBe("on_hold");
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state, {
        timeout: 20_000,
      })
      .not.toBe("on_hold");
    await page.getByTestId("search-input").fill("");
  });

  it("has no serious or moderate axe-core findings on the main screens", { timeout: 180_000 }, async () => {
    const { page } = landscape;
    const findings: Record<string, string[]> = {};
    await page.goto(`${edgeUrl}/?view=all`, NAV);
    await page.getByTestId("order-row").first().waitFor({ timeout: 90_000 });
    findings.orders = await axeFindings(page);
    const id = (await page.getByTestId("order-row").first().getAttribute("data-order-id")) ?? "";
    await page.getByRole("button", { name: `Open order ${id}` }).click();
    await page.getByTestId("order-drawer").waitFor();
    findings.drawer = await axeFindings(page);
    await page.keyboard.press("Escape");
    await page.getByTestId("order-row").first().getByRole("checkbox").click();
    await page.getByRole("button", { name: "Buy & print", exact: true }).click();
    await page.getByTestId("bulk-panel").waitFor();
    findings.bulk = await axeFindings(page);
    await screenshot(page, "tablet-bulk-1280x800");
    await page.keyboard.press("Escape");
    for (const screen of ["settings", "metrics", "scan"]) {
      await page.goto(`${edgeUrl}/${screen}`, NAV);
      await page.waitForTimeout(1_000);
      findings[screen] = await axeFindings(page);
    }
    const signin = await openTablet("tablet-signin", PORTRAIT);
    try {
      await signin.page.goto(`${edgeUrl}/signin`, { ...NAV, timeout: 120_000 });
      await signin.page.getByLabel("Email").waitFor();
      findings.signin = await axeFindings(signin.page);
      await screenshot(signin.page, "tablet-signin-800x1280");
    } finally {
      await signin.close();
    }
    expect(findings).toEqual({
      orders: [],
      drawer: [],
      bulk: [],
      settings: [],
      metrics: [],
      scan: [],
      signin: [],
    });
  });
});
