import type { ConsignError } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { fakeFetch, json, PDF_BASE64, PDF_BYTES, sampleRequest } from "../test-support.ts";
import { createAmazonShippingAdapter } from "./adapter.ts";

const base = "https://sp.test";
const rate = {
  rateId: "R1",
  carrierId: "AMZN_UK",
  carrierName: "Amazon Shipping",
  serviceId: "SWA-UK-PREM",
  serviceName: "Amazon Shipping One Day",
  totalCharge: { value: 3.5, unit: "GBP" },
  promise: {},
  supportedDocumentSpecifications: [],
  requiresAdditionalInputs: false,
};
const purchased = {
  payload: {
    shipmentId: "S1",
    packageDocumentDetails: [
      {
        packageClientReferenceId: "k",
        trackingId: "QA1234567890",
        packageDocuments: [{ type: "LABEL", format: "PDF", contents: PDF_BASE64 }],
      },
    ],
    promise: {},
  },
};

function amazon(answer: Parameters<typeof fakeFetch>[0]) {
  const fake = fakeFetch(answer);
  return {
    ...fake,
    a: createAmazonShippingAdapter({ baseUrl: base, accessToken: () => "Atza|t" }, { fetch: fake.fetch }),
  };
}

describe("Amazon Shipping v2 adapter", () => {
  it("quotes, saves the rate, then purchases with x-amzn-IdempotencyKey", async () => {
    const remembered: unknown[] = [];
    const { a, calls } = amazon((call) =>
      call.url.endsWith("/rates")
        ? json({ payload: { requestToken: "T1", rates: [rate] } })
        : json(purchased),
    );
    const shipment = await a.createShipment(
      { ...sampleRequest, serviceCode: "SWA-UK-PREM" },
      { idempotencyKey: "o:1", rememberAttempt: (x) => void remembered.push(x) },
    );
    expect(shipment).toMatchObject({
      courierShipmentId: "S1",
      trackingNumber: "QA1234567890",
      packageReference: "k",
    });
    expect(shipment.labelPdf).toEqual(PDF_BYTES);
    expect(remembered).toEqual([{ requestToken: "T1", rateId: "R1" }]);
    expect(calls[0]?.headers["x-amz-access-token"]).toBe("Atza|t");
    expect(calls[0]?.body).toMatchObject({
      channelDetails: { channelType: "AMAZON", amazonOrderDetails: { orderId: sampleRequest.orderId } },
    });
    expect(calls[1]?.url).toBe(`${base}/shipping/v2/shipments`);
    expect(calls[1]?.headers["x-amzn-idempotencykey"]).toBe("o:1");
    expect(calls[1]?.body).toMatchObject({
      requestToken: "T1",
      rateId: "R1",
      requestedDocumentSpecification: { format: "PDF" },
    });
  });

  it("says why a service is not offered", async () => {
    const { a } = amazon(() =>
      json({
        payload: {
          requestToken: "T1",
          rates: [],
          ineligibleRates: [
            {
              serviceId: "SWA-UK-PREM",
              serviceName: "x",
              carrierName: "x",
              carrierId: "x",
              ineligibilityReasons: [{ code: "WEIGHT_RESTRICTIONS", message: "Package too heavy" }],
            },
          ],
        },
      }),
    );
    const err = (await a
      .createShipment({ ...sampleRequest, serviceCode: "SWA-UK-PREM" }, { idempotencyKey: "o:1" })
      .catch((e: unknown) => e)) as ConsignError;
    expect(err.code).toBe("upstream_rejected");
    expect(err.message).toContain("Package too heavy");
  });

  it("resolves an uncertain purchase by replaying it with the same key, and null when the rate expired unused", async () => {
    const { a, calls } = amazon((call) =>
      call.headers["x-amzn-idempotencykey"] === "seen"
        ? json(purchased)
        : json({ errors: [{ code: "TOKEN_EXPIRED", message: "Rate expired" }] }, 400),
    );
    expect(
      await a.findShipment({ idempotencyKey: "seen", attempt: { requestToken: "T1", rateId: "R1" } }),
    ).toMatchObject({ courierShipmentId: "S1" });
    expect(
      await a.findShipment({ idempotencyKey: "unseen", attempt: { requestToken: "T1", rateId: "R1" } }),
    ).toBeNull();
    expect(await a.findShipment({ idempotencyKey: "never-sent" })).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it("rejects a purchase answer without the payload wrapper as malformed", async () => {
    const { a } = amazon((call) =>
      call.url.endsWith("/rates")
        ? json({ payload: { requestToken: "T1", rates: [rate] } })
        : json(purchased.payload),
    );
    const err = (await a
      .createShipment({ ...sampleRequest, serviceCode: "SWA-UK-PREM" }, { idempotencyKey: "o:1" })
      .catch((e: unknown) => e)) as ConsignError;
    expect(err.code).toBe("upstream_malformed");
  });

  it("fetches Amazon's own ZPL at the printer's dpi, unchanged, and refuses a document that is not ZPL", async () => {
    const zpl = "^XA\n^PW812\n^FO24,500^BY3^BCN,160,N,N,N,A^FDQA1234567890^FS\n^XZ\n";
    const docs = (format: string, contents: string) =>
      json({
        payload: {
          shipmentId: "S1",
          packageDocumentDetail: {
            packageClientReferenceId: "k",
            trackingId: "QA1234567890",
            packageDocuments: [{ type: "LABEL", format, contents }],
          },
        },
      });
    const shipment = {
      courier: "amazon-shipping" as const,
      courierShipmentId: "S1",
      trackingNumber: "QA1234567890",
      serviceCode: "SWA-UK-PREM",
      packageReference: "k",
    };
    const { a, calls } = amazon(() => docs("ZPL", btoa(zpl)));
    expect(await a.fetchZplLabel?.(shipment, 300)).toBe(zpl);
    const asked = new URL(calls[0]!.url);
    expect(asked.pathname).toBe("/shipping/v2/shipments/S1/documents");
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      packageClientReferenceId: "k",
      format: "ZPL",
      dpi: "300",
    });
    const pdfInstead = amazon(() => docs("PDF", PDF_BASE64));
    const wrong = (await pdfInstead.a
      .fetchZplLabel?.(shipment, 203)
      .catch((e: unknown) => e)) as ConsignError;
    expect(wrong.message).toMatch(/as PDF when ZPL was asked for/);
    const notZpl = amazon(() => docs("ZPL", btoa("<html>oops</html>")));
    const broken = (await notZpl.a.fetchZplLabel?.(shipment, 203).catch((e: unknown) => e)) as ConsignError;
    expect(broken.code).toBe("upstream_malformed");
    expect(broken.message).toMatch(/not a whole ZPL format/);
  });

  it("tracks to delivered", async () => {
    const { a, calls } = amazon(() =>
      json({
        payload: {
          trackingId: "QA1234567890",
          alternateLegTrackingId: "",
          promisedDeliveryDate: "2026-11-22T18:00:00Z",
          eventHistory: [
            { eventCode: "Delivered", eventTime: "2026-11-21T12:00:00Z" },
            { eventCode: "ReadyForReceive", eventTime: "2026-11-20T12:00:00Z" },
          ],
          summary: { status: "Delivered" },
        },
      }),
    );
    const t = await a.track("QA1234567890");
    expect(t.delivered).toBe(true);
    expect(t.deliveredAt).toBe(Date.parse("2026-11-21T12:00:00Z"));
    expect(calls[0]?.url).toBe(`${base}/shipping/v2/tracking?trackingId=QA1234567890&carrierId=AMZN_UK`);
  });
});
