// Scan station with the tablet's camera, in real Chromium against the whole stack.
//
// What is real: Chromium's fake capture device (--use-fake-device-for-media-stream, a generated
// moving test pattern) behind the real navigator.mediaDevices.getUserMedia the app calls; the
// app's <video> playing that stream; the app's detect loop (BarcodeDetector.detect(video) every
// 250 ms), its packing check, its dispatch command through the outbox, and the edge answering it.
// What is a stand-in: BarcodeDetector itself. Linux Chromium has no Shape Detection API, so an
// init script installs one whose detect() decodes nothing: it answers with the code the test put
// in `window.__cameraCodes`, and only when it is handed a <video> whose stream is live and
// decoding frames (videoWidth > 0, frames presented, pixels readable). Each answer is logged with
// the video's state in `window.__cameraSeen`, which the test checks.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type BuyableOrder,
  edgeApi,
  fakeCameraArgs,
  openTablet,
  readyToBuy,
  screenshot,
  signInTablet,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

const STAND_IN_DETECTOR = `(() => {
  window.__cameraCodes = [];
  window.__cameraSeen = [];
  class StandInBarcodeDetector {
    static async getSupportedFormats() { return ["code_128", "ean_13", "qr_code", "data_matrix", "upc_a"]; }
    constructor(opts) { this.formats = (opts && opts.formats) || []; }
    async detect(source) {
      if (!(source instanceof HTMLVideoElement)) return [];
      const stream = source.srcObject;
      const track = stream instanceof MediaStream ? stream.getVideoTracks()[0] : undefined;
      const frames = source.getVideoPlaybackQuality ? source.getVideoPlaybackQuality().totalVideoFrames : 0;
      if (!track || track.readyState !== "live" || source.videoWidth === 0 || source.paused || frames === 0) return [];
      // Prove the frame is there: read its pixels (a stand-in for what a decoder would look at).
      const canvas = document.createElement("canvas");
      canvas.width = 64;
      canvas.height = 48;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(source, 0, 0, 64, 48);
      const px = ctx.getImageData(0, 0, 64, 48).data;
      let lit = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] > 30) lit++;
      if (lit === 0) return [];
      const code = window.__cameraCodes.shift();
      if (code === undefined) return [];
      window.__cameraSeen.push({ code, width: source.videoWidth, height: source.videoHeight, frames, lit, track: track.label });
      return [{ rawValue: code, format: "code_128", boundingBox: new DOMRectReadOnly(0, 0, 10, 10), cornerPoints: [] }];
    }
  }
  window.BarcodeDetector = StandInBarcodeDetector;
})()`;

interface ApiOrder extends BuyableOrder {
  items: { sku: string; asin: string; quantityOrdered: number; quantityShipped: number }[];
  shipments: { trackingNumber: string; voidedAt?: number }[];
}

/** Holds `code` up to the camera: the stand-in detector answers with it on its next look at a live frame. */
async function showToCamera(page: Page, code: string) {
  await page.evaluate(`window.__cameraCodes.push(${JSON.stringify(code)})`);
  await expect.poll(() => page.evaluate("window.__cameraCodes.length"), { timeout: 10_000 }).toBe(0);
}
const feedback = (page: Page) => page.getByTestId("scan-feedback").textContent();

/**
 * A demo order bought through the API (so it has a label and a tracking number), with distinct SKUs.
 * The demo seller is shared by every journey: an order an earlier one left unbuyable (an address to
 * correct, stock short) is passed over for the next few, and a failure names why each was refused.
 */
async function orderWithLabel(): Promise<ApiOrder> {
  const { body } = await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=new&limit=100");
  const units = (o: ApiOrder) => o.items.reduce((n, i) => n + i.quantityOrdered, 0);
  const candidates = readyToBuy(body.orders)
    .filter((o) => new Set(o.items.map((i) => i.sku)).size === o.items.length && units(o) <= 3)
    .sort((a, b) => b.items.length - a.items.length);
  expect(candidates.length).toBeGreaterThan(0);
  const refused: string[] = [];
  for (let from = 0; from < Math.min(candidates.length, 9); from += 3) {
    const batch = candidates.slice(from, from + 3).map((o) => o.orderId);
    const started = await api<{ runId: string }>("/api/v1/labels/runs", {
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ orderIds: batch }),
    });
    if (started.status >= 300) {
      refused.push(JSON.stringify(started.body));
      continue;
    }
    let run: { state: string; orders: { orderId: string; status: string; error?: string }[] } | undefined;
    await expect
      .poll(
        async () => {
          run = (await api<NonNullable<typeof run>>(`/api/v1/labels/runs/${started.body.runId}`)).body;
          return run.state;
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe("finished");
    const bought = run!.orders.find((o) => o.status === "bought" || o.status === "already_bought");
    if (bought) return (await api<ApiOrder>(`/api/v1/orders/${encodeURIComponent(bought.orderId)}`)).body;
    refused.push(...run!.orders.map((o) => `${o.orderId}: ${o.status} ${o.error ?? ""}`));
  }
  throw new Error(`no demo order could be bought for the camera: ${refused.join("; ")}`);
}

