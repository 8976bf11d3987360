// The end of the day from the tablet, in real Chromium against the whole stack: a few Royal Mail
// labels are bought (as another tablet would, through the API), a packer presses "Close the day",
// the Click & Drop sandbox makes the manifest, its PDF goes to print() (a recorder: no dialog, no
// printer), and an order on it says which manifest instead of offering "Void label".

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type BuyableOrder, edgeApi, openTablet, readyToBuy, screenshot, signInTablet } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

/** Keeps each PDF the app prints (blob URL → text) and counts print() calls on its frame. */
const MANIFEST_RECORDER = `(() => {
  if (window !== window.top) return;
  window.__pdfs = {};
  window.__printed = [];
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj) => {
    const url = createObjectURL(obj);
    if (obj instanceof Blob && obj.type === "application/pdf") window.__pdfs[url] = obj;
    return url;
  };
  const contentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
  Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
    configurable: true,
    get() {
      const win = contentWindow.get.call(this);
      const frame = this;
      if (win && frame.src in window.__pdfs) {
        win.print = () => {
          window.__pdfs[frame.src].text().then((t) => window.__printed.push({ title: frame.title, text: t }));
        };
      }
      return win;
    },
  });
})()`;

interface ApiOrder extends BuyableOrder {
  shipments: { courier: string; manifest: { number: string } | null; voidedAt: string | null }[];
}

describe("the end of the day from the tablet", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("end-of-day");
    await tablet.context.addInitScript(MANIFEST_RECORDER);
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
    await page.goto(`${edgeUrl}/`);
    await page.getByTestId("close-day").click();
    await expect
      .poll(async () => (await page.getByTestId("last-manifest").textContent()) ?? "", { timeout: 60_000 })
      .toMatch(/Manifest \d+: \d+ Royal Mail parcels?, closed \d\d:\d\d by /);
    const words = (await page.getByTestId("last-manifest").textContent()) ?? "";
    const number = /Manifest (\d+)/.exec(words)?.[1];
    await expect
      .poll(() => page.evaluate("window.__printed.length") as Promise<number>, { timeout: 30_000 })
      .toBe(1);
    const printed = (await page.evaluate("window.__printed[0]")) as { title: string; text: string };
    expect(printed.title).toBe(`Royal Mail manifest ${number}`);
    expect(printed.text.startsWith("%PDF-")).toBe(true);
    expect(printed.text).toContain(`Manifest ${number}`);
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
