import { describe, expect, it } from "vitest";
import {
  callOnce,
  fromBase64,
  isPdf,
  jsonInit,
  pdfText,
  purchases,
  setFaults,
  validS10,
} from "../src/couriers/testing.ts";

const base = "/royalmail-pro/shipping/v3";

async function signIn(clientId: string, password = "pro-password-1") {
  const res = await callOnce(`${base}/token`, {
    method: "POST",
    headers: {
      "X-IBM-Client-Id": clientId,
      "X-IBM-Client-Secret": "secret",
      "X-RMG-Security-Username": "despatch@seller.test",
      "X-RMG-Security-Password": password,
    },
  });
  return { status: res.status, body: (await res.json()) as { token?: string; moreInformation?: string } };
}

function shipment(info: Record<string, unknown> = {}, destination: Record<string, unknown> = {}) {
  return {
    Shipper: { ShipperReference: "202-1234567-1234567", CompanyName: "Pennine Pet Supplies", Town: "Leeds" },
    Destination: {
      ContactName: "Ada Lovelace",
      AddressLine1: "10 Downing Street",
      Town: "London",
      CountryCode: "GB",
      Postcode: "SW1A 2AA",
      ...destination,
    },
    ShipmentInformation: {
      ShipmentDate: "2026-12-07",
      ServiceCode: "TPN01",
      ServiceOptions: { PostingLocation: "9000000001", ServiceFormat: "P" },
      TotalPackages: 1,
      TotalWeight: 0.5,
      WeightUnitOfMeasure: "KG",
      LabelFormat: "PDF",
      ...info,
    },
  };
}

interface CreateAnswer {
  HttpStatusCode: number;
  Packages?: { UniqueId: string; TrackingNumber: string; CarrierCode: string }[];
  LabelImageFormat?: string;
  LabelImages?: string;
  Errors?: { Message: string; Cause: string; ErrorCode: string }[];
}