describe("scan station with the camera", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet(
      "scan-camera",
      { width: 1280, height: 800 },
      {
        args: fakeCameraArgs,
        permissions: ["camera"],
      },
    );
    await tablet.context.addInitScript(STAND_IN_DETECTOR);
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.packer,
      password: demo.password,
      device: "Scan bench",
    });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("opens the order whose label the camera sees, verifies each item seen, and dispatches it on the last", {
    timeout: 150_000,
  }, async () => {
    const order = await orderWithLabel();
    const tracking = order.shipments.find((s) => !s.voidedAt)!.trackingNumber;
    const { page } = tablet;
    // Wait until the label has reached this tablet's copy of the orders.
    await page.getByTestId("search-input").fill(order.orderId);
    await expect
      .poll(
        () =>
          page
            .locator(`[data-testid=order-row][data-order-id="${order.orderId}"]`)
            .getAttribute("data-state"),
        {
          timeout: 30_000,
        },
      )
      .toMatch(/label_bought|printed/);
    await page.getByRole("link", { name: "Scan" }).click();
    await page.getByTestId("start-shift").click();
    await page.getByTestId("camera-toggle").click();
    await expect
      .poll(async () => (await page.getByTestId("camera-toggle").textContent())?.trim())
      .toBe("Stop camera");
    // The app's video plays the fake camera's stream (real frames, real size).
    await expect
      .poll(() => page.getByTestId("scan-video").evaluate((v) => (v as HTMLVideoElement).videoWidth), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);

    await showToCamera(page, tracking);
    await expect.poll(() => feedback(page)).toContain(`Order ${order.orderId}: scan each item`);
    expect(await page.getByTestId("item-card").count()).toBe(order.items.length);

    // Something not in the parcel is refused and counts nothing.
    await showToCamera(page, "NOT-IN-THIS-ORDER-1");
    await expect.poll(() => page.getByTestId("scan-feedback").getAttribute("data-tone")).toBe("wrong");
    await expect.poll(() => feedback(page)).toContain("Not in this order: NOT-IN-THIS-ORDER-1");

    const units = order.items.flatMap((i) =>
      Array.from(
        { length: Math.max(0, i.quantityOrdered - i.quantityShipped) || i.quantityOrdered },
        () => i,
      ),
    );
    // Items are shown by SKU or ASIN in turn (both are on Amazon's item barcodes).
    const codes = units.map((u, n) => (n % 2 ? u.asin : u.sku));
    for (const [n, item] of units.entries()) {
      // The app takes the same code held in view within 2 s as one scan: show a repeat after that.
      if (n > 0 && codes[n - 1] === codes[n]) await page.waitForTimeout(2_100);
      await showToCamera(page, codes[n]!);
      if (n < units.length - 1) {
        await expect.poll(() => page.getByTestId("scan-feedback").getAttribute("data-tone")).toBe("ok");
        await expect
          .poll(() =>
            page
              .locator(`[data-testid=item-card][data-sku="${item.sku}"] [data-testid=item-count]`)
              .textContent(),
          )
          .toMatch(/^[1-9]\d*\//);
      }
    }
    await expect
      .poll(() => feedback(page), { timeout: 30_000 })
      .toContain(`Order ${order.orderId} dispatched`);
    await screenshot(page, "scan-camera-dispatched-1280x800");
    await expect
      .poll(
        async () => (await api<ApiOrder>(`/api/v1/orders/${encodeURIComponent(order.orderId)}`)).body.state,
        {
          timeout: 30_000,
        },
      )
      .toMatch(/dispatched|confirmed/);

    // Every code the stand-in answered came off a live camera frame.
    const seen = (await page.evaluate("window.__cameraSeen")) as {
      code: string;
      width: number;
      frames: number;
      lit: number;
    }[];
    expect(seen.map((s) => s.code)).toEqual([tracking, "NOT-IN-THIS-ORDER-1", ...codes]);
    for (const s of seen) {
      expect(s.width).toBeGreaterThan(0);
      expect(s.frames).toBeGreaterThan(0);
      expect(s.lit).toBeGreaterThan(0);
    }
    await page.getByTestId("camera-toggle").click();
    await expect
      .poll(async () => (await page.getByTestId("camera-toggle").textContent())?.trim())
      .toBe("Use camera");
  });

  it("without barcode detection in the browser, offers no camera button and says why", async () => {
    // Linux Chromium has no BarcodeDetector: a tablet without the stand-in is that browser.
    const plain = await openTablet(
      "scan-no-detector",
      { width: 1280, height: 800 },
      { args: fakeCameraArgs },
    );
    try {
      await plain.context.addInitScript("delete window.BarcodeDetector");
      await signInTablet(plain.page, edgeUrl, {
        email: demo.packer,
        password: demo.password,
        device: "Old tablet",
      });
      const { page } = plain;
      expect(await page.evaluate("typeof BarcodeDetector")).toBe("undefined");
      await page.getByRole("link", { name: "Scan" }).click();
      await page.getByTestId("start-shift").click();
      await page.getByTestId("scan-input").waitFor();
      expect(await page.getByTestId("camera-toggle").count()).toBe(0);
      expect(await page.getByTestId("camera-unavailable").textContent()).toMatch(
        /cannot read barcodes.*scanner/i,
      );
    } finally {
      await plain.close();
    }
  });
});
