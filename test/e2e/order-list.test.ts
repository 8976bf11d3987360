// The order list as a packer scrolls it (issue 23's scrolling at 50,000): the list draws only the rows near
// the viewport and keeps each row's elements in a slot while the row stays in view, so a flick re-renders only
// the rows that came in. Whatever slot a row is drawn in, it must show its own order, in its place, with the
// roving focus and assistive technology pointing at the right one.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTablet, signInTablet, waitForLiveList } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");

/** Every drawn row: its place in the list (aria-rowindex), its order and where it is on screen. */
function drawnRows(page: Page) {
  return page.getByTestId("order-row").evaluateAll((rows) =>
    rows.map((r) => ({
      index: Number(r.getAttribute("aria-rowindex")),
      id: (r as HTMLElement).dataset.orderId ?? "",
      top: r.getBoundingClientRect().top,
      // The row's own text names its order (the button that opens it).
      named: r.querySelector("button.link")?.textContent ?? "",
    })),
  );
}

async function scrollListTo(page: Page, px: number): Promise<void> {
  await page.getByTestId("orders-list").evaluate((el, to) => {
    el.scrollTop = to;
  }, px);
  // The window moves on the scroll event, then Solid draws: wait for a frame after it.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe("scrolling the order list", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("order-list-scroll");
    await signInTablet(
      tablet.page,
      edgeUrl,
      { email: demo.owner, password: demo.password, device: "Scroller" },
      80,
    );
    await waitForLiveList(tablet.page);
  }, 300_000);
  afterAll(async () => {
    await tablet?.close();
  });

  it("shows each order on its own row in its place, wherever the list is scrolled and back again", {
    timeout: 120_000,
  }, async () => {
    const { page } = tablet;
    const list = page.getByTestId("orders-list");
    const total = Number(await list.getAttribute("aria-rowcount"));
    expect(total).toBeGreaterThanOrEqual(80);
    const rowHeight = (await page.getByTestId("order-row").first().boundingBox())!.height;
    // What each of the first 70 places holds, from the list's own order (the roving focus names the order at
    // a place from the list, not from whatever a drawn row shows).
    const truth = new Map<number, string>();
    await list.focus();
    await page.keyboard.press("Home");
    for (let place = 1; place <= 70; place++) {
      if (place > 1) await page.keyboard.press("ArrowDown");
      const id = ((await list.getAttribute("aria-activedescendant")) ?? "").replace(/^order-row-/, "");
      truth.set(place, id);
    }
    expect(new Set(truth.values()).size).toBe(70);
    await page.keyboard.press("Home");

    const check = async (where: string) => {
      const rows = await drawnRows(page);
      expect(rows.length, `rows drawn ${where}`).toBeGreaterThan(10);
      // Top to bottom on screen is the list's order, one row height apart, no gaps and no place twice.
      const byTop = [...rows].sort((a, b) => a.top - b.top);
      for (let i = 1; i < byTop.length; i++) {
        expect(byTop[i]!.index, `the row below place ${byTop[i - 1]!.index} ${where}`).toBe(
          byTop[i - 1]!.index + 1,
        );
        expect(Math.round(byTop[i]!.top - byTop[i - 1]!.top)).toBe(Math.round(rowHeight));
      }
      let known = 0;
      for (const r of rows) {
        expect(r.named, `the row at place ${r.index} ${where} shows its own order`).toBe(r.id);
        const id = truth.get(r.index);
        if (id === undefined) continue;
        known++;
        expect(r.id, `the order at place ${r.index} ${where}`).toBe(id);
      }
      expect(new Set(rows.map((r) => r.id)).size, `no order twice ${where}`).toBe(rows.length);
      return known;
    };
    let compared = await check("at the top");
    // A little at a time (each step keeps most rows in their slots and redraws the rest), a jump to the end
    // and to the middle, then back up into the places already known.
    for (const rowsDown of [1, 2, 3, 5, 8, 13, 21, 22, 23, 30, total, Math.floor(total / 2), 40, 17, 9, 0])
      compared += await check(await stepTo(rowsDown));
    expect(compared).toBeGreaterThan(200);

    async function stepTo(rowsDown: number): Promise<string> {
      await scrollListTo(page, rowsDown * rowHeight);
      return `scrolled ${rowsDown} rows down`;
    }
  });

  it("moves the roving focus to the row of the next order, and End to the last order of the list", {
    timeout: 60_000,
  }, async () => {
    const { page } = tablet;
    const list = page.getByTestId("orders-list");
    const total = Number(await list.getAttribute("aria-rowcount"));
    await list.focus();
    await page.keyboard.press("Home");
    const focusedPlace = async () => {
      const id = await list.getAttribute("aria-activedescendant");
      return Number(await page.locator(`[id="${id}"]`).getAttribute("aria-rowindex"));
    };
    await expect.poll(focusedPlace).toBe(1);
    for (let i = 0; i < 25; i++) await page.keyboard.press("ArrowDown");
    await expect.poll(focusedPlace).toBe(26);
    await page.keyboard.press("End");
    await expect.poll(focusedPlace).toBe(total);
    // The focused row is on screen (the list scrolled to it).
    const id = await list.getAttribute("aria-activedescendant");
    const box = (await page.locator(`[id="${id}"]`).boundingBox())!;
    const view = (await list.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(view.y - 1);
    expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height + 1);
  });
});
