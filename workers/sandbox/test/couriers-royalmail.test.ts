import { describe, expect, it } from "vitest";
import { s10 } from "../src/couriers/rules.ts";
import {
  call,
  callOnce,
  fromBase64,
  isPdf,
  jsonInit,
  pdfText,
  purchases,
  setFaults,
  validS10,
} from "../src/couriers/testing.ts";

const base = "/royalmail/api/v1";

function order(overrides: Record<string, unknown> = {}, pkg: Record<string, unknown> = {}) {
  return {
    orderReference: `202-${crypto.randomUUID().slice(0, 7)}:1`,
    recipient: {
      address: {
        fullName: "Ada Lovelace",
        addressLine1: "10 Downing Street",
        city: "London",
        postcode: "SW1A 2AA",
        countryCode: "GB",
      },
    },
    packages: [{ weightInGrams: 500, packageFormatIdentifier: "smallParcel", ...pkg }],
    orderDate: "2026-11-20T10:00:00Z",
    subtotal: 9.99,
    shippingCostCharged: 2.5,
    total: 12.49,
    postageDetails: { serviceCode: "TPN24" },
    label: { includeLabelInResponse: true },
    ...overrides,
  };
}

type CreateAnswer = {
  successCount: number;
  errorsCount: number;
  createdOrders: {
    orderIdentifier: number;
    orderReference: string;
    trackingNumber: string;
    label?: string;
  }[];
  failedOrders: {
    errors: { errorCode: number; errorMessage: string; fields: { fieldName: string; value: string }[] }[];
  }[];
};

async function create(key: string, items: unknown[]) {
  const res = await call(`${base}/orders`, jsonInit("POST", { items }, { Authorization: `Bearer ${key}` }));
  return { status: res.status, body: (await res.json()) as CreateAnswer };
}

