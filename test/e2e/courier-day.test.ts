// The courier day's paperwork from the tablet, in Chromium against the whole stack:
//   - a Jersey order (its address corrected to St Helier, its SKUs given customs data) is bought
//     and printed: its CN22 is the page right after its label;
//   - a dispatched order's drawer makes a returns label with the courier chosen there;
//   - a collection is booked and cancelled from the end-of-day panel.
// Each order is found by typing its id into the search, never by where it sits in the list.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
} from "./browser.ts";
import { PRINT_RECORDER, prints } from "./print-recorder.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });
const dir = mkdtempSync(join(tmpdir(), "consign-courier-day-"));

interface ApiOrder extends BuyableOrder {
  items: { sku: string }[];
  recipient: { postcode: string } | null;
  addressCorrection: unknown;
  shipments: { courier: string; trackingNumber: string; voidedAt: string | null }[];
}

const write = <T>(path: string, body: unknown, method = "POST") =>
  api<T>(path, {
    method,
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify(body),
  });

/** The text of each page of the PDF behind a blob URL the app printed (poppler's pdftotext). */
async function pagesText(page: Page, src: string): Promise<string[]> {
  const base64 = (await page.evaluate(`(async () => {
    const bytes = new Uint8Array(await window.__pdfs[${JSON.stringify(src)}].arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  })()`)) as string;
  const file = join(dir, `${crypto.randomUUID()}.pdf`);
  writeFileSync(file, Buffer.from(base64, "base64"));
  return execFileSync("pdftotext", ["-layout", file, "-"])
    .toString("utf8")
    .split("\f")
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

/**
 * Opens the order's drawer until `section` shows in it. The tablet may move to a renewed copy of
 * the document (and reload) right after a navigation, closing a drawer opened a moment before:
 * the order is searched for and opened again then, instead of waiting on a drawer that is gone.
 */
async function openDrawerWith(page: Page, orderId: string, section: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await findOrder(page, orderId);
      await page.getByRole("button", { name: `Open order ${orderId}` }).click({ timeout: 10_000 });
      await page.getByTestId(section).waitFor({ timeout: 10_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.keyboard.press("Escape").catch(() => undefined);
    }
  }
}

/** Types the order id into the search and waits for its row: found by what it is, not where it is. */
async function findOrder(page: Page, orderId: string): Promise<void> {
  await page.getByTestId("view-all").click();
  await page.getByTestId("search-input").fill(orderId);
  await page.getByRole("button", { name: `Open order ${orderId}` }).waitFor({ timeout: 20_000 });
}

describe("the courier day from the tablet", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("courier-day", { width: 1280, height: 800 });
    await tablet.page.addInitScript(PRINT_RECORDER);
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Courier desk",
    });
  }, 180_000);
  afterAll(async () => {
    await tablet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints a Jersey order's CN22 right after its label", { timeout: 120_000 }, async () => {
    const { page } = tablet;
    const { body } = await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=new&limit=200");
    const order = readyToBuy(body.orders).find(
      (o) => o.recipient && !o.addressCorrection && o.shipments.length === 0 && o.items.length === 1,
    );
    expect(order, "an order awaiting its label").toBeDefined();
    const id = order!.orderId;
    // The buyer moved to Jersey: the parcel leaves the UK's customs territory.
    const moved = await write(
      `/api/v1/orders/${encodeURIComponent(id)}/address-correction`,
      {
        address: {
          name: "Ada Le Brocq",
          line1: "12 Rue des Pres",
          city: "St Helier",
          postcode: "JE2 3AB",
          countryCode: "JE",
        },
        reason: "buyer's message: delivering to Jersey",
      },
      "PUT",
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // Its SKU's customs data, kept beside every other SKU's.
    const settings = await api<{ skuCustoms: Record<string, unknown> }>("/api/v1/settings");
    const sku = order!.items[0]!.sku;
    const saved = await write(
      "/api/v1/settings",
      {
        skuCustoms: {
          ...settings.body.skuCustoms,
          [sku]: { description: "Ceramic coffee mug", hsCode: "6912002310", originCountry: "GB" },
        },
      },
      "PATCH",
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    await page.goto(`${edgeUrl}/`, NAV);
    await findOrder(page, id);
    await page.getByRole("checkbox", { name: `Select order ${id}` }).click();
    await page.getByTestId("bottom-bar").getByRole("button", { name: "Buy & print" }).click();
    await page.getByTestId("buy-labels").click();
    await expect
      .poll(async () => (await page.getByTestId("run-progress").textContent()) ?? "", { timeout: 60_000 })
      .toContain("Labels bought: 1 of 1");
    await page.getByTestId("run-progress").getByRole("button", { name: "Print 1 label" }).click();
    const before = (await prints(page)).length;
    await page.getByTestId("print-part").first().click({ timeout: 60_000 });
    await expect.poll(async () => (await prints(page)).length, { timeout: 30_000 }).toBe(before + 1);
    const printed = (await prints(page))[before]!;
    const pages = await pagesText(page, printed.src);
    // Page 1: the label to St Helier; page 2: its CN22, naming the goods, the tariff code and origin.
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain("JE2 3AB");
    expect(pages[1]).toContain("CUSTOMS DECLARATION CN 22");
    expect(pages[1]).toContain("Ceramic coffee mug");
    expect(pages[1]).toContain("6912002310");
    expect(pages[1]).toContain("origin GB");
    await screenshot(page, "courier-day-cn22-printed");
    await page.getByTestId("bulk-panel").getByRole("button", { name: "Close", exact: true }).click();
    await page.getByTestId("bulk-panel").waitFor({ state: "detached" });
  });

  it("makes a DPD returns label from a dispatched order's drawer", { timeout: 120_000 }, async () => {
    const { page, context } = tablet;
    // An order sent earlier today (bought and dispatched as another tablet would, through the API).
    const { body } = await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=new&limit=200");
    const order = readyToBuy(body.orders).find((o) => o.recipient && !o.addressCorrection);
    expect(order, "an order awaiting its label").toBeDefined();
    const id = order!.orderId;
    const run = await write<{ runId: string }>("/api/v1/labels/runs", { orderIds: [id] });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/labels/runs/${run.body.runId}`)).body.state, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe("finished");
    const sent = await write<{ queued: string[] }>("/api/v1/dispatch", { orderIds: [id] });
    expect(sent.body.queued).toEqual([id]);

    // No navigation: the tablet stays connected (a page load leaves the room with no device, when
    // it may renew the document) and the dispatch reaches it live.
    await openDrawerWith(page, id, "order-returns");
    const returns = page.getByTestId("order-returns");
    // Every connected courier that makes returns is offered; DPD is chosen for this one.
    const courier = returns.getByTestId("return-courier");
    await expect
      .poll(() =>
        courier.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).sort()),
      )
      .toEqual(["dpd", "evri", "royal-mail"]);
    await courier.selectOption("dpd");
    await returns.getByLabel("Reason (optional)").fill("Wrong size");
    const opened = context.waitForEvent("page", { timeout: 30_000 });
    await returns.getByRole("button", { name: "Returns label (DPD)" }).click();
    // The label opens for the seller to send on, and the drawer lists the return with its tracking.
    const label = await opened;
    expect(label.url()).toMatch(/^blob:/);
    await label.close();
    await expect
      .poll(async () => (await returns.getByTestId("return-row").first().textContent()) ?? "", {
        timeout: 20_000,
      })
      .toMatch(/^DPD return \d{14} \(Wrong size\)/);
    const listed = await api<{
      returns: { courier: string; trackingNumber: string; originalTrackingNumber: string }[];
    }>(`/api/v1/returns?orderId=${encodeURIComponent(id)}`);
    const sentWith = (await api<ApiOrder>(`/api/v1/orders/${encodeURIComponent(id)}`)).body.shipments.find(
      (s) => s.voidedAt === null,
    );
    expect(listed.body.returns).toHaveLength(1);
    expect(listed.body.returns[0]).toMatchObject({
      courier: "dpd",
      originalTrackingNumber: sentWith?.trackingNumber,
    });
    // QR codes are Evri's: offered only when Evri is chosen.
    expect(await returns.getByRole("button", { name: "Returns QR code" }).count()).toBe(0);
    await courier.selectOption("evri");
    await returns.getByRole("button", { name: "Returns QR code" }).waitFor();
    await screenshot(page, "courier-day-returns-drawer");
  });

  it("books an Evri collection from the courier-day strip and cancels it", { timeout: 120_000 }, async () => {
    const { page } = tablet;
    // A later day, so another journey's booking for today cannot stand in the way.
    const ukDay = (offsetDays: number) =>
      new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(
        Date.now() + offsetDays * 86_400_000,
      );
    const day = ukDay(3);
    await page.keyboard.press("Escape");
    await page.getByTestId("order-drawer").waitFor({ state: "hidden" });
    const panel = page.getByTestId("collections");
    await panel.locator("summary").click();
    const form = panel.getByTestId("book-collection");
    await form.getByLabel("Courier").selectOption("evri");
    await form.getByLabel("Day").fill(day);
    await form.getByLabel("Ready at").fill("11:30");
    await form.getByLabel(/^Parcels/).fill("3");
    await form.getByRole("button", { name: "Book Evri collection" }).click();
    // Evri's window from 11:30 is 12:00–15:00; the booking is listed, and Evri has it.
    await expect
      .poll(async () => (await panel.getByTestId("collection-message").textContent()) ?? "", {
        timeout: 30_000,
      })
      .toMatch(new RegExp(`^Evri collects 3 parcels on ${day}, 12:00–15:00 \\(booked by `));
    const row = panel.getByTestId("collection-row").filter({ hasText: day });
    await row.waitFor();
    const booked = await api<{ collections: { id: string; courier: string; date: string; state: string }[] }>(
      `/api/v1/collections?from=${day}`,
    );
    const mine = booked.body.collections.find((c) => c.courier === "evri" && c.date === day);
    expect(mine?.state).toBe("booked");
    await screenshot(page, "courier-day-collection-booked");

    // Booking the same day again is refused with the reason, and nothing changes.
    await form.getByRole("button", { name: "Book Evri collection" }).click();
    await expect
      .poll(async () => (await panel.getByTestId("collection-error").textContent()) ?? "", {
        timeout: 30_000,
      })
      .toContain(`already booked for ${day}`);

    await row.getByRole("button", { name: "Cancel Evri collection" }).click();
    await expect
      .poll(async () => (await panel.getByTestId("collection-message").textContent()) ?? "", {
        timeout: 30_000,
      })
      .toBe(`Evri collection of 3 parcels on ${day}: cancelled.`);
    await expect.poll(() => panel.getByTestId("collection-row").filter({ hasText: day }).count()).toBe(0);
    const after = await api<{ state: string }>(`/api/v1/collections/${mine!.id}`);
    expect(after.body.state).toBe("cancelled");
  });
});
