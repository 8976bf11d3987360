// DPD and Evri carry customs data the way each asks, and their sandboxes refuse a Jersey parcel
// without it: the adapters against the sandboxes in workerd.
import { createDpdAdapter, createEvriAdapter, type ShipmentRequest } from "@consign/couriers";
import { ConsignError, type CustomsDeclaration } from "@consign/domain";
import { describe, expect, it } from "vitest";

const ctx = { fetch: (input: string, init?: RequestInit) => fetch(input, init) };
const declaration: CustomsDeclaration = {
  zone: "channel_islands",
  category: "saleOfGoods",
  form: "CN22",
  lines: [
    {
      sku: "MUG-1",
      description: "Ceramic coffee mug",
      hsCode: "6912002310",
      originCountry: "GB",
      quantity: 2,
      unitValue: 9.5,
      unitWeightGrams: 400,
    },
  ],
  totalValue: 19,
  currencyCode: "GBP",
};
const request = (orderId: string, customs?: CustomsDeclaration): ShipmentRequest => ({
  orderId,
  serviceCode: "",
  recipient: {
    name: "Ann Le Cornu",
    line1: "12 Bath Street",
    city: "St Helier",
    postcode: "JE2 4ST",
    countryCode: "GB",
  },
  sender: {
    name: "Despatch",
    companyName: "Acme",
    line1: "1 Mill Lane",
    city: "Leeds",
    postcode: "LS1 1AA",
    countryCode: "GB",
  },
  package: { weightGrams: 900 },
  contents: [{ sku: "MUG-1", description: "Blue mug", quantity: 2, unitValue: 9.5 }],
  orderDate: Date.now(),
  goodsValue: 19,
  ...(customs ? { customs } : {}),
});

describe("customs with DPD and Evri", { timeout: 60_000 }, () => {
  it("DPD refuses a Jersey parcel without customs data and sells it with", async () => {
    const dpd = createDpdAdapter(
      {
        baseUrl: "http://127.0.0.1:8788/dpd",
        username: `customs-${crypto.randomUUID()}`,
        password: "pw",
        accountNumber: "1234567",
      },
      ctx,
    );
    expect(
      (
        await dpd.services({
          package: { weightGrams: 900 },
          destination: { postcode: "JE2 4ST", countryCode: "JE" },
        })
      ).length,
    ).toBe(2);
    const id = `202-${crypto.randomUUID().slice(0, 7)}`;
    const refused = await dpd
      .createShipment({ ...request(id), serviceCode: "1^12" }, { idempotencyKey: `${id}:1` })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConsignError);
    expect((refused as Error).message).toContain("customsValue");
    const bought = await dpd.createShipment(
      { ...request(id, declaration), serviceCode: "1^12" },
      { idempotencyKey: `${id}:2` },
    );
    expect(bought.trackingNumber).toMatch(/^\d{14}$/);
  });

  it("Evri refuses a Jersey parcel without customsAndTaxes and sells it with", async () => {
    const evri = createEvriAdapter(
      {
        baseUrl: "http://127.0.0.1:8788/evri",
        username: `customs-${crypto.randomUUID()}`,
        password: "pw",
        clientId: "123",
        clientName: "Acme",
      },
      ctx,
    );
    const id = `202-${crypto.randomUUID().slice(0, 7)}`;
    const refused = await evri
      .createShipment({ ...request(id), serviceCode: "EVRI48" }, { idempotencyKey: `${id}:1` })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConsignError);
    expect((refused as Error).message).toContain("customsAndTaxes.items");
    const bought = await evri.createShipment(
      { ...request(id, declaration), serviceCode: "EVRI48" },
      { idempotencyKey: `${id}:2` },
    );
    expect(bought.trackingNumber).toHaveLength(16);
  });
});
