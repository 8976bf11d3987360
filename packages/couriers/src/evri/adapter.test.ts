import type { ConsignError } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { fakeFetch, json, sampleRequest } from "../test-support.ts";
import { createEvriAdapter } from "./adapter.ts";

const config = {
  baseUrl: "https://evri.test",
  username: "u",
  password: "p",
  clientId: "C1",
  clientName: "Acme",
};

describe("Evri adapter (assumed API)", () => {
  it("routes the delivery with our key as clientUniqueReference and reads the barcode", async () => {
    const fake = fakeFetch(() =>
      json({
        deliveryRoutingResponseEntries: [
          {
            clientUniqueReference: "o:1",
            outboundCarriers: {
              carrier1: { barcode1: { barcodeNumber: "H01HYA0012345678" }, sortLevel1: "12" },
            },
          },
        ],
      }),
    );
    const s = await createEvriAdapter(config, { fetch: fake.fetch }).createShipment(
      { ...sampleRequest, serviceCode: "EVRI48" },
      { idempotencyKey: "o:1" },
    );
    expect(s.trackingNumber).toBe("H01HYA0012345678");
    expect(fake.calls[0]?.body).toMatchObject({
      clientId: "C1",
      deliveryRoutingRequestEntries: [
        {
          clientUniqueReference: "o:1",
          parcel: { weight: 450 },
          customer: { address: { postCode: "SW1A 2AA", firstName: "Ada", lastName: "Lovelace" } },
        },
      ],
    });
  });

  it("gives Evri's error description as the reason", async () => {
    const fake = fakeFetch(() =>
      json({
        deliveryRoutingResponseEntries: [
          { errorMessages: [{ errorCode: 7, errorDescription: "Parcel weight exceeds 15kg" }] },
        ],
      }),
    );
    const err = (await createEvriAdapter(config, { fetch: fake.fetch })
      .createShipment(sampleRequest, { idempotencyKey: "o:1" })
      .catch((e: unknown) => e)) as ConsignError;
    expect(err.code).toBe("upstream_rejected");
    expect(err.message).toBe("Evri refused the label: Parcel weight exceeds 15kg");
  });

  it("refuses an empty routing answer as malformed", async () => {
    const fake = fakeFetch(() => json({ deliveryRoutingResponseEntries: [] }));
    const err = (await createEvriAdapter(config, { fetch: fake.fetch })
      .createShipment(sampleRequest, { idempotencyKey: "o:1" })
      .catch((e: unknown) => e)) as ConsignError;
    expect(err.code).toBe("upstream_malformed");
  });
});