async function account() {
  const clientId = crypto.randomUUID();
  const { body } = await signIn(clientId);
  const headers = { "X-IBM-Client-Id": clientId, "X-RMG-Auth-Token": body.token ?? "" };
  const create = async (s: unknown) => {
    const res = await callOnce(`${base}/shipments`, jsonInit("POST", s, headers));
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return { clientId, headers, create };
}

const zplOf = (b64: string) => new TextDecoder().decode(fromBase64(b64));

describe("Royal Mail Pro Shipping (Shipping API v3) sandbox", () => {
  it("signs in with client id, secret, username and password; a wrong password or a missing secret is refused", async () => {
    const clientId = crypto.randomUUID();
    const first = await signIn(clientId);
    expect(first.status).toBe(200);
    expect(first.body.token).toMatch(/^rmg3\./);
    expect((await signIn(clientId, "not-the-password")).status).toBe(401);
    const noSecret = await callOnce(`${base}/token`, {
      method: "POST",
      headers: {
        "X-IBM-Client-Id": clientId,
        "X-RMG-Security-Username": "u",
        "X-RMG-Security-Password": "p",
      },
    });
    expect(noSecret.status).toBe(401);
    // Every other call needs the token the sign-in gave.
    const res = await callOnce(
      `${base}/shipments`,
      jsonInit("POST", shipment(), { "X-IBM-Client-Id": clientId, "X-RMG-Auth-Token": "rmg3.forged" }),
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as { moreInformation: string }).moreInformation).toBe(
      "Invalid or expired token.",
    );
  });

  it("creates a shipment with a valid S10 number and the label as a PDF that carries it", async () => {
    const a = await account();
    const res = await a.create(shipment());
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as CreateAnswer;
    const pkg = body.Packages?.[0];
    expect(validS10(pkg?.TrackingNumber ?? "")).toBe(true);
    expect(pkg?.UniqueId).toHaveLength(21);
    expect(pkg?.CarrierCode).toBe("RMG");
    expect(body.LabelImageFormat).toBe("PDF");
    const pdf = fromBase64(body.LabelImages ?? "");
    expect(isPdf(pdf)).toBe(true);
    expect(pdfText(pdf)).toContain(pkg?.TrackingNumber);
  });

  it("gives the label as ZPL at 203 and 300 dpi: one ^XA…^XZ format with the tracking number as ^BC Code 128 and the 2D code as ^BX", async () => {
    const a = await account();
    for (const [format, width] of [
      ["ZPL203DPI", 812],
      ["ZPL300DPI", 1200],
    ] as const) {
      const body = JSON.parse((await a.create(shipment({ LabelFormat: format }))).text) as CreateAnswer;
      expect(body.LabelImageFormat).toBe(format);
      const zpl = zplOf(body.LabelImages ?? "");
      const tracking = body.Packages?.[0]?.TrackingNumber ?? "";
      expect(zpl.trimStart().startsWith("^XA")).toBe(true);
      expect(zpl.trimEnd().endsWith("^XZ")).toBe(true);
      expect(zpl.match(/\^XA/g)).toHaveLength(1);
      expect(zpl).toContain(`^PW${width}`);
      expect(zpl).toMatch(new RegExp(`\\^BCN,\\d+,N,N,N,A\\^FD${tracking}\\^FS`));
      expect(zpl).toMatch(new RegExp(`\\^BXN,\\d+,200\\^FD${tracking} SW1A2AA `));
    }
  });

  it("prints a bought label again in another format until it is manifested, by tracking number or Unique Id", async () => {
    const a = await account();
    const created = JSON.parse((await a.create(shipment())).text) as CreateAnswer;
    const { TrackingNumber, UniqueId } = created.Packages?.[0] ?? { TrackingNumber: "", UniqueId: "" };
    for (const id of [TrackingNumber, UniqueId]) {
      const res = await callOnce(
        `${base}/shipments/${id}/printLabel`,
        jsonInit("PUT", { LabelFormat: "ZPL203DPI" }, a.headers),
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        LabelImage: string;
        LabelImageFormat: string;
        TrackingNumber: string;
      };
      expect(body.LabelImageFormat).toBe("ZPL203DPI");
      expect(body.TrackingNumber).toBe(TrackingNumber);
      expect(zplOf(body.LabelImage)).toContain(`^FD${TrackingNumber}^FS`);
    }
    const manifest = await callOnce(
      `${base}/manifests`,
      jsonInit("POST", { PostingLocation: "9000000001" }, a.headers),
    );
    expect(manifest.status).toBe(200);
    const m = (await manifest.json()) as {
      Manifests: { ManifestNumber: string; ManifestImage: string; TotalPackages: number }[];
    };
    expect(m.Manifests[0]?.TotalPackages).toBe(1);
    expect(isPdf(fromBase64(m.Manifests[0]?.ManifestImage ?? ""))).toBe(true);
    const after = await callOnce(
      `${base}/shipments/${TrackingNumber}/printLabel`,
      jsonInit("PUT", { LabelFormat: "ZPL203DPI" }, a.headers),
    );
    expect(after.status).toBe(400);
    expect(((await after.json()) as CreateAnswer).Errors?.[0]?.ErrorCode).toBe("E1434");
    // And nothing is left to manifest.
    const again = await callOnce(
      `${base}/manifests`,
      jsonInit("POST", { PostingLocation: "9000000001" }, a.headers),
    );
    expect(again.status).toBe(400);
  });

  it("cancels all or none: a missing reason or an unknown shipment cancels nothing; a manifested one cannot be cancelled", async () => {
    const a = await account();
    const one =
      (JSON.parse((await a.create(shipment())).text) as CreateAnswer).Packages?.[0]?.TrackingNumber ?? "";
    const two =
      (JSON.parse((await a.create(shipment())).text) as CreateAnswer).Packages?.[0]?.TrackingNumber ?? "";
    const cancel = (body: unknown) => callOnce(`${base}/shipments/cancel`, jsonInit("PUT", body, a.headers));
    const missingReason = await cancel([
      { ShipmentId: one, ReasonForCancellation: "OrderCancelled" },
      { ShipmentId: two },
    ]);
    expect(missingReason.status).toBe(400);
    const unknown = await cancel([
      { ShipmentId: one, ReasonForCancellation: "OrderCancelled" },
      { ShipmentId: "TT999999995GB", ReasonForCancellation: "OrderCancelled" },
    ]);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as CreateAnswer).Errors?.[0]?.ErrorCode).toBe("E1435");
    const ok = await cancel([{ ShipmentId: one, ReasonForCancellation: "OrderCancelled" }]);
    expect(ok.status).toBe(200);
    // The cancelled label prints no more; the other one is still live and is manifested.
    const reprint = await callOnce(`${base}/shipments/${one}/printLabel`, jsonInit("PUT", {}, a.headers));
    expect(reprint.status).toBe(404);
    await callOnce(`${base}/manifests`, jsonInit("POST", {}, a.headers));
    const late = await cancel([{ ShipmentId: two, ReasonForCancellation: "OrderCancelled" }]);
    expect(late.status).toBe(400);
    expect(((await late.json()) as CreateAnswer).Errors?.[0]?.ErrorCode).toBe("E1434");
  });

  it("refuses a shipment Royal Mail would refuse, naming the field", async () => {
    const a = await account();
    const res = await a.create(
      shipment({ ServiceCode: "NOPE1", TotalWeight: 25 }, { Postcode: "NOT A CODE" }),
    );
    expect(res.status).toBe(400);
    const causes = (JSON.parse(res.text) as CreateAnswer).Errors?.map((e) => e.Cause);
    expect(causes).toEqual(
      expect.arrayContaining([
        "ShipmentInformation.ServiceCode",
        "Destination.Postcode",
        "ShipmentInformation.TotalWeight",
      ]),
    );
    expect(await purchases("royalmail-pro", a.clientId)).toBe(0);
  });

  it("fault switches: 429 with Retry-After, 500 before anything is bought, a slow answer after it is, a cut-off answer, down", async () => {
    const a = await account();
    await setFaults("royalmail-pro", a.clientId, { callsPerSecond: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the sign-in's call is out of the window
    const first = await a.create(shipment());
    const second = await a.create(shipment());
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await purchases("royalmail-pro", a.clientId)).toBe(1);

    await setFaults("royalmail-pro", a.clientId, { serverErrors: 1 });
    expect((await a.create(shipment())).status).toBe(500);
    expect(await purchases("royalmail-pro", a.clientId)).toBe(1);

    await setFaults("royalmail-pro", a.clientId, { timeoutMs: 300, timeouts: 1 });
    const started = Date.now();
    expect((await a.create(shipment())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await purchases("royalmail-pro", a.clientId)).toBe(2);

    await setFaults("royalmail-pro", a.clientId, { malformedAnswers: 1 });
    const cut = await a.create(shipment());
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();

    await setFaults("royalmail-pro", a.clientId, { down: true });
    expect((await a.create(shipment())).status).toBe(503);
  });
});
