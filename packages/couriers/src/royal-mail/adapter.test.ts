import { ConsignError } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { isOutcomeUncertain } from "../http.ts";
import { fakeFetch, json, PDF_BASE64, PDF_BYTES, sampleRequest } from "../test-support.ts";
import { createRoyalMailAdapter } from "./adapter.ts";

const base = "https://rm.test/api/v1";
const key = "202-1234567-1234567:1";

function adapter(answer: Parameters<typeof fakeFetch>[0], timeout?: () => AbortSignal) {
  const fake = fakeFetch(answer);
  return {
    ...fake,
    rm: createRoyalMailAdapter(
      { baseUrl: base, apiKey: "k1" },
      { fetch: fake.fetch, ...(timeout ? { timeout } : {}) },
    ),
  };
}

describe("Royal Mail Click & Drop adapter", () => {
  it("creates the order with our key as orderReference and returns the tracking number and label", async () => {
    const { rm, calls } = adapter(() =>
      json({
        successCount: 1,
        errorsCount: 0,
        createdOrders: [
          {
            orderIdentifier: 1001,
            orderReference: key,
            createdOn: "2026-11-20T10:00:00Z",
            trackingNumber: "GQ660548056GB",
            label: PDF_BASE64,
          },
        ],
        failedOrders: [],
      }),
    );
    const shipment = await rm.createShipment(sampleRequest, { idempotencyKey: key });
    expect(shipment).toMatchObject({
      courierShipmentId: "1001",
      trackingNumber: "GQ660548056GB",
      serviceCode: "TPN24",
    });
    expect(shipment.labelPdf).toEqual(PDF_BYTES);
    const sent = calls[0];
    expect(sent?.url).toBe(`${base}/orders`);
    expect(sent?.headers.authorization).toBe("Bearer k1");
    const item = (sent!.body as { items: Record<string, unknown>[] }).items[0];
    expect(item).toMatchObject({
      orderReference: key,
      recipient: { address: { postcode: "SW1A 2AA", countryCode: "GB", fullName: "Ada Lovelace" } },
      packages: [{ weightInGrams: 450, packageFormatIdentifier: "smallParcel" }],
      postageDetails: { serviceCode: "TPN24" },
      subtotal: 9.99,
      shippingCostCharged: 2.5,
      total: 12.49,
    });
  });

  it("turns a failed order into a reason a packer can act on", async () => {
    const { rm } = adapter(() =>
      json({
        successCount: 0,
        errorsCount: 1,
        createdOrders: [],
        failedOrders: [
          {
            errors: [
              {
                errorCode: 21,
                errorMessage: "Recipient postcode is not recognised",
                fields: [{ fieldName: "postcode", value: "SW1A 1ZZ" }],
              },
            ],
          },
        ],
      }),
    );
    const error = await rm.createShipment(sampleRequest, { idempotencyKey: key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsignError);
    expect((error as ConsignError).code).toBe("upstream_rejected");
    expect((error as ConsignError).message).toBe(
      "Royal Mail refused the label: Recipient postcode is not recognised (postcode SW1A 1ZZ)",
    );
    expect(isOutcomeUncertain(error)).toBe(false);
  });

  it("reports a malformed answer as upstream_malformed", async () => {
    const { rm } = adapter(() => json({ createdOrders: [{ orderIdentifier: "not-a-number" }] }));
    const error = await rm.createShipment(sampleRequest, { idempotencyKey: key }).catch((e: unknown) => e);
    expect((error as ConsignError).code).toBe("upstream_malformed");
    expect((error as ConsignError).message).toContain("createdOrders.0.orderIdentifier");
  });

  it("reports a timeout as an uncertain outcome", async () => {
    const controller = new AbortController();
    controller.abort();
    const { rm } = adapter(
      () => json({}),
      () => controller.signal,
    );
    const error = await rm.createShipment(sampleRequest, { idempotencyKey: key }).catch((e: unknown) => e);
    expect((error as ConsignError).code).toBe("upstream_unavailable");
    expect(isOutcomeUncertain(error)).toBe(true);
  });

  it("looks an order up by its quoted, percent-encoded reference and says null when Royal Mail has none", async () => {
    const { rm, calls } = adapter((call) =>
      call.url.includes("missing")
        ? new Response(null, { status: 404 })
        : json([
            {
              orderIdentifier: 1001,
              orderReference: key,
              createdOn: "2026-11-20T10:00:00Z",
              trackingNumber: "GQ660548056GB",
            },
          ]),
    );
    expect(await rm.findShipment({ idempotencyKey: key })).toMatchObject({
      courierShipmentId: "1001",
      trackingNumber: "GQ660548056GB",
    });
    expect(calls[0]?.url).toBe(`${base}/orders/"202-1234567-1234567%3A1"`);
    expect(await rm.findShipment({ idempotencyKey: "missing:1" })).toBeNull();
  });

  it("fetches the postage label as a PDF and refuses anything else", async () => {
    const { rm, calls } = adapter((call) =>
      call.url.includes("/1001/") ? new Response(PDF_BYTES) : new Response("<html>", { status: 200 }),
    );
    const shipment = {
      courier: "royal-mail" as const,
      courierShipmentId: "1001",
      trackingNumber: "GQ660548056GB",
      serviceCode: "TPN24",
    };
    expect(await rm.fetchLabel(shipment)).toEqual(PDF_BYTES);
    expect(calls[0]?.url).toBe(
      `${base}/orders/1001/label?documentType=postageLabel&includeReturnsLabel=false`,
    );
    const err = await rm.fetchLabel({ ...shipment, courierShipmentId: "2" }).catch((e: unknown) => e);
    expect((err as ConsignError).code).toBe("upstream_malformed");
  });

  it("offers only the formats the parcel fits", async () => {
    const { rm } = adapter(() => json({}));
    const largeLetter = await rm.services({
      package: { weightGrams: 700, lengthMm: 350, widthMm: 250, heightMm: 20 },
      destination: { postcode: "SW1A 1AA", countryCode: "GB" },
    });
    expect(largeLetter.map((s) => s.format)).toEqual(["large-letter", "large-letter", "large-letter"]);
    const tooThick = await rm.services({
      package: { weightGrams: 700, lengthMm: 350, widthMm: 250, heightMm: 30 },
      destination: { postcode: "SW1A 1AA", countryCode: "GB" },
    });
    expect(tooThick[0]?.format).toBe("small-parcel");
    expect(
      await rm.services({
        package: { weightGrams: 20001 },
        destination: { postcode: "SW1A 1AA", countryCode: "GB" },
      }),
    ).toEqual([]);
  });

  it("refuses credentials as courier_not_connected", async () => {
    const { rm } = adapter(() => new Response(null, { status: 401 }));
    const err = await rm.createShipment(sampleRequest, { idempotencyKey: key }).catch((e: unknown) => e);
    expect((err as ConsignError).code).toBe("courier_not_connected");
  });
});

describe("Royal Mail: the format a shipping rule asks for", () => {
  const created = () =>
    json({
      successCount: 1,
      errorsCount: 0,
      createdOrders: [
        {
          orderIdentifier: 1002,
          orderReference: key,
          createdOn: "2026-11-20T10:00:00Z",
          trackingNumber: "GQ660548056GB",
          label: PDF_BASE64,
        },
      ],
      failedOrders: [],
    });
  const formatSent = (calls: { body: unknown }[]) =>
    (calls[0]!.body as { items: { packages: { packageFormatIdentifier: string }[] }[] }).items[0]!
      .packages[0]!.packageFormatIdentifier;

  it("buys the format asked for even when a smaller one would fit (a large letter sent as a small parcel)", async () => {
    const { rm, calls } = adapter(created);
    const letterSized = { weightGrams: 300, lengthMm: 300, widthMm: 200, heightMm: 20 };
    await rm.createShipment(
      { ...sampleRequest, package: { ...letterSized, format: "small-parcel" } },
      { idempotencyKey: key },
    );
    expect(formatSent(calls)).toBe("smallParcel");
  });

  it("buys a large letter when the rule says so and the parcel fits one", async () => {
    const { rm, calls } = adapter(created);
    await rm.createShipment(
      {
        ...sampleRequest,
        package: { weightGrams: 300, lengthMm: 300, widthMm: 200, heightMm: 20, format: "large-letter" },
      },
      { idempotencyKey: key },
    );
    expect(formatSent(calls)).toBe("largeLetter");
  });

  it("refuses, naming the parcel and the limits, when the parcel is over the format asked for: nothing is bought", async () => {
    const { rm, calls } = adapter(created);
    const err = await rm
      .createShipment(
        {
          ...sampleRequest,
          package: { weightGrams: 900, lengthMm: 300, widthMm: 200, heightMm: 50, format: "large-letter" },
        },
        { idempotencyKey: key },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConsignError);
    expect((err as ConsignError).code).toBe("bad_request");
    expect((err as Error).message).toBe(
      "The rule asks for a Royal Mail large letter, but this parcel (900 g, 300 × 200 × 50 mm) is over its limits (750 g, 353 × 250 × 25 mm): choose a bigger format in the rule, or set this order's parcel.",
    );
    expect(calls).toHaveLength(0);
  });

  it("buys a batch in one POST /orders and matches each answer to its order by orderReference", async () => {
    const keys = [
      "202-0000001-0000001:1",
      "202-0000002-0000002:1",
      "202-0000003-0000003:1",
      "202-0000004-0000004:1",
    ];
    const { rm, calls } = adapter((call) => {
      const items = (call.body as { items: { orderReference: string }[] }).items;
      // Royal Mail answers in its own order: the refusal first, the created orders reversed.
      return json({
        successCount: 2,
        errorsCount: 1,
        failedOrders: [
          {
            order: items[1],
            errors: [
              {
                errorCode: 22,
                errorMessage: "Recipient postcode is not recognised",
                fields: [{ fieldName: "postcode", value: "SW1A 1ZZ" }],
              },
            ],
          },
        ],
        createdOrders: [items[2], items[0]].map((item, i) => ({
          orderIdentifier: 2000 + i,
          orderReference: item!.orderReference,
          createdOn: "2026-11-20T10:00:00Z",
          trackingNumber: i === 0 ? "GQ660548056GB" : "FQ087430672GB",
          label: PDF_BASE64,
        })),
        // the 4th order is in neither list: its outcome is unknown, left for a lookup
      });
    });
    const outcomes = await rm.batch!.createShipments(
      keys.map((k) => ({
        idempotencyKey: k,
        request: { ...sampleRequest, orderId: k.slice(0, 19) },
      })),
    );
    expect(calls).toHaveLength(1);
    expect((calls[0]!.body as { items: unknown[] }).items).toHaveLength(4);
    expect(outcomes.get(keys[0]!)).toMatchObject({
      created: { courierShipmentId: "2001", trackingNumber: "FQ087430672GB" },
    });
    expect(outcomes.get(keys[2]!)).toMatchObject({
      created: { courierShipmentId: "2000", trackingNumber: "GQ660548056GB" },
    });
    const refused = outcomes.get(keys[1]!);
    expect(refused && "refused" in refused && refused.refused.message).toBe(
      "Royal Mail refused the label: Recipient postcode is not recognised (postcode SW1A 1ZZ)",
    );
    expect(outcomes.has(keys[3]!)).toBe(false);
    expect(rm.batch!.maxPerCall).toBe(25);
  });

  it("refuses an order whose parcel Royal Mail cannot carry without sending it, and looks up a batch in one call", async () => {
    const { rm, calls } = adapter((call) =>
      call.method === "GET"
        ? json([
            {
              orderIdentifier: 7,
              orderReference: "b:1",
              createdOn: "2026-11-20T10:00:00Z",
              trackingNumber: "GQ660548056GB",
            },
          ])
        : json({ createdOrders: [], failedOrders: [] }),
    );
    const outcomes = await rm.batch!.createShipments([
      { idempotencyKey: "a:1", request: { ...sampleRequest, package: { weightGrams: 25_000 } } },
    ]);
    expect(calls).toHaveLength(0);
    const a = outcomes.get("a:1");
    expect(a && "refused" in a && a.refused.message).toContain("too big or too heavy for Royal Mail");
    const found = await rm.batch!.findShipments([{ idempotencyKey: "a:1" }, { idempotencyKey: "b:1" }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${base}/orders/"a%3A1";"b%3A1"`);
    expect([...found.keys()]).toEqual(["b:1"]);
    expect(found.get("b:1")).toMatchObject({ courierShipmentId: "7", trackingNumber: "GQ660548056GB" });
  });
});
