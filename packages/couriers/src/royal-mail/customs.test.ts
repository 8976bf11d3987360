import type { CustomsDeclaration } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { fakeFetch, json, sampleRequest } from "../test-support.ts";
import type { ShipmentRequest } from "../types.ts";
import { createRoyalMailAdapter } from "./adapter.ts";

const declaration: CustomsDeclaration = {
  zone: "eu",
  category: "saleOfGoods",
  form: "CN22",
  lines: [
    {
      sku: "MUG-1",
      description: "Ceramic coffee mug",
      hsCode: "6912002310",
      originCountry: "GB",
      quantity: 1,
      unitValue: 9.99,
      unitWeightGrams: 400,
    },
  ],
  totalValue: 9.99,
  currencyCode: "GBP",
  iossNumber: "IM2760000742",
};

const created = () =>
  json({
    createdOrders: [
      { orderIdentifier: 7, createdOn: "2026-11-20T10:00:00Z", trackingNumber: "GQ660548056GB" },
    ],
  });

async function sent(request: ShipmentRequest) {
  const fake = fakeFetch(created);
  const rm = createRoyalMailAdapter(
    { baseUrl: "https://rm.test/api/v1", apiKey: "k" },
    { fetch: fake.fetch },
  );
  await rm.createShipment(request, { idempotencyKey: "o:1" });
  return (fake.calls[0]!.body as { items: Record<string, unknown>[] }).items[0]!;
}

describe("Royal Mail customs", () => {
  it("sends each line's customs fields and the IOSS number, and prints its own CN22 (not Click & Drop's)", async () => {
    const item = await sent({ ...sampleRequest, customs: declaration });
    expect(item).toMatchObject({
      packages: [
        {
          contents: [
            {
              name: "Mug",
              SKU: "MUG-1",
              quantity: 1,
              unitValue: 9.99,
              unitWeightInGrams: 400,
              customsDescription: "Ceramic coffee mug",
              customsCode: "6912002310",
              originCountryCode: "GB",
              customsDeclarationCategory: "saleOfGoods",
            },
          ],
        },
      ],
      postageDetails: { serviceCode: "TPN24", IOSSNumber: "IM2760000742" },
      label: { includeLabelInResponse: true, includeCN: false },
    });
  });

  it("sends no customs fields and no CN22 for a parcel within the UK", async () => {
    const item = await sent(sampleRequest);
    const contents = (item.packages as { contents: Record<string, unknown>[] }[])[0]!.contents;
    expect(contents[0]).not.toHaveProperty("customsCode");
    expect(item.postageDetails).toEqual({ serviceCode: "TPN24" });
    expect(item.label).toMatchObject({ includeCN: false });
  });

  it("offers its domestic services to Jersey, Guernsey and the Isle of Man, not to France", async () => {
    const rm = createRoyalMailAdapter(
      { baseUrl: "https://rm.test", apiKey: "k" },
      { fetch: fakeFetch(created).fetch },
    );
    const pkg = { weightGrams: 400 };
    for (const countryCode of ["JE", "GG", "IM"]) {
      expect(
        (await rm.services({ package: pkg, destination: { postcode: "JE2 4ST", countryCode } })).length,
      ).toBeGreaterThan(0);
    }
    expect(
      await rm.services({ package: pkg, destination: { postcode: "75001", countryCode: "FR" } }),
    ).toEqual([]);
  });
});
