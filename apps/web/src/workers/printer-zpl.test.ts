// A thermal printer gets Consign's own drawing of a label only for a shipment with no courier
// document, and only while the room says that label is still active: a tablet whose copy has not yet
// heard that another tablet voided the label must not print its cancelled tracking number.
import type { Address, Order } from "@consign/domain";
import { DEFAULT_PROFILE } from "@consign/labels";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// The module lives in a worker (its pdf.js reads `self`): loaded after `self` exists here.
let printerApi: typeof import("./printer-zpl.ts").printerApi;
beforeAll(async () => {
  // As a worker on the app's origin sees itself (pdf.js's fonts are found from its location).
  vi.stubGlobal("self", { ...globalThis, location: new URL("http://tablet.test/") });
  ({ printerApi } = await import("./printer-zpl.ts"));
});

const SENDER: Address = {
  name: "Hebden Hobby Supplies Ltd",
  line1: "Unit 4, Calder Works",
  city: "Hebden Bridge",
  postcode: "HX7 6DL",
  countryCode: "GB",
};

/** The order as this tablet's copy holds it: a label bought (by hand, no courier document stored). */
function heldHere(orderId: string, trackingNumber: string): Order {
  return {
    orderId,
    marketplaceId: "A1F83G8C2ARO7P",
    purchaseDate: 0,
    lastUpdated: 0,
    amazonStatus: "UNSHIPPED",
    fulfilmentChannel: "MFN",
    shipServiceLevel: "Standard",
    isPrime: false,
    earliestShipDate: 0,
    latestShipDate: 0,
    items: [
      { orderItemId: "i1", sku: "MUG", asin: "B0MUG", title: "Mug", quantityOrdered: 1, quantityShipped: 0 },
    ],
    recipient: {
      name: "Ann Other",
      line1: "1 High Street",
      city: "Leeds",
      postcode: "LS1 1AA",
      countryCode: "GB",
    },
    state: "label_bought",
    labelRevision: 1,
    shipments: [
      {
        id: `x:${trackingNumber}`,
        courier: "royal-mail",
        serviceCode: "TPN24",
        trackingNumber,
        amazonCarrierCode: "Royal Mail",
        boughtAt: 0,
      },
    ],
    confirmation: { state: "none", attempts: 0 },
  };
}

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
