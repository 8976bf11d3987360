// The tablet in a packer's hands (issue 18): what printing tells Amazon is the owner's visible choice
// and the Buy & print panel says so and counts right either way; a buyer's cancellation request shows
// its reason on the row and in the drawer, and "Accept cancellation" reaches Amazon (the sandbox) as a
// buyer-requested cancellation through the order acknowledgement feed.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { edgeApi, NAV, openTablet, screenshot, signInTablet, waitForLiveList } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

/** Label PDFs are "printed" by a print() that does nothing (no dialog, no printer); other frames untouched. */
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

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
const statesOf = (ids: string[]) =>
  Promise.all(
    ids.map(
      async (id) => (await api<{ state: string }>(`/api/v1/orders/${encodeURIComponent(id)}`)).body.state,
    ),
  );

/** Selects the first `count` orders of "Ready", buys their labels and makes the print file; answers the run's ids. */
async function buyAndCompose(page: Page, count: number): Promise<string[]> {
  await page.goto(`${edgeUrl}/?view=ready`, NAV);
  // The rows of the live list, not the screen the tablet kept from its last visit.
  await waitForLiveList(page);
  await page.getByTestId("order-row").first().waitFor({ timeout: 30_000 });
  const ids = (
    await page
      .getByTestId("order-row")
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.orderId ?? ""))
  ).slice(0, count);
  expect(ids).toHaveLength(count);
  for (const id of ids) await page.getByRole("checkbox", { name: `Select order ${id}` }).click();
  await page.getByRole("button", { name: "Buy & print", exact: true }).click();
  await page.getByTestId("buy-labels").click();
  await expect
    .poll(
      async () => {
        const progress = await text(page, "run-progress");
        if (!/failed/.test(progress)) return progress;
        // A label that failed: say what its order says, so the failure explains itself.
        const why = await page
          .locator("[data-testid=bulk-order] .inline-error")
          .evaluateAll((els) => els.map((e) => e.textContent ?? ""));
        return `${progress}; the orders not bought say: ${why.join(" | ")}`;
      },
      { timeout: 240_000 },
    )
    .toMatch(new RegExp(`Labels bought: ${count} of ${count}(?!\\d)`));
  await page.getByRole("button", { name: `Print ${count} labels` }).click();
  await expect
    .poll(() => text(page, "print-progress"), { timeout: 90_000 })
    .toMatch(new RegExp(`Print file: ${count} of ${count} labels`));
  return ids;
}

async function printAll(page: Page) {
  const parts = page.getByTestId("print-part");
  for (let i = 0; i < (await parts.count()); i++) await parts.nth(i).click();
}

