// Royal Mail through Pro Shipping (Shipping API v3, contract accounts), in real Chromium against the
// whole stack: the owner connects it in Settings (the sign-in is tried first; wrong credentials are
// said in words and change nothing), a label run buys through it, and a USB label printer gets Royal
// Mail's own ZPL byte for byte as Royal Mail's API gives it, whose Code 128 and 2D code decode when
// drawn at 203 dpi. The printer is a STAND-IN (stand-in-printer.ts): a fake navigator.usb device
// that records the bytes; no real printer is involved.
import { rasterizeZpl } from "@consign/labels";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { edgeApi, NAV, screenshot } from "./browser.ts";
import { cleanUpImages, dmtx, formatsIn, pngOf, setStandIn, standIn, zbar } from "./stand-in-printer.ts";
import { type Tablet, usbJourney } from "./usb-journey.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

/** The demo seller's own Royal Mail account (Click & Drop), put back when this file is done. */
const DEMO_CLICK_AND_DROP = { apiKey: "demo-click-and-drop-key" };

const account = {
  clientId: `e2e-pro-${crypto.randomUUID().slice(0, 8)}`,
  clientSecret: "pro-client-secret",
  username: "despatch@hebden.test",
  password: "pro-shipping-password-1",
  postingLocation: "9000000001",
};

const { standInTablet, pair, statesOf, ordersWithLabels, printStep, progressText, holdConfirmOnPrint } =
  usbJourney(edgeUrl, demo, api);

async function fillProShipping(page: Page, fields: typeof account) {
  const form = page.getByRole("form", { name: "Royal Mail Pro Shipping credentials" });
  for (const [name, value] of Object.entries(fields)) await form.locator(`input[name="${name}"]`).fill(value);
  await form.getByRole("button", { name: "Test and connect Royal Mail Pro Shipping" }).click();
}

/** What Royal Mail's API gives for this label at 203 dpi, asked of the sandbox directly. */
async function royalMailZpl(tracking: string): Promise<string> {
  const token = (await (
    await fetch(`${sandboxUrl}/royalmail-pro/shipping/v3/token`, {
      method: "POST",
      headers: {
        "X-IBM-Client-Id": account.clientId,
        "X-IBM-Client-Secret": account.clientSecret,
        "X-RMG-Security-Username": account.username,
        "X-RMG-Security-Password": account.password,
      },
    })
  ).json()) as { token: string };
  const res = await fetch(`${sandboxUrl}/royalmail-pro/shipping/v3/shipments/${tracking}/printLabel`, {
    method: "PUT",
    headers: {
      "X-IBM-Client-Id": account.clientId,
      "X-RMG-Auth-Token": token.token,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ LabelFormat: "ZPL203DPI" }),
  });
  const body = (await res.json()) as { LabelImage: string };
  return new TextDecoder().decode(Uint8Array.from(atob(body.LabelImage), (c) => c.charCodeAt(0)));
}

