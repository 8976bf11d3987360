import { describe, expect, it } from "vitest";
import { call, fromBase64, isPdf, jsonInit, pdfText, setFaults } from "../src/couriers/testing.ts";

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

const counts = async (token: string) =>
  (await (
    await call(`/_sandbox/couriers/amazon-shipping/accounts/${encodeURIComponent(token)}/purchases`)
  ).json()) as { purchases: number };

describe("Amazon Shipping v2 sandbox", () => {
  it("refuses calls without x-amz-access-token with 403 and an ErrorList", async () => {
    const res = await call("/shipping/v2/shipments/rates", jsonInit("POST", ratesBody()));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it("checks the rates request: required shipFrom and a UK postcode", async () => {
    const token = crypto.randomUUID();
    const { shipFrom: _omit, ...noFrom } = ratesBody();
    expect((await rates(token, noFrom)).status).toBe(400);
    const bad = await rates(token, ratesBody("NOPE"));
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.details).toContain("not a valid UK postcode");
  });

  it("marks services ineligible over the weight limit", async () => {
    const { body } = await rates(crypto.randomUUID(), ratesBody("SW1A 2AA", 24000));
    expect(body.payload.rates).toHaveLength(0);
    expect(body.payload.ineligibleRates[0]?.ineligibilityReasons[0]?.code).toBe("WEIGHT_RESTRICTIONS");
  });

  it("buys once per x-amzn-IdempotencyKey and returns a PDF label with the tracking id", async () => {
    const token = crypto.randomUUID();
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
    expect((await counts(token)).purchases).toBe(1);
    await buy(token, body.payload.requestToken, rate.rateId);
    expect((await counts(token)).purchases).toBe(2);
  });

  it("refuses an unknown rate and answers 500 when a server error is armed", async () => {
    const token = crypto.randomUUID();
    const { body } = await rates(token, ratesBody());
    expect((await buy(token, body.payload.requestToken, "nope", "k")).status).toBe(400);
    await setFaults("amazon-shipping", token, { serverErrors: 1 });
    expect((await buy(token, body.payload.requestToken, body.payload.rates[0]!.rateId, "k")).status).toBe(
      500,
    );
    expect((await counts(token)).purchases).toBe(0);
  });

  it("cancels a shipment once", async () => {
    const token = crypto.randomUUID();
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
});