describe("a packer's tablet", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  let before: boolean | undefined;
  beforeAll(async () => {
    before = (await api<{ autoConfirmOnPrint?: boolean }>("/api/v1/settings")).body.autoConfirmOnPrint;
    tablet = await openTablet("packer");
    // No dialog, no printer: the print frame's print() does nothing.
    await tablet.context.addInitScript(NO_PRINT_DIALOG);
    // A first load on a busy machine can take a while: warm the app before signing in.
    await tablet.page.goto(`${edgeUrl}/signin`, { ...NAV, timeout: 120_000 });
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Packing bench",
    });
  });
  afterAll(async () => {
    await tablet?.close();
    await api("/api/v1/settings", {
      method: "PATCH",
      body: JSON.stringify({ autoConfirmOnPrint: before ?? true }),
    });
  });

  it("names confirm-on-print as a setting the owner sees and switches, and the panel counts right with it off", {
    timeout: 480_000,
  }, async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const toggle = page.getByTestId("confirm-on-print");
    // The box shows the team's choice once this device's copy has loaded (disabled until then).
    await expect.poll(() => toggle.isEnabled(), { timeout: 60_000 }).toBe(true);
    await expect
      .poll(() => page.getByTestId("dispatch-settings").textContent())
      .toContain("Tell Amazon an order is dispatched when its label is printed");
    if (await toggle.isChecked()) await toggle.uncheck();
    await expect
      .poll(
        async () => (await api<{ autoConfirmOnPrint: boolean }>("/api/v1/settings")).body.autoConfirmOnPrint,
        {
          timeout: 20_000,
        },
      )
      .toBe(false);
    await screenshot(page, "settings-dispatch-1280x800");

    const ids = await buyAndCompose(page, 3);
    const note = page.getByTestId("confirm-on-print-note");
    expect(await note.getAttribute("data-on")).toBe("false");
    expect(await note.textContent()).toContain("Printing does not tell Amazon");
    await printAll(page);
    await expect.poll(() => statesOf(ids), { timeout: 30_000 }).toEqual(ids.map(() => "printed"));
    // Printing told Amazon nothing: all three are still to mark dispatched, and the panel says so.
    await expect
      .poll(() => text(page, "confirm-dispatch"))
      .toBe("Mark 3 orders dispatched & confirm on Amazon");
    expect(await page.getByTestId("amazon-progress").count()).toBe(0);
    await screenshot(page, "bulk-confirm-on-print-off-1280x800");
    await page.getByTestId("confirm-dispatch").click();
    // Never more confirmed than sent: "n of 3 orders confirmed on Amazon", ending at 3 of 3.
    await expect
      .poll(() => text(page, "amazon-progress"), { timeout: 60_000 })
      .toBe("3 of 3 orders confirmed on Amazon");
    expect(await page.getByTestId("confirm-dispatch").count()).toBe(0);
    await page.keyboard.press("Escape");
    await page.getByTestId("bulk-panel").waitFor({ state: "detached" });
  });

  it("with confirm-on-print on, the panel says printing tells Amazon and counts only this batch", {
    timeout: 480_000,
  }, async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const toggle = page.getByTestId("confirm-on-print");
    // The box shows the team's choice once this device's copy has loaded (disabled until then).
    await expect.poll(() => toggle.isEnabled(), { timeout: 60_000 }).toBe(true);
    if (!(await toggle.isChecked())) await toggle.check();
    await expect
      .poll(
        async () => (await api<{ autoConfirmOnPrint: boolean }>("/api/v1/settings")).body.autoConfirmOnPrint,
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
    const ids = await buyAndCompose(page, 2);
    const note = page.getByTestId("confirm-on-print-note");
    expect(await note.getAttribute("data-on")).toBe("true");
    expect(await note.textContent()).toContain("Printing a label tells Amazon the order is dispatched");
    await printAll(page);
    // The room confirms printed orders by itself: nothing is left to mark, and the count never
    // passes the batch ("2 of 2", not "20 of 5").
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const t = await text(page, "amazon-progress");
          seen.add(t);
          return t;
        },
        { timeout: 90_000 },
      )
      .toBe("2 of 2 orders confirmed on Amazon");
    for (const t of seen) expect(t).toMatch(/^[0-2] of 2 orders confirmed on Amazon/);
    expect(await page.getByTestId("confirm-dispatch").count()).toBe(0);
    expect(await statesOf(ids)).toEqual(["confirmed", "confirmed"]);
    await screenshot(page, "bulk-confirm-on-print-on-1280x800");
    await page.keyboard.press("Escape");
  });

  it("shows the buyer's cancellation reason on the row and in the drawer; Accept cancellation reaches Amazon as buyer-requested", {
    timeout: 120_000,
  }, async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/?view=attention`, NAV);
    const row = page
      .locator("[data-testid=order-row]", { has: page.getByTestId("row-cancel-request") })
      .first();
    await row.waitFor({ timeout: 90_000 });
    const id = (await row.getAttribute("data-order-id")) ?? "";
    expect(await row.getByTestId("row-cancel-request").textContent()).toMatch(/^Buyer asked to cancel: \S/);
    await page.getByRole("button", { name: `Open order ${id}` }).click();
    const drawer = page.getByTestId("order-drawer");
    const request = drawer.getByTestId("cancel-request");
    expect(await request.textContent()).toMatch(/The buyer asked to cancel: “.+”/);
    // Buying a label is not offered while the buyer's request is open.
    expect(await drawer.getByRole("button", { name: "Buy & print" }).count()).toBe(0);
    await screenshot(page, "drawer-cancel-request-1280x800");
    await request.getByRole("button", { name: "Accept cancellation" }).click();
    await expect
      .poll(
        async () => (await api<{ state: string }>(`/api/v1/orders/${encodeURIComponent(id)}`)).body.state,
        {
          timeout: 60_000,
        },
      )
      .toBe("cancelled");
    // The sandbox Amazon received the order acknowledgement feed and recorded a buyer-requested cancellation.
    const status = (await api<{ sellingPartnerId?: string }>("/api/v1/amazon/status")).body;
    const feeds = (await (
      await fetch(
        `${sandboxUrl}/_sandbox/amazon/sellers/${status.sellingPartnerId ?? "A1DEMOSELLERUK"}/feeds`,
      )
    ).json()) as {
      feeds: { feedType: string; document: string }[];
      cancellations: { orderId: string; buyerRequested: boolean; cancelReason: string }[];
    };
    expect(feeds.cancellations).toContainEqual(
      expect.objectContaining({ orderId: id, buyerRequested: true, cancelReason: "BuyerCanceled" }),
    );
    expect(
      feeds.feeds.some((f) => f.feedType === "POST_ORDER_ACKNOWLEDGEMENT_DATA" && f.document.includes(id)),
    ).toBe(true);
    // The drawer says it in words, the reason kept in the history.
    await expect
      .poll(() => drawer.locator(".history").textContent())
      .toMatch(/Cancelled at the buyer's request: \S/);
  });
});
