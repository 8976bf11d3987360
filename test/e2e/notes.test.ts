// Two tablets on one order's notes, in real Chromium against the whole stack in workerd: the
// erased-note bug (a colleague's note not shown, then wiped by a focus change), two people
// typing into the same note at once, and two tablets offline each writing an order's first note.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  edgeApi,
  openOrderDrawer,
  openTablet,
  ordersWithoutNotes,
  screenshot,
  signInTablet,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");

type Tablet = Awaited<ReturnType<typeof openTablet>>;

const notesOf = (page: Page) => page.getByTestId("order-notes");

describe("two tablets on one order's notes", () => {
  let a: Tablet;
  let b: Tablet;
  const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });
  let ids: string[] = [];

  beforeAll(async () => {
    a = await openTablet("notes-a");
    // One tablet on each path: the packer's keeps the document on the page (the fallback path).
    b = await openTablet("notes-b", undefined, { docWorker: false });
    await signInTablet(a.page, edgeUrl, { email: demo.owner, password: demo.password, device: "Notes A" });
    await signInTablet(b.page, edgeUrl, { email: demo.packer, password: demo.password, device: "Notes B" });
    // Orders with no note yet, so each assertion sees only what this journey types.
    ids = await ordersWithoutNotes(api, 3);
    expect(ids).toHaveLength(3);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("shows the owner's note live in the packer's open drawer, and the packer tapping in and out erases nothing", {
    timeout: 120_000,
  }, async () => {
    const id = ids[0]!;
    await openOrderDrawer(a.page, id);
    await openOrderDrawer(b.page, id);
    const note = "Leave with the neighbour at no. 12";
    await notesOf(a.page).click();
    await notesOf(a.page).pressSequentially(note, { delay: 5 });
    await a.page.locator("#drawer-title").click();
    // The packer's open drawer shows it without being reopened.
    await expect.poll(() => notesOf(b.page).inputValue(), { timeout: 10_000 }).toBe(note);
    // The packer taps into Notes and out again without typing.
    await notesOf(b.page).click();
    await b.page.locator("#drawer-title").click();
    await b.page.waitForTimeout(1_500);
    expect(await notesOf(a.page).inputValue()).toBe(note);
    expect(await notesOf(b.page).inputValue()).toBe(note);
    // History records one change of the notes (the owner's), none for the packer's look.
    await expect
      .poll(() => a.page.locator(".history li", { hasText: "Changed the notes" }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await b.page.waitForTimeout(500);
    expect(await b.page.locator(".history li", { hasText: "Changed the notes" }).count()).toBe(1);
    await screenshot(b.page, "notes-live-1280x800");
    // A third tablet, fresh from the room, reads the same note.
    const c = await openTablet("notes-c");
    try {
      await signInTablet(c.page, edgeUrl, { email: demo.owner, password: demo.password, device: "Notes C" });
      await openOrderDrawer(c.page, id);
      await expect.poll(() => notesOf(c.page).inputValue(), { timeout: 20_000 }).toBe(note);
    } finally {
      await c.close();
    }
  });

  it("keeps both people's words when they type into one note at once, with each caret where its owner types", {
    timeout: 120_000,
  }, async () => {
    const id = ids[1]!;
    await openOrderDrawer(a.page, id);
    await openOrderDrawer(b.page, id);
    await notesOf(a.page).click();
    await notesOf(a.page).pressSequentially("Fragile.", { delay: 5 });
    await expect.poll(() => notesOf(b.page).inputValue(), { timeout: 10_000 }).toBe("Fragile.");
    // The packer puts the caret at the start; both type at the same time.
    await notesOf(b.page).click();
    await b.page.keyboard.press("Control+Home");
    await Promise.all([
      notesOf(a.page).pressSequentially(" Call first.", { delay: 30 }),
      notesOf(b.page).pressSequentially("Glass! ", { delay: 30 }),
    ]);
    const both = "Glass! Fragile. Call first.";
    await expect.poll(() => notesOf(a.page).inputValue(), { timeout: 10_000 }).toBe(both);
    await expect.poll(() => notesOf(b.page).inputValue(), { timeout: 10_000 }).toBe(both);
    // Each caret stayed in its owner's words: one more key lands where each was typing.
    await notesOf(a.page).press("!");
    await notesOf(b.page).press("?");
    const after = "Glass! ?Fragile. Call first.!";
    await expect.poll(() => notesOf(a.page).inputValue(), { timeout: 10_000 }).toBe(after);
    await expect.poll(() => notesOf(b.page).inputValue(), { timeout: 10_000 }).toBe(after);
  });

  it("keeps both tablets' words when each writes an order's first note while the Wi-Fi is down", {
    timeout: 120_000,
  }, async () => {
    const id = ids[2]!;
    await openOrderDrawer(a.page, id);
    await openOrderDrawer(b.page, id);
    for (const t of [a, b]) {
      await t.context.setOffline(true);
      await expect
        .poll(() => t.page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 20_000 })
        .toBe("offline");
    }
    await notesOf(a.page).click();
    await notesOf(a.page).pressSequentially("Leave in the porch.", { delay: 5 });
    await notesOf(b.page).click();
    await notesOf(b.page).pressSequentially("Gift: no invoice.", { delay: 5 });
    await a.page.locator("#drawer-title").click();
    await b.page.locator("#drawer-title").click();
    for (const t of [a, b]) await t.context.setOffline(false);
    // Back online: both drawers show both first notes, the same text on both tablets.
    for (const t of [a, b]) {
      await expect
        .poll(() => notesOf(t.page).inputValue(), { timeout: 30_000 })
        .toContain("Leave in the porch.");
      await expect
        .poll(() => notesOf(t.page).inputValue(), { timeout: 30_000 })
        .toContain("Gift: no invoice.");
    }
    expect(await notesOf(a.page).inputValue()).toBe(await notesOf(b.page).inputValue());
    await notesOf(b.page).scrollIntoViewIfNeeded();
    await screenshot(b.page, "notes-first-offline-1280x800");
  });
});