describe("Royal Mail Click & Drop sandbox", () => {
  it("refuses a request without a Bearer key", async () => {
    const res = await call(`${base}/orders`, jsonInit("POST", { items: [order()] }));
    expect(res.status).toBe(401);
  });

  it("creates an order with a valid S10 tracking number and a PDF label that carries it", async () => {
    const key = crypto.randomUUID();
    const { status, body } = await create(key, [order()]);
    expect(status).toBe(200);
    expect(body.successCount).toBe(1);
    const created = body.createdOrders[0]!;
    expect(validS10(created.trackingNumber)).toBe(true);
    const pdf = fromBase64(created.label!);
    expect(isPdf(pdf)).toBe(true);
    expect(pdfText(pdf)).toContain(created.trackingNumber);
    expect(pdfText(pdf)).toContain("/BaseFont /Helvetica");
  });

  it("generates S10 numbers the published example confirms", () => {
    expect(s10("GQ", 66054805)).toBe("GQ660548056GB");
    expect(s10("FQ", 8743067)).toBe("FQ087430672GB");
  });

  it("answers the same order for the same orderReference and never buys twice", async () => {
    const key = crypto.randomUUID();
    const o = order();
    const first = await create(key, [o]);
    const second = await create(key, [o]);
    expect(second.body.createdOrders[0]?.orderIdentifier).toBe(first.body.createdOrders[0]?.orderIdentifier);
    expect(second.body.createdOrders[0]?.trackingNumber).toBe(first.body.createdOrders[0]?.trackingNumber);
    expect(await purchases("royalmail", key)).toBe(1);
  });

  it("checks each service's format limits: large letter 750 g and 353x250x25 mm", async () => {
    const key = crypto.randomUUID();
    const { body } = await create(key, [
      order(
        {},
        {
          packageFormatIdentifier: "largeLetter",
          weightInGrams: 750,
          dimensions: { heightInMms: 353, widthInMms: 250, depthInMms: 25 },
        },
      ),
      order({}, { packageFormatIdentifier: "largeLetter", weightInGrams: 751 }),
      order(
        {},
        {
          packageFormatIdentifier: "largeLetter",
          weightInGrams: 300,
          dimensions: { heightInMms: 353, widthInMms: 250, depthInMms: 26 },
        },
      ),
      order({}, { packageFormatIdentifier: "smallParcel", weightInGrams: 2001 }),
      order(
        {},
        {
          packageFormatIdentifier: "smallParcel",
          weightInGrams: 1500,
          dimensions: { heightInMms: 451, widthInMms: 300, depthInMms: 100 },
        },
      ),
      order({}, { packageFormatIdentifier: "mediumParcel", weightInGrams: 20000 }),
      order({}, { packageFormatIdentifier: "mediumParcel", weightInGrams: 20001 }),
    ]);
    expect(body.successCount).toBe(2);
    expect(body.failedOrders.map((f) => f.errors[0]?.errorMessage)).toEqual([
      "A large letter weighs 750 g at most",
      "A large letter measures 353x250x25 mm at most",
      "A small parcel weighs 2000 g at most",
      "A small parcel measures 450x350x160 mm at most",
      "A medium parcel weighs 20000 g at most",
    ]);
    expect(await purchases("royalmail", key)).toBe(2);
  });

  it("refuses bad postcodes, unknown services and missing required fields with the field named", async () => {
    const key = crypto.randomUUID();
    const noTotal: Record<string, unknown> = order();
    delete noTotal.total;
    const { body } = await create(key, [
      order({
        recipient: {
          address: { addressLine1: "1 A St", city: "X", postcode: "NOT A CODE", countryCode: "GB" },
        },
      }),
      order({ postageDetails: { serviceCode: "XXX" } }),
      noTotal,
    ]);
    expect(body.errorsCount).toBe(3);
    expect(body.failedOrders[0]?.errors[0]).toMatchObject({
      errorMessage: "Recipient postcode is not a valid UK postcode",
      fields: [{ fieldName: "postcode", value: "NOT A CODE" }],
    });
    expect(body.failedOrders[1]?.errors[0]?.fields[0]?.fieldName).toBe("serviceCode");
    expect(body.failedOrders[2]?.errors[0]?.errorMessage).toContain("total");
  });

  it("fails only the orders whose postcode is switched off, with the reason", async () => {
    const key = crypto.randomUUID();
    await setFaults("royalmail", key, { rejectPostcodes: ["SW1A 1ZZ"] });
    const bad = order({
      recipient: {
        address: { addressLine1: "1 A St", city: "London", postcode: "SW1A 1ZZ", countryCode: "GB" },
      },
    });
    const { body } = await create(key, [order(), bad, order()]);
    expect(body.successCount).toBe(2);
    expect(body.failedOrders[0]?.errors[0]).toMatchObject({
      errorMessage: "Recipient postcode is not recognised",
      fields: [{ value: "SW1A 1ZZ" }],
    });
  });

  it("answers 500 when a server error is armed, then recovers", async () => {
    const key = crypto.randomUUID();
    await setFaults("royalmail", key, { serverErrors: 1 });
    expect((await create(key, [order()])).status).toBe(500);
    expect((await create(key, [order()])).status).toBe(200);
    expect(await purchases("royalmail", key)).toBe(1);
  });

  it("with a timeout armed, creates the order first and answers late", async () => {
    const key = crypto.randomUUID();
    await setFaults("royalmail", key, { timeoutMs: 300, timeouts: 1 });
    const o = order();
    const started = Date.now();
    const late = create(key, [o]);
    await new Promise((r) => setTimeout(r, 100));
    const found = await call(`${base}/orders/"${encodeURIComponent(o.orderReference)}"`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(found.status).toBe(200);
    expect(((await found.json()) as { orderReference: string }[])[0]?.orderReference).toBe(o.orderReference);
    await late;
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("looks orders up by quoted reference or identifier, serves the label, deletes", async () => {
    const key = crypto.randomUUID();
    const auth = { Authorization: `Bearer ${key}` };
    const o = order({ label: { includeLabelInResponse: false } });
    const { body } = await create(key, [o]);
    const id = body.createdOrders[0]!.orderIdentifier;
    expect(body.createdOrders[0]?.label).toBeUndefined();
    const byRef = await call(`${base}/orders/"${encodeURIComponent(o.orderReference)}";${id}`, {
      headers: auth,
    });
    expect(((await byRef.json()) as unknown[]).length).toBe(2);
    expect((await call(`${base}/orders/${id}/label`, { headers: auth })).status).toBe(400);
    const label = await call(
      `${base}/orders/${id}/label?documentType=postageLabel&includeReturnsLabel=false`,
      { headers: auth },
    );
    expect(label.headers.get("content-type")).toBe("application/pdf");
    expect(isPdf(new Uint8Array(await label.arrayBuffer()))).toBe(true);
    const del = await call(`${base}/orders/${id}`, { method: "DELETE", headers: auth });
    expect(((await del.json()) as { deletedOrders: unknown[] }).deletedOrders).toHaveLength(1);
    expect((await call(`${base}/orders/${id}`, { headers: auth })).status).toBe(404);
  });

  it("tracks a mail piece until the delivered switch is flipped", async () => {
    const key = crypto.randomUUID();
    const { body } = await create(key, [order()]);
    const tn = body.createdOrders[0]!.trackingNumber;
    const headers = { "X-IBM-Client-Id": key, "X-IBM-Client-Secret": "s", "X-Accept-RMG-Terms": "yes" };
    const before = (await (await call(`/royalmail/mailpieces/v2/${tn}/events`, { headers })).json()) as {
      mailPieces: { events: { eventCode: string }[] };
    };
    expect(before.mailPieces.events.map((e) => e.eventCode)).not.toContain("EVKSP");
    await call(`/_sandbox/couriers/royalmail/accounts/${key}/deliver/${tn}`, { method: "POST" });
    const after = (await (await call(`/royalmail/mailpieces/v2/${tn}/events`, { headers })).json()) as {
      mailPieces: { events: { eventCode: string }[] };
    };
    expect(after.mailPieces.events[0]?.eventCode).toBe("EVKSP");
    expect(
      (
        await call(`/royalmail/mailpieces/v2/${tn}/events`, {
          headers: { ...headers, "X-Accept-RMG-Terms": "no" },
        })
      ).status,
    ).toBe(400);
  });
});

describe("Click & Drop's rate limit (5 calls a second per key)", () => {
  it("answers 429 with Retry-After to a burst above 5 calls a second, and serves the key again once it has passed", async () => {
    const key = crypto.randomUUID();
    const auth = { headers: { Authorization: `Bearer ${key}` } };
    const lookup = () => callOnce(`${base}/orders/1`, auth);
    const burst = await Promise.all(Array.from({ length: 12 }, lookup));
    const statuses = burst.map((r) => r.status);
    // Five calls inside the second are served (no such order: 404); the other seven are refused.
    expect(statuses.filter((s) => s !== 429)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const refused = burst.find((r) => r.status === 429);
    expect(refused?.headers.get("Retry-After")).toBe("1");
    expect(await refused?.json()).toMatchObject({ code: "429" });
    // Another key is not held up by this one's burst.
    const other = await callOnce(`${base}/orders/1`, {
      headers: { Authorization: `Bearer ${crypto.randomUUID()}` },
    });
    expect(other.status).not.toBe(429);
    // A purchase refused with 429 bought nothing.
    const refusedBuy = await callOnce(`${base}/orders`, jsonInit("POST", { items: [order()] }, auth.headers));
    expect(refusedBuy.status).toBe(429);
    expect(await purchases("royalmail", key)).toBe(0);
    // After the Retry-After, the key is served again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const again = await create(key, [order()]);
    expect(again.status).toBe(200);
    expect(await purchases("royalmail", key)).toBe(1);
  });
});
