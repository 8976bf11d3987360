import { describe, expect, it } from "vitest";
import { call, fromBase64, isPdf, jsonInit, pdfText, setFaults } from "../src/couriers/testing.ts";

const base = "/royalmail/api/v1";

function order() {
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
    packages: [{ weightInGrams: 500, packageFormatIdentifier: "smallParcel" }],
    orderDate: "2026-11-20T10:00:00Z",
    subtotal: 9.99,
    shippingCostCharged: 2.5,
    total: 12.49,
    postageDetails: { serviceCode: "TPN24" },
  };
}

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

async function createOrders(key: string, n: number): Promise<number[]> {
  const res = await call(
    `${base}/orders`,
    jsonInit("POST", { items: Array.from({ length: n }, order) }, auth(key)),
  );
  const body = (await res.json()) as { createdOrders: { orderIdentifier: number }[] };
  return body.createdOrders.map((o) => o.orderIdentifier);
}

const manifest = (key: string, body: unknown = {}) =>
  call(`${base}/manifests`, jsonInit("POST", body, auth(key)));

describe("Royal Mail Click & Drop sandbox: manifests", { timeout: 20_000 }, () => {
  it("manifests every labelled order once, answers 201 with the PDF, then has nothing left", async () => {
    const key = crypto.randomUUID();
    await createOrders(key, 3);
    const res = await manifest(key);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { manifestNumber: number; documentPdf: string };
    expect(body.manifestNumber).toBeGreaterThan(1000);
    const pdf = fromBase64(body.documentPdf);
    expect(isPdf(pdf)).toBe(true);
    expect(pdfText(pdf)).toContain(`Manifest ${body.manifestNumber}`);
    expect(pdfText(pdf)).toContain("Items: 3");
    const again = await manifest(key);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      errors: [{ code: "NoEligibleOrders", description: "There are no eligible orders to manifest" }],
    });
  });

  it("refuses to delete a manifested order, naming when it was manifested; cancels the others", async () => {
    const key = crypto.randomUUID();
    const [first] = await createOrders(key, 1);
    expect((await manifest(key)).status).toBe(201);
    const [later] = await createOrders(key, 1);
    const res = await call(`${base}/orders/${first};${later}`, { method: "DELETE", headers: auth(key) });
    const body = (await res.json()) as {
      deletedOrders: { orderIdentifier: number }[];
      errors: { orderIdentifier: number; code: string; message: string }[];
    };
    expect(body.deletedOrders.map((d) => d.orderIdentifier)).toEqual([later]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ orderIdentifier: first, code: "OrderManifested" });
    expect(body.errors[0]?.message).toMatch(/manifested on .* can no longer be deleted/);
  });

  it("answers 202 when the PDF is not ready, and GET /manifests/{n} gives it later", async () => {
    const key = crypto.randomUUID();
    await createOrders(key, 2);
    await setFaults("royalmail", key, { manifestPdfPending: 1 });
    const res = await manifest(key);
    expect(res.status).toBe(202);
    const { manifestNumber, documentPdf } = (await res.json()) as {
      manifestNumber: number;
      documentPdf?: string;
    };
    expect(documentPdf).toBeUndefined();
    const first = (await (
      await call(`${base}/manifests/${manifestNumber}`, { headers: auth(key) })
    ).json()) as {
      status: string;
      documentPdf?: string;
    };
    expect(first).toEqual({ manifestNumber, status: "In Progress" });
    const second = (await (
      await call(`${base}/manifests/${manifestNumber}`, { headers: auth(key) })
    ).json()) as {
      status: string;
      documentPdf?: string;
    };
    expect(second.status).toBe("Completed");
    expect(isPdf(fromBase64(second.documentPdf ?? ""))).toBe(true);
  });

  it("a failed manifest leaves its orders cancellable until the retry processes them", async () => {
    const key = crypto.randomUUID();
    const [id, id2] = await createOrders(key, 2);
    await setFaults("royalmail", key, { manifestFailures: 1 });
    const res = await manifest(key);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ manifestNumber: 1001 });
    const undeleted = (await (
      await call(`${base}/orders/${id}`, { method: "DELETE", headers: auth(key) })
    ).json()) as { errors: unknown[] };
    expect(undeleted.errors).toEqual([]);
    const status = (await (await call(`${base}/manifests/1001`, { headers: auth(key) })).json()) as {
      status: string;
    };
    expect(status.status).toBe("Failed");
    const retried = await call(`${base}/manifests/retry/1001`, { method: "POST", headers: auth(key) });
    expect(retried.status).toBe(201);
    const del = (await (
      await call(`${base}/orders/${id2}`, { method: "DELETE", headers: auth(key) })
    ).json()) as { errors: { code: string }[] };
    expect(del.errors[0]?.code).toBe("OrderManifested");
  });

  it("checks the carrier name, the manifest number and the key", async () => {
    const key = crypto.randomUUID();
    await createOrders(key, 1);
    expect((await manifest(key, { carrierName: "Parcelforce" })).status).toBe(400);
    expect((await manifest(key, { colour: "red" })).status).toBe(400);
    expect((await call(`${base}/manifests/abc`, { headers: auth(key) })).status).toBe(400);
    expect((await call(`${base}/manifests/999999`, { headers: auth(key) })).status).toBe(404);
    expect((await call(`${base}/manifests`, { method: "POST" })).status).toBe(401);
    expect((await manifest(key, { carrierName: "Royal Mail OBA" })).status).toBe(201);
  });

  it("a courier switched down answers 503 to everything until switched back", async () => {
    const key = crypto.randomUUID();
    await setFaults("royalmail", key, { down: true });
    const res = await call(`${base}/orders`, jsonInit("POST", { items: [order()] }, auth(key)));
    expect(res.status).toBe(503);
    expect((await manifest(key)).status).toBe(503);
    await setFaults("royalmail", key, {});
    expect(await createOrders(key, 1)).toHaveLength(1);
  });
});
