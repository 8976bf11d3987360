// Printing straight to a USB label printer, in real Chromium against the whole stack. The printer
// is a STAND-IN (stand-in-printer.ts): a fake navigator.usb device that records the bytes and
// answers like a Zebra; no real printer is involved. What is checked is what a printer would be
// sent: pairing and a test print whose Code 128 scans; a run of 20 labels reaching the printer
// once each and in order, through an unplug in the middle and a Resume; the orders marked printed
// for everyone; two tablets sharing the print queue printing each label once between them; and
// in the labels worker in Chromium (pdf.js), a PDF label with barcodes turned into ZPL that,
// rendered at 203 dpi, still decodes with zbar and libdmtx.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { rasterizeZpl, renderLabels, TEST_PRINT_BARCODE, toZplPlaced } from "@consign/labels";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { edgeApi, NAV, screenshot } from "./browser.ts";
import { cleanUpImages, dmtx, formatsIn, pngOf, setStandIn, standIn, zbar } from "./stand-in-printer.ts";
import { type Tablet, usbJourney } from "./usb-journey.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

const { standInTablet, pair, statesOf, ordersWithLabels, printStep, progressText, holdConfirmOnPrint } =
  usbJourney(edgeUrl, demo, api);

describe("printing straight to a USB label printer (a stand-in device, not a real printer)", () => {
  let a: Tablet;
  let b: Tablet | undefined;
  let restoreConfirmOnPrint: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    restoreConfirmOnPrint = await holdConfirmOnPrint();
    a = await standInTablet("usb-a", "Bench 1");
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    cleanUpImages();
    await restoreConfirmOnPrint?.();
  });

  it("pairs the printer, remembers it after a reload, and its test print scans", {
    timeout: 120_000,
  }, async () => {
    const { page } = a;
    await pair(page);
    await page.reload(NAV);
    await expect
      .poll(() => page.getByTestId("device-printer").getByTestId("paired-printer").textContent())
      .toBe("Stand-in USB label printer (test)");
    await page.getByTestId("test-print").click();
    await expect
      .poll(() => page.getByTestId("device-printer-message").textContent())
      .toMatch(/Test print sent to Stand-in/);
    const [format] = formatsIn((await standIn(page)).stream);
    expect(format?.zpl).toContain("Consign test print");
    const [bitmap] = rasterizeZpl(format!.zpl);
    expect(zbar(pngOf(bitmap!))).toEqual([TEST_PRINT_BARCODE]);
    await screenshot(page, "usb-printer-settings-1280x800");
    await setStandIn(page, { stream: "" });
  });

  it("prints a run of 20 once each and in order, through an unplug and a Resume", {
    timeout: 300_000,
  }, async () => {
    const { page } = a;
    const ids = await ordersWithLabels(20);
    await printStep(page, ids);
    // The run goes in the panel's order: remember it to compare with what the printer got.
    const panelOrder = await page
      .getByTestId("bulk-order")
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.orderId ?? ""));
    const runOrder = panelOrder.filter((id) => ids.includes(id));
    expect(runOrder).toHaveLength(20);

    // The printer is unplugged after its 7th label.
    await setStandIn(page, { stream: "", unplugAfter: 7 });
    await page.getByTestId("print-direct").click();
    await expect
      .poll(async () => (await page.getByTestId("direct-print-error").textContent()) ?? "", {
        timeout: 60_000,
      })
      .toMatch(/unplugged or switched off: plug it in and switch it on, then Resume/);
    const afterUnplug = formatsIn((await standIn(page)).stream);
    expect(afterUnplug.map((f) => f.orderId)).toEqual(runOrder.slice(0, 7));
    await expect.poll(() => statesOf(runOrder.slice(7))).toEqual(runOrder.slice(7).map(() => "label_bought"));
    await screenshot(page, "usb-print-unplugged-1280x800");

    // Plugged in again: Resume prints the other 13, none twice.
    await setStandIn(page, { plugged: true, unplugAfter: Number.POSITIVE_INFINITY });
    await expect.poll(() => page.getByTestId("print-direct").textContent()).toBe("Resume");
    await page.getByTestId("print-direct").click();
    await expect
      .poll(() => progressText(page), { timeout: 120_000 })
      .toMatch(/^Printed 13 labels on Stand-in USB label printer \(test\) · 7 left out/);
    const printed = formatsIn((await standIn(page)).stream);
    expect(printed.map((f) => f.orderId)).toEqual(runOrder);
    // Each is the courier's own label (its PDF as a ZPL graphic at 203 dpi on 4x6 stock), with its tracking number.
    for (const f of printed) {
      expect(f.zpl).toMatch(/\^PW812\n\^LL1218\n/);
      expect(f.zpl).toMatch(/\^GFA,\d+,\d+,\d+,/);
      expect(f.tracking).toMatch(/^[A-Z0-9]{8,}$/);
    }
    expect(new Set(printed.map((f) => f.tracking)).size).toBe(20);
    // What the printer got, drawn at 203 dpi, scans: each label's Code 128 reads its tracking number,
    // and a Royal Mail label's 2D barcode (the DataMatrix its sorting machines read) still decodes
    // after the courier's PDF became printer dots.
    let royalMail = 0;
    for (const f of printed) {
      const [bitmap] = rasterizeZpl(f.zpl);
      const png = pngOf(bitmap!);
      expect(zbar(png), `label ${f.tracking}`).toContain(f.tracking);
      if (/^[A-Z]{2}\d{9}GB$/.test(f.tracking ?? "")) {
        royalMail++;
        expect(dmtx(png), `Royal Mail label ${f.tracking}'s DataMatrix`).toContain(f.tracking);
      }
    }
    expect(
      royalMail,
      "Royal Mail labels in the run (the demo's rules send some by Royal Mail)",
    ).toBeGreaterThan(0);
    // Printed only once the printer took them, for everyone.
    await expect.poll(() => statesOf(runOrder), { timeout: 30_000 }).toEqual(runOrder.map(() => "printed"));
  });

  it("two tablets printing the same labels at once print each label once between them", {
    timeout: 300_000,
  }, async () => {
    // The other tablet keeps the document on the page (the fallback path): one print queue for both paths.
    b = await standInTablet("usb-b", "Bench 2", { docWorker: false });
    await pair(b.page);
    await setStandIn(a.page, { stream: "" });
    const ids = await ordersWithLabels(8);
    await Promise.all([printStep(a.page, ids), printStep(b.page, ids)]);
    // Both tablets are live (the print queue needs the room's word) before either prints.
    for (const t of [a, b])
      await expect
        .poll(() => t.page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 60_000 })
        .toBe("ok");
    await Promise.all([
      a.page.getByTestId("print-direct").click(),
      b.page.getByTestId("print-direct").click(),
    ]);
    for (const [name, t] of [
      ["A", a],
      ["B", b],
    ] as const) {
      try {
        await expect
          .poll(() => progressText(t.page), { timeout: 120_000 })
          .toMatch(/^Printed \d+ labels? on/);
      } catch (err) {
        await screenshot(t.page, `usb-print-two-tablets-${name}-failed`);
        const chip = await t.page.getByTestId("sync-chip").getAttribute("data-state");
        throw new Error(`tablet ${name} (sync chip ${chip}): ${(err as Error).message}`);
      }
    }
    const fromA = formatsIn((await standIn(a.page)).stream).map((f) => f.orderId);
    const fromB = formatsIn((await standIn(b.page)).stream).map((f) => f.orderId);
    expect([...fromA, ...fromB].sort()).toEqual([...ids].sort());
    // The tablet that printed fewer says who printed the rest.
    const fewer = fromA.length <= fromB.length ? a.page : b.page;
    if (Math.min(fromA.length, fromB.length) < 8)
      await expect.poll(() => fewer.getByTestId("direct-print-skipped").textContent()).toMatch(/left out: /);
    await screenshot(fewer, "usb-print-two-tablets-1280x800");
  });

  it("an Amazon Shipping label goes to the printer as Amazon's own ZPL, unchanged, and its Code 128 scans", {
    timeout: 300_000,
  }, async () => {
    const { page } = a;
    // Amazon Shipping buys with the seller's Amazon connection: connecting it needs no key.
    const connected = await api("/api/v1/couriers/amazon-shipping", { method: "PUT", body: "{}" });
    expect(connected.status, JSON.stringify(connected.body)).toBe(200);
    const ids = await ordersWithLabels(2, { courier: "amazon-shipping", serviceCode: "SWA-UK-PREM" });
    await setStandIn(page, { stream: "", plugged: true, unplugAfter: Number.POSITIVE_INFINITY });
    await printStep(page, ids);
    await page.getByTestId("print-direct").click();
    await expect
      .poll(() => progressText(page), { timeout: 120_000 })
      .toMatch(/^Printed 2 labels on Stand-in USB label printer \(test\)/);
    const { stream } = await standIn(page);
    const sent = formatsIn(stream);
    expect(sent).toHaveLength(2);
    for (const id of ids) {
      const { body } = await api<{ shipments?: { trackingNumber: string; courier: string }[] }>(
        `/api/v1/orders/${encodeURIComponent(id)}`,
      );
      const tracking = body.shipments?.at(-1)?.trackingNumber as string;
      // Exactly the document the courier gives a 203 dpi printer, as the edge serves it.
      const served = await api<string>(`/api/v1/orders/${encodeURIComponent(id)}/label?printer=zpl203`);
      expect(served.status).toBe(200);
      expect(served.type).toMatch(/^application\/zpl/);
      const format = sent.find((f) => f.zpl.includes(`^FD${tracking}^FS`));
      expect(format, `the printer got ${tracking}`).toBeDefined();
      expect(format!.zpl).not.toMatch(/\^GFA/); // printer commands, not a picture
      expect(format!.zpl).toMatch(/\^BCN,\d+,N,N,N,A\^FD/);
      expect(stream).toContain(served.body); // byte for byte, as the courier wrote it
      const [bitmap] = rasterizeZpl(format!.zpl);
      expect(zbar(pngOf(bitmap!))).toEqual([tracking]);
    }
    await expect.poll(() => statesOf(ids), { timeout: 30_000 }).toEqual(ids.map(() => "printed"));
  });

  it("in the labels worker in Chromium, a PDF label with barcodes becomes ZPL that still decodes at 203 dpi", {
    timeout: 120_000,
  }, async () => {
    const { page } = a;
    // Our own PDF labels stand in for a courier's: each carries a Code 128 and a DataMatrix.
    // Three go through as a run draws them (one document, two pages in flight, the first read
    // back the sure way and checked against the fast one), and one on its own.
    const trackings = ["GQ660548056GB", "GQ660548057GB", "GQ660548058GB"];
    const label = (tracking: string) => ({
      sender: {
        name: "Hebden Hobby Supplies",
        line1: "Unit 4",
        city: "Hebden Bridge",
        postcode: "HX7 6DL",
        countryCode: "GB",
      },
      recipient: {
        name: "Ada Lovelace",
        line1: "1 High St",
        city: "Leeds",
        postcode: "LS1 1AA",
        countryCode: "GB",
      },
      serviceName: "Tracked 24",
      courierName: "Royal Mail",
      trackingNumber: tracking,
      orderId: "203-0000000-0000001",
    });
    const pdfs = trackings.map((t) => Array.from(renderLabels([label(t)])));
    const profile = { language: "zpl", dpi: 203, stock: "4x6", darkness: 15 };
    const workerUrl = `/assets/${readdirSync(join(import.meta.dirname, "../../apps/web/dist/assets")).find((f) => f.startsWith("labels.worker-"))}`;
    const run = (await page.evaluate(callWorker, {
      url: workerUrl,
      method: "pdfLabelsToZpl",
      args: [pdfs, profile],
    })) as string[];
    const single = (await page.evaluate(callWorker, {
      url: workerUrl,
      method: "pdfLabelToZpl",
      args: [pdfs[0], profile],
    })) as string;
    expect(run).toHaveLength(3);
    const { cropBitmap } = await import("@consign/labels");
    for (const [i, zpl] of [...run, single].entries()) {
      const tracking = trackings[i % 3] as string;
      expect(zpl).toMatch(/\^GFA/);
      const [bitmap] = rasterizeZpl(zpl);
      expect(zbar(pngOf(bitmap!))).toEqual([tracking]);
      // The DataMatrix sits top right on the label, as on the PDF.
      const d = toZplPlaced(label(tracking)).placed.dataMatrix;
      expect(dmtx(pngOf(cropBitmap(bitmap!, d.x - 30, d.y - 30, d.size + 60, d.size + 60)))).toContain(
        tracking,
      );
    }
    // The run's labels are the same dots as the label drawn on its own.
    expect(run[0]).toBe(single);
  });
});

/** Calls the built labels worker over comlink's wire format (runs in the page). */
async function callWorker(input: { url: string; method: string; args: unknown[] }): Promise<unknown> {
  const worker = new Worker(input.url, { type: "module", name: "labels-test" });
  const bytes = (a: unknown) => (Array.isArray(a) ? new Uint8Array(a as number[]) : a);
  const args = input.args.map((a) =>
    Array.isArray(a) && Array.isArray(a[0]) ? (a as unknown[]).map(bytes) : bytes(a),
  );
  try {
    return await new Promise((resolve, reject) => {
      const id = "t1";
      worker.addEventListener("message", (e: MessageEvent) => {
        const data = e.data as { id?: string; type: string; value: unknown };
        if (data.id !== id) return;
        if (data.type === "HANDLER") reject(new Error(JSON.stringify(data.value)));
        else resolve(data.value);
      });
      worker.postMessage({
        id,
        type: "APPLY",
        path: [input.method],
        argumentList: args.map((value) => ({ type: "RAW", value })),
      });
    });
  } finally {
    worker.terminate();
  }
}
