// The end of the day from the tablet, in real Chromium against the whole stack: a few Royal Mail
// labels are bought (as another tablet would, through the API), a packer presses "Close the day",
// the Click & Drop sandbox makes the manifest, its PDF goes to print() (a recorder: no dialog, no
// printer), and an order on it says which manifest instead of offering "Void label".

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
import { PRINT_RECORDER, pdfTextAt, prints } from "./print-recorder.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

interface ApiOrder extends BuyableOrder {
  shipments: { courier: string; manifest: { number: string } | null; voidedAt: string | null }[];
}

describe("the end of the day from the tablet", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("end-of-day");
    await tablet.context.addInitScript(PRINT_RECORDER);
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Despatch desk",
    });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("closes the day with Royal Mail, prints the manifest, and the order says it is on it", {
    timeout: 240_000,
  }, async () => {
    const { page } = tablet;
    const { body } = await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=new&limit=100");
    const ids = readyToBuy(body.orders)
      .map((o) => o.orderId)
      .slice(0, 8);
    expect(ids.length).toBeGreaterThan(3);
    const run = await api<{ runId: string }>("/api/v1/labels/runs", {
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ orderIds: ids }),
    });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/labels/runs/${run.body.runId}`)).body.state, {
        timeout: 90_000,
        interval: 1000,
      })
      .toBe("finished");

    page.on("dialog", (d) => void d.accept());
    await page.goto(`${edgeUrl}/`, NAV);
    await page.getByTestId("close-day").click();
    await expect
      .poll(async () => (await page.getByTestId("last-manifest").textContent()) ?? "", { timeout: 60_000 })
      .toMatch(/Manifest \d+: \d+ Royal Mail parcels?, closed \d\d:\d\d by /);
    const words = (await page.getByTestId("last-manifest").textContent()) ?? "";
    const number = /Manifest (\d+)/.exec(words)?.[1];
    await expect.poll(async () => (await prints(page)).length, { timeout: 30_000 }).toBe(1);
    const printed = (await prints(page))[0]!;
    expect(printed.title).toBe(`Royal Mail manifest ${number}`);
    const text = await pdfTextAt(page, printed.src);
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text).toContain(`Manifest ${number}`);
    await screenshot(page, "end-of-day-closed-1280x800");

    // The manifested order: the API and the drawer both name the manifest; no Void label.
    // The demo's rules send some orders with DPD or Evri: those are not on a Royal Mail manifest.
    const orders = await Promise.all(
      ids.map(async (id) => (await api<ApiOrder>(`/api/v1/orders/${encodeURIComponent(id)}`)).body),
    );
    const royalMail = orders.filter((o) => o.shipments.at(-1)?.courier === "royal-mail");
    const others = orders.filter((o) => o.shipments.at(-1)?.courier !== "royal-mail");
    expect(royalMail.length).toBeGreaterThan(0);
    for (const o of royalMail) expect(o.shipments.at(-1)?.manifest?.number).toBe(number);
    for (const o of others) expect(o.shipments.at(-1)?.manifest ?? null).toBeNull();
    const onManifest = royalMail[0]!.orderId;
    await page.getByTestId("view-all").click();
    await page.getByTestId("search-input").fill(onManifest);
    await page.getByRole("button", { name: `Open order ${onManifest}` }).click({ timeout: 20_000 });
    await page.getByTestId("order-drawer").waitFor();
    await expect
      .poll(async () => (await page.getByTestId("manifested-note").textContent()) ?? "", { timeout: 20_000 })
      .toContain(`On Royal Mail manifest ${number}`);
    expect(await page.getByRole("button", { name: "Void label" }).count()).toBe(0);
  });
});
