import type { ConsignError } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { fakeFetch, json, sampleRequest } from "../test-support.ts";
import { createDpdAdapter } from "./adapter.ts";

const config = { baseUrl: "https://dpd.test", username: "u", password: "p", accountNumber: "123" };

describe("DPD adapter (assumed API)", () => {
  it("signs in once and sends GeoSession with the shipment", async () => {
    const fake = fakeFetch((call) =>
      call.url.endsWith("action=login")
        ? json({ error: null, data: { geoSession: "G1" } })
        : json({
            error: null,
            data: {
              shipmentId: 9,
              consolidated: false,
              consignmentDetail: [{ consignmentNumber: "1234567890", parcelNumbers: ["15501234567890"] }],
            },
          }),
    );
    const dpd = createDpdAdapter(config, { fetch: fake.fetch });
    const s = await dpd.createShipment({ ...sampleRequest, serviceCode: "1^12" }, { idempotencyKey: "o:1" });
    await dpd.createShipment({ ...sampleRequest, serviceCode: "1^12" }, { idempotencyKey: "o:2" });
    expect(s).toMatchObject({
      courierShipmentId: "9",
      trackingNumber: "15501234567890",
      packageReference: "1234567890",
    });
    expect(fake.calls.filter((c) => c.url.endsWith("action=login"))).toHaveLength(1);
    expect(fake.calls[0]?.headers.authorization).toBe(`Basic ${btoa("u:p")}`);
    expect(fake.calls[1]?.headers.geosession).toBe("G1");
    expect(fake.calls[1]?.body).toMatchObject({
      consignment: [{ networkCode: "1^12", shippingRef1: "o:1", totalWeight: 0.45 }],
    });
  });

  it("reports DPD's own error list as a refusal, and a missing parcel number as malformed", async () => {
    const refuse = fakeFetch((call) =>
      call.url.endsWith("action=login")
        ? json({ error: null, data: { geoSession: "G1" } })
        : json({
            error: [
              {
                errorCode: "1008",
                errorType: "validation",
                errorMessage: "Invalid postcode",
                obj: "deliveryDetails.address.postcode",
              },
            ],
            data: null,
          }),
    );
    const err = (await createDpdAdapter(config, { fetch: refuse.fetch })
      .createShipment(sampleRequest, { idempotencyKey: "o:1" })
      .catch((e: unknown) => e)) as ConsignError;
    expect(err.code).toBe("upstream_rejected");
    expect(err.message).toContain("Invalid postcode (deliveryDetails.address.postcode)");

    const malformed = fakeFetch((call) =>
      call.url.endsWith("action=login")
        ? json({ error: null, data: { geoSession: "G1" } })
        : json({
            error: null,
            data: { shipmentId: 9, consignmentDetail: [{ consignmentNumber: "1", parcelNumbers: [] }] },
          }),
    );
    const err2 = (await createDpdAdapter(config, { fetch: malformed.fetch })
      .createShipment(sampleRequest, { idempotencyKey: "o:1" })
      .catch((e: unknown) => e)) as ConsignError;
    expect(err2.code).toBe("upstream_malformed");
  });
});
