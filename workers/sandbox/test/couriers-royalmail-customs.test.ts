import { describe, expect, it } from "vitest";
import { call, fromBase64, jsonInit, pdfText, purchases } from "../src/couriers/testing.ts";

const base = "/royalmail/api/v1";

const jersey = {
  fullName: "Ann Le Cornu",
  addressLine1: "12 Bath Street",
  city: "St Helier",
  postcode: "JE2 4ST",
  countryCode: "GB",
};
const declared = {
  customsDescription: "Ceramic coffee mug",
  customsCode: "6912002310",
  originCountryCode: "GB",
  customsDeclarationCategory: "saleOfGoods",
};

function order(
  address: Record<string, unknown>,
  line: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    orderReference: `202-${crypto.randomUUID().slice(0, 7)}:1`,
    recipient: { address },
    packages: [
      {
        weightInGrams: 500,
        packageFormatIdentifier: "smallParcel",
        contents: [
          { name: "Blue mug", SKU: "MUG-1", quantity: 2, unitValue: 9.5, unitWeightInGrams: 400, ...line },
        ],
      },
    ],
    orderDate: "2026-11-20T10:00:00Z",
    subtotal: 19,
    shippingCostCharged: 0,
    total: 19,
    postageDetails: { serviceCode: "TPN24" },
    label: { includeLabelInResponse: true, includeCN: true },
    ...extra,
  };
}

type Answer = {
  createdOrders: { trackingNumber: string; label?: string; generatedDocuments?: string[] }[];
  failedOrders: { errors: { errorMessage: string; fields: { fieldName: string }[] }[] }[];
};

async function create(key: string, item: unknown) {
  const res = await call(
    `${base}/orders`,
    jsonInit("POST", { items: [item] }, { Authorization: `Bearer ${key}` }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

// The first call starts the sandbox's Durable Objects: seconds on a loaded 2-core machine, not behaviour.
describe("Click & Drop customs in the sandbox", { timeout: 30_000 }, () => {
  it("refuses a Jersey parcel without customs fields, naming each one, and sells nothing", async () => {
    const key = `rm-customs-${crypto.randomUUID()}`;
    const body = await create(key, order(jersey, {}));
    expect(body.createdOrders).toEqual([]);
    const fields = body.failedOrders[0]!.errors.map((e) => e.fields[0]!.fieldName);
    expect(fields).toEqual([
      "packages[0].contents[0].customsDescription",
      "packages[0].contents[0].customsCode",
      "packages[0].contents[0].originCountryCode",
      "packages[0].contents[0].customsDeclarationCategory",
    ]);
    expect(await purchases("royalmail", key)).toBe(0);
  });

  it("refuses a description longer than the model's 50 characters", async () => {
    const body = await create(
      `rm-customs-${crypto.randomUUID()}`,
      order(jersey, { ...declared, customsDescription: "m".repeat(51) }),
    );
    expect(body.failedOrders[0]!.errors[0]!.errorMessage).toContain("customsDescription");
  });

  it("sells the label once the fields are there, with the CN22 on it", async () => {
    const key = `rm-customs-${crypto.randomUUID()}`;
    const body = await create(key, order(jersey, declared));
    expect(body.failedOrders).toEqual([]);
    const created = body.createdOrders[0]!;
    expect(created.generatedDocuments).toEqual(["postageLabel", "CN22"]);
    const text = pdfText(fromBase64(created.label!));
    expect(text).toContain("CN22 customs declaration");
    expect(text).toContain("HS 6912002310");
    expect(await purchases("royalmail", key)).toBe(1);
  });

  it("asks an EU parcel under €150 for the IOSS number", async () => {
    const paris = { ...jersey, city: "Paris", postcode: "75001", countryCode: "FR" };
    const refused = await create(`rm-customs-${crypto.randomUUID()}`, order(paris, declared));
    expect(refused.failedOrders[0]!.errors.map((e) => e.fields[0]!.fieldName)).toEqual(["IOSSNumber"]);
    const bought = await create(
      `rm-customs-${crypto.randomUUID()}`,
      order(paris, declared, { postageDetails: { serviceCode: "TPN24", IOSSNumber: "IM2760000742" } }),
    );
    expect(bought.createdOrders).toHaveLength(1);
  });

  it("takes a parcel within the UK without any customs fields", async () => {
    const body = await create(
      `rm-customs-${crypto.randomUUID()}`,
      order({ ...jersey, postcode: "LS1 4AP" }, {}),
    );
    expect(body.createdOrders).toHaveLength(1);
  });
});
