import { ConsignError, ErrorCode } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { isOutcomeUncertain } from "../http.ts";
import { fakeFetch, json, PDF_BASE64, sampleRequest } from "../test-support.ts";
import { createProShippingAdapter } from "./pro-shipping.ts";

const config = {
  baseUrl: "https://api.royalmail.net/shipping/v3",
  clientId: "client-1",
  clientSecret: "secret-1",
  username: "despatch@seller.test",
  password: "pw",
  postingLocation: "9000000001",
};
const created = {
  HttpStatusCode: 200,
  Packages: [{ PackageOccurance: 1, UniqueId: "3A900000000100000000A", TrackingNumber: "TT000000103GB" }],
  LabelImageFormat: "PDF",
  LabelImages: PDF_BASE64,
};
const shipment = {
  courier: "royal-mail" as const,
  courierShipmentId: "3A900000000100000000A",
  trackingNumber: "TT000000103GB",
  serviceCode: "TPN24",
};
const zpl = "^XA\n^FO10,10^BCN,100,N,N,N,A^FDTT000000103GB^FS\n^XZ\n";

describe("Royal Mail Pro Shipping adapter", () => {
  it("signs in once, sends the token, and signs in again when Royal Mail refuses an expired one", async () => {
    let tokens = 0;
    let refuseNext = false;
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url.endsWith("/token")) return json({ token: `t${++tokens}` });
      if (refuseNext) {
        refuseNext = false;
        return json(
          { httpCode: 401, httpMessage: "Unauthorized", moreInformation: "Invalid or expired token." },
          401,
        );
      }
      return json(created);
    });
    const adapter = createProShippingAdapter(config, { fetch }, { now: () => Date.UTC(2026, 11, 6, 23, 30) });
    const a = await adapter.createShipment(sampleRequest, { idempotencyKey: "202-1234567-1234567:1" });
    expect(a).toMatchObject({
      courierShipmentId: created.Packages[0]?.UniqueId,
      trackingNumber: "TT000000103GB",
    });
    expect(new TextDecoder().decode(a.labelPdf?.subarray(0, 5))).toBe("%PDF-");
    refuseNext = true;
    await adapter.createShipment(sampleRequest, { idempotencyKey: "202-1234567-1234567:2" });
    expect(
      calls.map(
        (c) => `${c.method} ${c.url.replace(config.baseUrl, "")} ${c.headers["x-rmg-auth-token"] ?? ""}`,
      ),
    ).toEqual([
      "POST /token ",
      "POST /shipments t1",
      "POST /shipments t1",
      "POST /token ",
      "POST /shipments t2",
    ]);
    const token = calls[0]!;
    expect(token.headers).toMatchObject({
      "x-ibm-client-id": "client-1",
      "x-ibm-client-secret": "secret-1",
      "x-rmg-security-username": "despatch@seller.test",
      "x-rmg-security-password": "pw",
    });
    // The shipment as the model wants it: our service code mapped, the UK's date, the posting location.
    const body = calls[1]!.body as {
      Shipper: { ShipperReference: string; ShipperReference2: string };
      ShipmentInformation: {
        ServiceCode: string;
        ShipmentDate: string;
        ServiceOptions: Record<string, string>;
        TotalWeight: number;
      };
      Destination: { Postcode: string };
    };
    expect(body.ShipmentInformation).toMatchObject({
      ServiceCode: "TPN01",
      ShipmentDate: "2026-12-06",
      ServiceOptions: { PostingLocation: "9000000001", ServiceFormat: "P" },
      TotalWeight: 0.45,
    });
    expect(body.Shipper).toMatchObject({
      ShipperReference: "202-1234567-1234567",
      ShipperReference2: "202-1234567-1234567:1",
    });
    expect(body.Destination.Postcode).toBe("SW1A 2AA");
  });

  it("a wrong password says which settings to check, and is not an uncertain purchase", async () => {
    const { fetch } = fakeFetch(() =>
      json({ httpCode: 401, httpMessage: "Unauthorized", moreInformation: "Authentication failure." }, 401),
    );
    const error = await createProShippingAdapter(config, { fetch })
      .createShipment(sampleRequest, { idempotencyKey: "k:1" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.CourierNotConnected });
    expect((error as Error).message).toMatch(
      /refused the sign-in \(Authentication failure\.\).*Settings → Couriers/,
    );
  });

  it("429 and the gateway's 503 are certain (nothing bought: try again); a 500 is uncertain and cannot be looked up", async () => {
    let status = 429;
    const { fetch } = fakeFetch((c) =>
      c.url.endsWith("/token") ? json({ token: "t" }) : json({ httpCode: status }, status),
    );
    const adapter = createProShippingAdapter(config, { fetch });
    const buy = () =>
      adapter.createShipment(sampleRequest, { idempotencyKey: "k:1" }).catch((e: unknown) => e);
    const limited = await buy();
    expect(limited).toMatchObject({ code: ErrorCode.RateLimited });
    status = 503;
    const down = await buy();
    expect(isOutcomeUncertain(down)).toBe(false);
    expect((down as Error).message).toMatch(/unavailable.*nothing was done/);
    status = 500;
    expect(isOutcomeUncertain(await buy())).toBe(true);
    const lookup = await adapter
      .findShipment({ idempotencyKey: "k:1", request: sampleRequest })
      .catch((e: unknown) => e);
    // Never "not bought" (that would buy twice): the seller is told where to look.
    expect(isOutcomeUncertain(lookup)).toBe(true);
    expect((lookup as Error).message).toMatch(/Look in Pro Shipping for reference 202-1234567-1234567/);
  });

  it("fetches the courier's ZPL at the printer's dpi, refuses a broken one, and says when the day was manifested", async () => {
    let answer: () => Response = () =>
      json({ HttpStatusCode: 200, LabelImage: btoa(zpl), LabelImageFormat: "ZPL300DPI" });
    const { fetch, calls } = fakeFetch((c) => (c.url.endsWith("/token") ? json({ token: "t" }) : answer()));
    const adapter = createProShippingAdapter(config, { fetch });
    expect(await adapter.fetchZplLabel?.(shipment, 300)).toBe(zpl);
    expect(calls[1]).toMatchObject({
      method: "PUT",
      url: `${config.baseUrl}/shipments/3A900000000100000000A/printLabel`,
      body: { LabelFormat: "ZPL300DPI" },
    });
    answer = () =>
      json({ HttpStatusCode: 200, LabelImage: btoa("^XA^FDcut"), LabelImageFormat: "ZPL203DPI" });
    await expect(adapter.fetchZplLabel?.(shipment, 203)).rejects.toMatchObject({
      code: ErrorCode.UpstreamMalformed,
    });
    answer = () =>
      json(
        {
          HttpStatusCode: 400,
          Errors: [
            {
              Message: "The shipment has already been manifested and cannot be reprinted.",
              ErrorCode: "E1434",
            },
          ],
        },
        400,
      );
    const late = await adapter.fetchZplLabel?.(shipment, 203).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ConsignError);
    expect(late).toMatchObject({ code: ErrorCode.UpstreamRejected });
    expect((late as Error).message).toMatch(
      /no longer prints TT000000103GB \(the day it is on was manifested\)/,
    );
  });

  it("cancels by Unique Id; cancelling again is done, a manifested label is refused in Royal Mail's words", async () => {
    let answer = () => json({ HttpStatusCode: 200, ShipmentIds: [shipment.courierShipmentId] });
    const { fetch, calls } = fakeFetch((c) => (c.url.endsWith("/token") ? json({ token: "t" }) : answer()));
    const adapter = createProShippingAdapter(config, { fetch });
    await adapter.voidShipment(shipment);
    expect(calls[1]?.body).toEqual([
      { ShipmentId: shipment.courierShipmentId, ReasonForCancellation: "OrderCancelled" },
    ]);
    answer = () =>
      json({ HttpStatusCode: 400, Errors: [{ Message: "already cancelled", ErrorCode: "E1436" }] }, 400);
    await adapter.voidShipment(shipment);
    answer = () =>
      json(
        {
          HttpStatusCode: 400,
          Errors: [
            {
              Message: "The shipment has already been manifested and cannot be cancelled.",
              ErrorCode: "E1434",
            },
          ],
        },
        400,
      );
    await expect(adapter.voidShipment(shipment)).rejects.toThrow(/manifested and cannot be cancelled/);
  });

  it("refuses an address line over the model's 35 characters before any call, naming it", async () => {
    const { fetch, calls } = fakeFetch(() => json(created));
    const long = {
      ...sampleRequest,
      recipient: { ...sampleRequest.recipient, line1: "Flat 12, The Old Biscuit Factory Building" },
    };
    await expect(
      createProShippingAdapter(config, { fetch }).createShipment(long, { idempotencyKey: "k:1" }),
    ).rejects.toThrow(/at most 35 characters in the address line 1/);
    expect(calls).toHaveLength(0);
  });
});
