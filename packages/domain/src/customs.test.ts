import { describe, expect, it } from "vitest";
import { customsFor, customsZone, skuCustomsSchema } from "./customs.ts";
import { labelEligibility } from "./eligibility.ts";
import type { Address, Order } from "./order.ts";
import { makeOrder } from "./testing/generate.ts";

const jersey: Address = {
  name: "Ann Le Cornu",
  line1: "12 Bath Street",
  city: "St Helier",
  postcode: "JE2 4ST",
  countryCode: "GB",
};
const mug = { description: "Ceramic coffee mug", hsCode: "6912002310", originCountry: "GB" };
const weights = { skuWeights: { "MUG-0001-BL": 400 }, packagingGrams: 50 };

const to = (recipient: Address, extra: Partial<Order> = {}) =>
  makeOrder({
    recipient,
    items: [
      {
        orderItemId: "1",
        sku: "MUG-0001-BL",
        asin: "A",
        title: "Blue Coffee Mug",
        quantityOrdered: 2,
        quantityShipped: 0,
        unitPrice: { amount: "9.50", currencyCode: "GBP" },
      },
    ],
    ...extra,
  });

describe("customs zones", () => {
  it("needs no declaration within the UK's domestic post", () => {
    expect(customsZone({ postcode: "LS1 4AP", countryCode: "GB" })).toBeNull();
    expect(customsZone({ postcode: "BT1 1AA", countryCode: "GB" })).toBeNull();
  });

  it("sends the Channel Islands, the Isle of Man and BFPO with customs data, GB postcodes or not", () => {
    expect(customsZone({ postcode: "JE2 4ST", countryCode: "GB" })).toBe("channel_islands");
    expect(customsZone({ postcode: "GY1 1AA", countryCode: "GG" })).toBe("channel_islands");
    expect(customsZone({ postcode: "IM1 1AG", countryCode: "GB" })).toBe("isle_of_man");
    expect(customsZone({ postcode: "BFPO 801", countryCode: "GB" })).toBe("bfpo");
  });

  it("tells the EU (IOSS) from the rest of the world", () => {
    expect(customsZone({ postcode: "75001", countryCode: "FR" })).toBe("eu");
    expect(customsZone({ postcode: "10001", countryCode: "US" })).toBe("international");
  });
});

describe("per-SKU customs data", () => {
  it("takes an HS code with spaces or dots and an origin in lower case", () => {
    expect(
      skuCustomsSchema.parse({ description: "Mug", hsCode: "6912.00 23 10", originCountry: "cn" }),
    ).toEqual({ description: "Mug", hsCode: "6912002310", originCountry: "CN" });
  });

  it("refuses what Click & Drop would refuse, saying how to fix it", () => {
    const r = skuCustomsSchema.safeParse({
      description: "x".repeat(51),
      hsCode: "69",
      originCountry: "China",
    });
    expect(r.success).toBe(false);
    const messages = r.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(messages).toEqual([
      "description: Royal Mail takes a customs description of at most 50 characters: shorten it",
      "hsCode: the HS tariff code is 6 to 10 digits (look it up at trade-tariff.service.gov.uk)",
      "originCountry: the country of origin is a two-letter code, like GB or CN",
    ]);
  });
});

describe("the declaration", () => {
  it("declares each line with the price paid, the SKU's net weight and sale of goods", () => {
    const r = customsFor(to(jersey), { ...weights, skuCustoms: { "MUG-0001-BL": mug } });
    expect(r).toEqual({
      needed: true,
      declaration: {
        zone: "channel_islands",
        category: "saleOfGoods",
        form: "CN22",
        lines: [{ sku: "MUG-0001-BL", ...mug, quantity: 2, unitValue: 9.5, unitWeightGrams: 400 }],
        totalValue: 19,
        currencyCode: "GBP",
      },
    });
  });

  it("uses the SKU's declared value over the price, and a CN23 above £270", () => {
    const r = customsFor(to(jersey), { skuCustoms: { "MUG-0001-BL": { ...mug, unitValue: 150 } } }, 900);
    expect(r).toMatchObject({
      declaration: { form: "CN23", totalValue: 300, lines: [{ unitValue: 150, unitWeightGrams: 450 }] },
    });
  });

  it("carries Amazon's IOSS number on EU parcels, before the seller's own", () => {
    const paris: Address = { ...jersey, city: "Paris", postcode: "75001", countryCode: "FR" };
    const order = to(paris);
    order.items[0]!.iossNumber = "IM2760000742";
    const r = customsFor(order, { skuCustoms: { "MUG-0001-BL": mug }, iossNumber: "IM9999999999" });
    expect(r).toMatchObject({ declaration: { zone: "eu", iossNumber: "IM2760000742" } });
  });
});

describe("label eligibility with customs", () => {
  it("names each SKU and field missing before any label is bought", () => {
    const e = labelEligibility(to(jersey), weights);
    expect(e).toEqual({
      eligible: false,
      block: "missing_customs",
      message:
        "Parcels to the Channel Islands need customs data: add it for SKU MUG-0001-BL (description, HS tariff code, country of origin) under Settings → Stock → Customs before buying a label.",
      field: "skuCustoms.MUG-0001-BL.description",
      skus: ["MUG-0001-BL"],
    });
  });

  it("names the value when neither the SKU nor Amazon gives one", () => {
    const order = to({ ...jersey, postcode: "BFPO 801" });
    delete order.items[0]!.unitPrice;
    const e = labelEligibility(order, { ...weights, skuCustoms: { "MUG-0001-BL": mug } });
    expect(e).toMatchObject({ block: "missing_customs", field: "skuCustoms.MUG-0001-BL.unitValue" });
    expect(!e.eligible && e.message).toContain("a BFPO address");
  });

  it("asks for an IOSS number on a low-value EU parcel without one", () => {
    const e = labelEligibility(to({ ...jersey, postcode: "10115", countryCode: "DE" }), {
      ...weights,
      skuCustoms: { "MUG-0001-BL": mug },
    });
    expect(e).toMatchObject({ eligible: false, block: "missing_customs", field: "iossNumber", skus: [] });
  });

  it("lets the order through once the data is there, and never asks it of UK orders", () => {
    expect(labelEligibility(to(jersey), { ...weights, skuCustoms: { "MUG-0001-BL": mug } }).eligible).toBe(
      true,
    );
    expect(labelEligibility(to({ ...jersey, postcode: "LS1 4AP" }), weights).eligible).toBe(true);
  });
});
