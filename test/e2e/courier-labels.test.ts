// The courier sandboxes' labels carry what the real ones print, and it scans: each label bought
// through our courier adapters from the running sandbox is rendered at 203 dpi (a thermal
// printer's resolution) by poppler and read back by zbar (Code 128) and libdmtx (DataMatrix).
// Royal Mail: the tracking number and a 2D barcode; DPD: its routing barcode and parcel number;
// Evri: its barcode number. Sender, both address lines and the service are on the label.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CourierAdapter,
  createDpdAdapter,
  createEvriAdapter,
  createRoyalMailAdapter,
  type ShipmentRequest,
} from "@consign/couriers";
import { shipmentFor } from "@consign/couriers/test-support";
import { afterAll, describe, expect, inject, it } from "vitest";

const sandbox = inject("sandboxUrl");
const dir = mkdtempSync(join(tmpdir(), "consign-courier-labels-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) };
const request = (serviceCode: string, grams: number): ShipmentRequest =>
  shipmentFor(
    `202-${String(Date.now()).slice(-7)}-${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`,
    serviceCode,
    grams,
  );

let n = 0;
/**
 * The label's page at 203 dpi: every Code 128 zbar reads, and (for couriers that print one) the
 * first DataMatrix libdmtx reads. libdmtx searches the whole page for as long as it is allowed when
 * there is none, so labels without a 2D code are not searched.
 */
function scan(
  pdf: Uint8Array,
  { dataMatrix: look2d = false } = {},
): {
  code128: string[];
  dataMatrix: string;
  text: string;
} {
  const base = join(dir, `label-${n++}`);
  writeFileSync(`${base}.pdf`, pdf);
  execFileSync("pdftoppm", ["-r", "203", "-png", "-singlefile", "-gray", `${base}.pdf`, base]);
  let code128: string[] = [];
  try {
    code128 = execFileSync("zbarimg", ["-q", "--raw", "-Sdisable", "-Scode128.enable", `${base}.png`])
      .toString("latin1")
      .split("\n")
      .filter(Boolean);
  } catch (e) {
    if ((e as { status?: number }).status !== 4) throw e; // 4: no barcode found
  }
  let dataMatrix = "";
  if (look2d)
    try {
      dataMatrix = execFileSync("dmtxread", ["-N", "1", "-m", "20000", `${base}.png`], {
        timeout: 60_000,
      }).toString("latin1");
    } catch {
      dataMatrix = "";
    }
  const text = execFileSync("pdftotext", [`${base}.pdf`, "-"])
    .toString("utf8")
    .replace(/\s+/g, " ");
  return { code128, dataMatrix, text };
}

async function buy(adapter: CourierAdapter, req: ShipmentRequest) {
  const shipment = await adapter.createShipment(req, { idempotencyKey: `${req.orderId}:1` });
  return { shipment, pdf: await adapter.fetchLabel(shipment) };
}

describe("courier sandbox labels scan like the real ones at 203 dpi", () => {
  it("Royal Mail: tracking number as Code 128 and a 2D DataMatrix, sender, both address lines, service", async () => {
    const rm = createRoyalMailAdapter(
      { baseUrl: `${sandbox}/royalmail/api/v1`, apiKey: `scan-${Date.now()}` },
      ctx,
    );
    const { shipment, pdf } = await buy(rm, request("TPN24", 400));
    const read = scan(pdf, { dataMatrix: true });
    expect(read.code128).toContain(shipment.trackingNumber);
    expect(read.dataMatrix).toContain(shipment.trackingNumber);
    expect(read.dataMatrix).toContain("LS115QN");
    for (const words of [
      "Hebden Hobby Supplies Ltd",
      "Flat 12, The Old Granary",
      "145 Riverside Road",
      "Tracked 24",
    ])
      expect(read.text).toContain(words);
  });

  it("DPD: routing barcode (postcode, parcel number, service, country) and the parcel number", async () => {
    const dpd = createDpdAdapter(
      { baseUrl: `${sandbox}/dpd`, username: `scan-${Date.now()}`, password: "pw", accountNumber: "1234567" },
      ctx,
    );
    const { shipment, pdf } = await buy(dpd, request("1^12", 2500));
    const read = scan(pdf);
    expect(read.code128).toContain(shipment.trackingNumber);
    expect(read.code128).toContain(`%LS115QN${shipment.trackingNumber}112826`);
    for (const words of ["Hebden Hobby Supplies Ltd", "145 Riverside Road"])
      expect(read.text).toContain(words);
  });

  it("Evri: its 16-character barcode number as Code 128", async () => {
    const evri = createEvriAdapter(
      {
        baseUrl: `${sandbox}/evri`,
        username: `scan-${Date.now()}`,
        password: "pw",
        clientId: "1001",
        clientName: "Hebden Hobby Supplies Ltd",
      },
      ctx,
    );
    const { shipment, pdf } = await buy(evri, request("EVRI24", 1200));
    const read = scan(pdf);
    expect(shipment.trackingNumber).toHaveLength(16);
    expect(read.code128).toContain(shipment.trackingNumber);
    expect(read.text).toContain("145 Riverside Road");
  });
});