describe("Royal Mail Pro Shipping: connected in Settings, its own ZPL on the USB printer (a stand-in device)", () => {
  let tablet: Tablet;
  let restoreConfirmOnPrint: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    restoreConfirmOnPrint = await holdConfirmOnPrint();
    // The document on the page (the fallback path): a run straight to the printer on that path too.
    tablet = await standInTablet("pro-shipping", "Bench 3", { docWorker: false });
  });
  afterAll(async () => {
    await tablet?.close();
    cleanUpImages();
    // The journeys after this one buy Royal Mail through the demo's Click & Drop account.
    await api("/api/v1/couriers/royal-mail", { method: "PUT", body: JSON.stringify(DEMO_CLICK_AND_DROP) });
    await restoreConfirmOnPrint?.();
  });

  it("connects Pro Shipping from Settings; credentials Royal Mail refuses are said in words and change nothing", {
    timeout: 120_000,
  }, async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const pro = page.getByTestId("courier-royal-mail-pro");
    const clickAndDrop = page.getByTestId("courier-royal-mail");
    await expect.poll(() => clickAndDrop.getAttribute("data-connected"), { timeout: 30_000 }).toBe("true");
    await pro.getByRole("button", { name: "Connect" }).click();
    await fillProShipping(page, account);
    await expect.poll(() => pro.getAttribute("data-connected"), { timeout: 30_000 }).toBe("true");
    // One Royal Mail account at a time: Click & Drop is no longer the one labels are bought with.
    expect(await clickAndDrop.getAttribute("data-connected")).toBe("false");

    await pro.getByRole("button", { name: "Replace credentials" }).click();
    await fillProShipping(page, { ...account, password: "not-the-password" });
    await expect
      .poll(() => page.getByTestId("form-error").textContent(), { timeout: 30_000 })
      .toMatch(
        /Royal Mail Pro Shipping refused the sign-in \(Authentication failure\.\): check the client id and secret, the username and the password/,
      );
    await screenshot(page, "pro-shipping-connect-refused-1280x800");
    // Still connected with the credentials that worked.
    const { body } = await api<{ courier: string; connected: boolean; via?: string }[]>("/api/v1/couriers");
    expect(body.find((c) => c.courier === "royal-mail")).toMatchObject({
      connected: true,
      via: "pro-shipping",
    });
  });

  it("connects Evri from Settings with the four things Evri issues an account", {
    timeout: 60_000,
  }, async () => {
    const { page } = tablet;
    await page.goto(`${edgeUrl}/settings`, NAV);
    const evri = page.getByTestId("courier-evri");
    await evri.getByRole("button", { name: /Connect|Replace credentials/ }).click();
    const form = page.getByRole("form", { name: "Evri credentials" });
    // The demo's own Evri account, typed in again: the journeys after this one buy Evri with it.
    for (const [label, value] of [
      ["Username", "demo"],
      ["Password", "demo-password"],
      ["Client id", "1001"],
      ["Client name", "Demo Trading Ltd"],
    ] as const)
      await form.getByLabel(label, { exact: true }).fill(value);
    await form.getByRole("button", { name: "Save Evri" }).click();
    await form.waitFor({ state: "detached", timeout: 30_000 });
    expect(await page.getByTestId("form-error").count()).toBe(0);
    await expect.poll(() => evri.getAttribute("data-connected"), { timeout: 30_000 }).toBe("true");
  });

  it("a Pro Shipping label reaches the printer as Royal Mail's own ZPL, byte for byte, and its barcodes decode", {
    timeout: 300_000,
  }, async () => {
    const { page } = tablet;
    await pair(page, { openSettings: false });
    await setStandIn(page, { stream: "" });

    const ids = await ordersWithLabels(2, { courier: "royal-mail", serviceCode: "TPN24" });
    // Bought at Royal Mail through Pro Shipping (its sandbox account has them).
    const purchases = (await (
      await fetch(`${sandboxUrl}/_sandbox/couriers/royalmail-pro/accounts/${account.clientId}/purchases`)
    ).json()) as { purchases: number };
    expect(purchases.purchases).toBe(2);

    await printStep(page, ids);
    await page.getByTestId("print-direct").click();
    await expect
      .poll(() => progressText(page), { timeout: 120_000 })
      .toMatch(/^Printed 2 labels on Stand-in USB label printer \(test\)/);
    await screenshot(page, "pro-shipping-printed-1280x800");

    const { stream } = await standIn(page);
    const sent = formatsIn(stream);
    expect(sent).toHaveLength(2);
    for (const id of ids) {
      const { body: order } = await api<{ shipments?: { trackingNumber: string; courier: string }[] }>(
        `/api/v1/orders/${encodeURIComponent(id)}`,
      );
      const tracking = order.shipments?.at(-1)?.trackingNumber as string;
      expect(tracking).toMatch(/^TT\d{9}GB$/);
      const courierZpl = await royalMailZpl(tracking);
      // Exactly what Royal Mail's API gives a 203 dpi printer: not redrawn, not tagged.
      expect(stream).toContain(courierZpl);
      const format = sent.find((f) => f.zpl.includes(`^FD${tracking}^FS`));
      expect(format, `the printer got ${tracking}`).toBeDefined();
      expect(`${format!.zpl.trim()}`).toBe(courierZpl.trim());
      expect(format!.zpl).not.toMatch(/\^GFA/); // printer commands, not a picture
      const png = pngOf(rasterizeZpl(format!.zpl)[0]!);
      expect(zbar(png)).toEqual([tracking]);
      expect(dmtx(png), `${tracking}'s 2D code`).toContain(tracking);
    }
    await expect.poll(() => statesOf(ids), { timeout: 30_000 }).toEqual(ids.map(() => "printed"));
  });
});
