import { describe, expect, it } from "vitest";
import { call, fromBase64, isPdf, jsonInit, pdfText, setFaults } from "../src/couriers/testing.ts";
import { CLIENT, connect, control, lwa } from "./amazon-helpers.ts";

/** A sandbox seller connected through consent and Login with Amazon: its id and an access token. */
async function seller(): Promise<{ id: string; token: string; refreshToken: string }> {
  const id = `ASHIP${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  const { accessToken, refreshToken } = await connect(id);
  return { id, token: accessToken, refreshToken };
}

const address = (postalCode: string) => ({
  name: "Ada",
  addressLine1: "1 High St",
  stateOrRegion: "London",
  city: "London",
  countryCode: "GB",
  postalCode,
});
const ratesBody = (postalCode = "SW1A 2AA", grams = 500) => ({
  shipTo: address(postalCode),
  shipFrom: address("LS1 4AP"),
  packages: [
    {
      dimensions: { length: 30, width: 20, height: 5, unit: "CENTIMETER" },
      weight: { unit: "GRAM", value: grams },
      insuredValue: { value: 10, unit: "GBP" },
      packageClientReferenceId: "pkg-1",
      items: [{ quantity: 1 }],
    },
  ],
  channelDetails: { channelType: "AMAZON", amazonOrderDetails: { orderId: "202-1111111-1111111" } },
});
const spec = {
  format: "PDF",
  size: { width: 4, length: 6, unit: "INCH" },
  dpi: 203,
  pageLayout: "DEFAULT",
  needFileJoining: false,
  requestedDocumentTypes: ["LABEL"],
};

type Rates = {
  payload: {
    requestToken: string;
    rates: { rateId: string; serviceId: string }[];
    ineligibleRates: { ineligibilityReasons: { code: string; message: string }[] }[];
  };
};
type Purchase = {
  payload: {
    shipmentId: string;
    packageDocumentDetails: { trackingId: string; packageDocuments: { contents: string }[] }[];
  };
};

async function rates(token: string, body: unknown) {
  const res = await call(
    "/shipping/v2/shipments/rates",
    jsonInit("POST", body, { "x-amz-access-token": token }),
  );
  return {
    status: res.status,
    body: (await res.json()) as Rates & { errors?: { code: string; details?: string }[] },
  };
}

async function buy(token: string, requestToken: string, rateId: string, key?: string) {
  const headers: Record<string, string> = {
    "x-amz-access-token": token,
    ...(key ? { "x-amzn-IdempotencyKey": key } : {}),
  };
  const res = await call(
    "/shipping/v2/shipments",
    jsonInit("POST", { requestToken, rateId, requestedDocumentSpecification: spec }, headers),
  );
  return { status: res.status, body: (await res.json()) as Purchase & { errors?: { code: string }[] } };
}

const counts = async (sellerId: string) =>
  (await (
    await call(`/_sandbox/couriers/amazon-shipping/accounts/${encodeURIComponent(sellerId)}/purchases`)
  ).json()) as { purchases: number };

describe("Amazon Shipping v2 sandbox", { timeout: 30_000 }, () => {
  it("refuses calls without x-amz-access-token with 403 and an ErrorList", async () => {
    const res = await call("/shipping/v2/shipments/rates", jsonInit("POST", ratesBody()));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it("checks the rates request: required shipFrom and a UK postcode", async () => {
    const { token } = await seller();
    const { shipFrom: _omit, ...noFrom } = ratesBody();
    expect((await rates(token, noFrom)).status).toBe(400);
    const bad = await rates(token, ratesBody("NOPE"));
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.details).toContain("not a valid UK postcode");
  });

  it("marks services ineligible over the weight limit", async () => {
    const { body } = await rates((await seller()).token, ratesBody("SW1A 2AA", 24000));
    expect(body.payload.rates).toHaveLength(0);
    expect(body.payload.ineligibleRates[0]?.ineligibilityReasons[0]?.code).toBe("WEIGHT_RESTRICTIONS");
  });

  it("buys once per x-amzn-IdempotencyKey and returns a PDF label with the tracking id", async () => {
    const { id, token } = await seller();
    const { body } = await rates(token, ratesBody());
    const rate = body.payload.rates[0]!;
    const first = await buy(token, body.payload.requestToken, rate.rateId, "order-1:1");
    const again = await buy(token, body.payload.requestToken, rate.rateId, "order-1:1");
    expect(first.status).toBe(200);
    expect(again.body.payload.shipmentId).toBe(first.body.payload.shipmentId);
    const detail = first.body.payload.packageDocumentDetails[0]!;
    const pdf = fromBase64(detail.packageDocuments[0]!.contents);
    expect(isPdf(pdf)).toBe(true);
    expect(pdfText(pdf)).toContain(detail.trackingId);
    expect((await counts(id)).purchases).toBe(1);
    await buy(token, body.payload.requestToken, rate.rateId);
    expect((await counts(id)).purchases).toBe(2);
  });

  it("offers its label as ZPL at 203 and 300 dpi: printer commands with the tracking id as Code 128", async () => {
    const { token } = await seller();
    const { body } = await rates(token, ratesBody());
    const rate = body.payload.rates[0]!;
    expect(
      (
        rate as unknown as { supportedDocumentSpecifications: { format: string }[] }
      ).supportedDocumentSpecifications.map((d) => d.format),
    ).toEqual(["PDF", "ZPL"]);
    const bought = await buy(token, body.payload.requestToken, rate.rateId, "zpl:1");
    const { shipmentId } = bought.body.payload;
    const trackingId = bought.body.payload.packageDocumentDetails[0]!.trackingId;
    const h = { headers: { "x-amz-access-token": token } };
    const docs = (query: string) =>
      call(`/shipping/v2/shipments/${shipmentId}/documents?packageClientReferenceId=pkg-1&${query}`, h);
    type Docs = {
      payload: { packageDocumentDetail: { packageDocuments: { format: string; contents: string }[] } };
    };
    for (const [dpi, width] of [
      [203, 812],
      [300, 1200],
    ] as const) {
      const res = await docs(`format=ZPL&dpi=${dpi}`);
      expect(res.status).toBe(200);
      const [doc] = ((await res.json()) as Docs).payload.packageDocumentDetail.packageDocuments;
      expect(doc?.format).toBe("ZPL");
      const zpl = new TextDecoder().decode(fromBase64(doc!.contents));
      expect(zpl.startsWith("^XA")).toBe(true);
      expect(zpl.trimEnd().endsWith("^XZ")).toBe(true);
      expect(zpl).toContain(`^PW${width}`);
      expect(zpl).toMatch(new RegExp(`\\^BCN,\\d+,N,N,N,A\\^FD${trackingId}\\^FS`));
    }
    // PDF stays the default; a format or dpi the rate does not list is refused, saying which are.
    const pdf = ((await (await docs("")).json()) as Docs).payload.packageDocumentDetail.packageDocuments[0]!;
    expect(pdf.format).toBe("PDF");
    const png = await docs("format=PNG");
    expect(png.status).toBe(400);
    expect(JSON.stringify(await png.json())).toMatch(/supported: PDF, ZPL/);
    const dpi = await docs("format=ZPL&dpi=150");
    expect(dpi.status).toBe(400);
    expect(JSON.stringify(await dpi.json())).toMatch(/supported: 203, 300/);
  });

  it("refuses an unknown rate and answers 500 when a server error is armed", async () => {
    const { id, token } = await seller();
    const { body } = await rates(token, ratesBody());
    expect((await buy(token, body.payload.requestToken, "nope", "k")).status).toBe(400);
    await setFaults("amazon-shipping", id, { serverErrors: 1 });
    expect((await buy(token, body.payload.requestToken, body.payload.rates[0]!.rateId, "k")).status).toBe(
      500,
    );
    expect((await counts(id)).purchases).toBe(0);
  });

  it("cancels a shipment once", async () => {
    const { token } = await seller();
    const { body } = await rates(token, ratesBody());
    const { body: bought } = await buy(
      token,
      body.payload.requestToken,
      body.payload.rates[0]!.rateId,
      "c:1",
    );
    const cancel = () =>
      call(`/shipping/v2/shipments/${bought.payload.shipmentId}/cancel`, {
        method: "PUT",
        headers: { "x-amz-access-token": token },
      });
    expect((await cancel()).status).toBe(200);
    expect((await cancel()).status).toBe(400);
  });

  it("refuses made-up, expired and revoked tokens like every SP-API call, with a request id", async () => {
    const madeUp = await rates(crypto.randomUUID(), ratesBody());
    expect(madeUp.status).toBe(403);
    expect(madeUp.body.errors?.[0]?.code).toBe("Unauthorized");
    const forged = await rates("Atza|AFORGED1|not-issued-by-lwa", ratesBody());
    expect(forged.status).toBe(403);

    const s = await seller();
    expect((await rates(s.token, ratesBody())).status).toBe(200);
    await control(`${s.id}/expire-access-tokens`);
    const expired = await call(
      "/shipping/v2/shipments/rates",
      jsonInit("POST", ratesBody(), { "x-amz-access-token": s.token }),
    );
    expect(expired.status).toBe(403);
    expect(expired.headers.get("x-amzn-RequestId")).toBeTruthy();
    const body = (await expired.json()) as { errors: { details: string }[] };
    expect(body.errors[0]?.details).toContain("expired");

    const t = await seller();
    await control(`${t.id}/revoke`);
    expect((await rates(t.token, ratesBody())).status).toBe(403);
  });

  it("keeps shipments with the seller across the hourly token rotation: documents, tracking and void", async () => {
    const s = await seller();
    const { body } = await rates(s.token, ratesBody());
    const bought = await buy(s.token, body.payload.requestToken, body.payload.rates[0]!.rateId, "rot:1");
    expect(bought.status).toBe(200);
    const shipmentId = bought.body.payload.shipmentId;
    const trackingId = bought.body.payload.packageDocumentDetails[0]!.trackingId;

    // An hour later: the old token expires and Login with Amazon gives a new one.
    await control(`${s.id}/expire-access-tokens`);
    const refreshed = await lwa({ grant_type: "refresh_token", refresh_token: s.refreshToken, ...CLIENT });
    const next = ((await refreshed.json()) as { access_token: string }).access_token;
    expect(next).not.toBe(s.token);
    const h = { "x-amz-access-token": next };

    const docs = await call(`/shipping/v2/shipments/${shipmentId}/documents?packageClientReferenceId=pkg-1`, {
      headers: h,
    });
    expect(docs.status).toBe(200);
    expect(docs.headers.get("x-amzn-RequestId")).toBeTruthy();
    const tracking = await call(`/shipping/v2/tracking?trackingId=${trackingId}&carrierId=AMZN_UK`, {
      headers: h,
    });
    expect(tracking.status).toBe(200);
    const voided = await call(`/shipping/v2/shipments/${shipmentId}/cancel`, { method: "PUT", headers: h });
    expect(voided.status).toBe(200);

    // Another seller's token does not reach it.
    const other = await seller();
    const foreign = await call(
      `/shipping/v2/shipments/${shipmentId}/documents?packageClientReferenceId=pkg-1`,
      {
        headers: { "x-amz-access-token": other.token },
      },
    );
    expect(foreign.status).toBe(404);
  });

  it("answers operations it does not serve in Amazon's ErrorList shape", async () => {
    const { token } = await seller();
    for (const [method, path] of [
      ["GET", "/shipping/v2/shipments/amzn1.ship.x/unknownOperation"],
      ["POST", "/shipping/v2/oneClickShipment"],
    ] as const) {
      const res = await call(path, { method, headers: { "x-amz-access-token": token } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.headers.get("x-amzn-RequestId")).toBeTruthy();
      const body = (await res.json()) as { errors: { code: string; message: string }[] };
      expect(body.errors[0]?.code).toBe("NotFound");
    }
    const notifications = await call("/notifications/v1/unknown", {
      headers: { "x-amz-access-token": token },
    });
    expect(notifications.status).toBe(404);
    expect(((await notifications.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });
});
