// A thermal printer gets Consign's own drawing of a label only for a shipment with no courier
// document, and only while the room says that label is still active: a tablet whose copy has not yet
// heard that another tablet voided the label must not print its cancelled tracking number.
import { DEFAULT_PROFILE } from "@consign/labels";
import { item, order, SENDER, shipment } from "@consign/labels/test-fixtures";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// The module lives in a worker (its pdf.js reads `self`): loaded after `self` exists here.
let printerApi: typeof import("./printer-zpl.ts").printerApi;
beforeAll(async () => {
  // As a worker on the app's origin sees itself (pdf.js's fonts are found from its location).
  vi.stubGlobal("self", { ...globalThis, location: new URL("http://tablet.test/") });
  ({ printerApi } = await import("./printer-zpl.ts"));
});

/** The order as this tablet's copy holds it: a label bought (by hand, no courier document stored). */
const heldHere = (orderId: string, trackingNumber: string) =>
  order(orderId, [item("MUG", 1, "Mug")], [shipment(trackingNumber)]);

const notFound = (message: string, fields: { path: string; message: string }[] = []) =>
  new Response(JSON.stringify({ error: { code: "not_found", message, fields } }), { status: 404 });

afterEach(() => vi.unstubAllGlobals());

describe("labels for a thermal printer with no courier document", () => {
  it("draws the label only when the room says it is active, and refuses one the room has voided", async () => {
    const asked: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      asked.push(url);
      if (url.includes("/label?")) return notFound("no courier document");
      if (url.includes("202-0000001")) {
        return new Response("%PDF-drawn-by-the-room", {
          status: 200,
          headers: { "consign-labels-included": "1", "consign-labels-missing": "0" },
        });
      }
      return notFound("Order 202-0000002 has no label to download: no label bought (or it was voided).", [
        { path: "202-0000002", message: "no label bought (or it was voided)" },
      ]);
    });
    const batch = await printerApi.zplForPrinter(
      [heldHere("202-0000001", "GQ660548056GB"), heldHere("202-0000002", "FQ087430672GB")],
      DEFAULT_PROFILE,
      SENDER,
      async () => "token",
    );
    expect(batch.labels.map((l) => [l.orderId, l.source, l.trackingNumber])).toEqual([
      ["202-0000001", "consign", "GQ660548056GB"],
    ]);
    expect(batch.labels[0]!.zpl).toContain("GQ660548056GB");
    expect(batch.errors["202-0000002"]).toMatch(/voided/);
    expect(asked).toContain("/api/v1/documents/labels.pdf?orderIds=202-0000002");
  });

  it("says so when the room cannot be asked, and prints nothing for that order", async () => {
    vi.stubGlobal("fetch", async (url: string) =>
      url.includes("/label?") ? notFound("no courier document") : new Response("busy", { status: 503 }),
    );
    const batch = await printerApi.zplForPrinter(
      [heldHere("202-0000003", "GQ660548056GB")],
      DEFAULT_PROFILE,
      SENDER,
      async () => "token",
    );
    expect(batch.labels).toEqual([]);
    expect(batch.errors["202-0000003"]).toMatch(/HTTP 503/);
  });
});
