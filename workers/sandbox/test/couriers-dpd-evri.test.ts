import { describe, expect, it } from "vitest";
import { call, fromBase64, isPdf, jsonInit, pdfText, purchases, setFaults } from "../src/couriers/testing.ts";

const basic = (user: string) => `Basic ${btoa(`${user}:pw`)}`;

async function dpdSession(user: string): Promise<Record<string, string>> {
  const res = await call("/dpd/user/?action=login", {
    method: "POST",
    headers: { Authorization: basic(user), GeoClient: "account/123" },
  });
  const body = (await res.json()) as { data: { geoSession: string } };
  return { GeoSession: body.data.geoSession, GeoClient: "account/123" };
}

const dpdAddress = (postcode: string) => ({
  countryCode: "GB",
  postcode,
  street: "1 High St",
  town: "London",
});
const dpdShipment = (ref: string, postcode = "SW1A 2AA", kg = 1.2) => ({
  collectionDate: "2026-11-20T10:00:00Z",
  consignment: [
    {
      collectionDetails: { address: dpdAddress("LS1 4AP") },
      deliveryDetails: { contactDetails: { contactName: "Ada" }, address: dpdAddress(postcode) },
      networkCode: "1^12",
      numberOfParcels: 1,
      totalWeight: kg,
      shippingRef1: ref,
    },
  ],
});
type DpdCreated = {
  error: { errorMessage: string }[] | null;
  data: {
    shipmentId: number;
    consignmentDetail: { consignmentNumber: string; parcelNumbers: string[] }[];
  } | null;
};

describe("DPD sandbox (assumed API)", () => {
  it("needs a login before shipping", async () => {
    expect((await call("/dpd/shipping/shipment", jsonInit("POST", dpdShipment("r")))).status).toBe(401);
    expect((await call("/dpd/user/?action=login", { method: "POST" })).status).toBe(401);
  });

  it("issues 10-digit consignments and 14-digit parcel numbers, once per shippingRef1", async () => {
    const user = crypto.randomUUID();
    const headers = await dpdSession(user);
    const create = async () =>
      (await (
        await call("/dpd/shipping/shipment", jsonInit("POST", dpdShipment("o:1"), headers))
      ).json()) as DpdCreated;
    const first = await create();
    const again = await create();
    const detail = first.data!.consignmentDetail[0]!;
    expect(detail.consignmentNumber).toMatch(/^\d{10}$/);
    expect(detail.parcelNumbers[0]).toMatch(/^\d{14}$/);
    expect(again.data?.shipmentId).toBe(first.data?.shipmentId);
    expect(await purchases("dpd", user)).toBe(1);
    const label = await call(`/dpd/shipping/shipment/${first.data!.shipmentId}/label/`, {
      headers: { ...headers, Accept: "application/pdf" },
    });
    const pdf = new Uint8Array(await label.arrayBuffer());
    expect(isPdf(pdf)).toBe(true);
    expect(pdfText(pdf)).toContain(detail.parcelNumbers[0]);
  });

  it("follows the account's clock: moved six days on, a parcel bought now has left the depot in its tracking", async () => {
    const user = crypto.randomUUID();
    const headers = await dpdSession(user);
    const created = (await (
      await call("/dpd/shipping/shipment", jsonInit("POST", dpdShipment("clock:1"), headers))
    ).json()) as DpdCreated;
    const parcel = created.data!.consignmentDetail[0]!.parcelNumbers[0]!;
    type Events = { data: { events: { date: string; code: string }[] } };
    const events = async () =>
      ((await (await call(`/dpd/shipping/parcel/${parcel}/events`, { headers })).json()) as Events).data
        .events;
    expect((await events()).map((e) => e.code)).toEqual(["CREATED"]);
    const clock = (advanceMs: unknown) =>
      call(`/_sandbox/couriers/dpd/accounts/${user}/clock`, jsonInit("POST", { advanceMs }));
    expect((await clock(-1)).status).toBe(400);
    const moved = (await (await clock(6 * 24 * 3_600_000)).json()) as { now: string };
    expect(Date.parse(moved.now)).toBeGreaterThan(Date.now() + 5 * 24 * 3_600_000);
    const later = await events();
    expect(later.length).toBeGreaterThan(2);
    expect(Date.parse(later.at(-1)!.date)).toBeGreaterThan(Date.now() + 12 * 3_600_000);
  });

  it("refuses bad postcodes, switched-off postcodes and parcels over 30 kg with DPD's error list", async () => {
    const user = crypto.randomUUID();
    const headers = await dpdSession(user);
    await setFaults("dpd", user, { rejectPostcodes: ["SW1A 1ZZ"] });
    const send = async (body: unknown) =>
      (await (await call("/dpd/shipping/shipment", jsonInit("POST", body, headers))).json()) as DpdCreated;
    expect((await send(dpdShipment("a", "BAD")))?.error?.[0]?.errorMessage).toBe("Invalid postcode");
    expect((await send(dpdShipment("b", "SW1A 1ZZ")))?.error?.[0]?.errorMessage).toContain("not recognised");
    expect((await send(dpdShipment("c", "SW1A 2AA", 31)))?.error?.[0]?.errorMessage).toContain("30 kg");
    expect(await purchases("dpd", user)).toBe(0);
  });
});

const evriEntry = (ref: string, postCode = "SW1A 2AA", weight = 800) => ({
  customer: {
    address: {
      firstName: "Ada",
      lastName: "Lovelace",
      addressLine1: "1 High St",
      city: "London",
      postCode,
      countryCode: "GB",
    },
  },
  parcel: { weight, length: 30, width: 20, depth: 5, value: 999 },
  serviceCode: "EVRI48",
  clientUniqueReference: ref,
  expectedDespatchDate: "2026-11-20",
});
type Routed = {
  deliveryRoutingResponseEntries: {
    outboundCarriers?: { carrier1: { barcode1: { barcodeNumber: string } }; labelImage: string };
    errorMessages?: { errorDescription: string }[];
  }[];
};

async function route(user: string, entries: unknown[]) {
  const res = await call(
    "/evri/routing/routeDeliveryCreatePreadviceAndLabel",
    jsonInit(
      "POST",
      {
        clientId: "C1",
        clientName: "Acme",
        sourceOfRequest: "CLIENTWS",
        deliveryRoutingRequestEntries: entries,
      },
      { Authorization: basic(user) },
    ),
  );
  return { status: res.status, body: (await res.json()) as Routed };
}

describe("Evri sandbox (assumed API)", () => {
  it("needs Basic auth", async () => {
    expect((await call("/evri/routing/deliveries?clientUniqueReference=x")).status).toBe(401);
  });

  it("issues 16-character barcodes with a PDF label, once per clientUniqueReference", async () => {
    const user = crypto.randomUUID();
    const first = await route(user, [evriEntry("o:1")]);
    const again = await route(user, [evriEntry("o:1")]);
    const carrier = first.body.deliveryRoutingResponseEntries[0]!.outboundCarriers!;
    const barcode = carrier.carrier1.barcode1.barcodeNumber;
    expect(barcode).toMatch(/^[A-Z0-9]{16}$/);
    expect(
      again.body.deliveryRoutingResponseEntries[0]?.outboundCarriers?.carrier1.barcode1.barcodeNumber,
    ).toBe(barcode);
    expect(pdfText(fromBase64(carrier.labelImage))).toContain(barcode);
    expect(await purchases("evri", user)).toBe(1);
  });

  it("answers each refused entry with its reason and routes the rest", async () => {
    const user = crypto.randomUUID();
    await setFaults("evri", user, { rejectPostcodes: ["SW1A 1ZZ"] });
    const { body } = await route(user, [
      evriEntry("a"),
      evriEntry("b", "SW1A 1ZZ"),
      evriEntry("c", "SW1A 2AA", 16000),
      evriEntry("d", "XX"),
    ]);
    const reasons = body.deliveryRoutingResponseEntries.map((e) => e.errorMessages?.[0]?.errorDescription);
    expect(reasons).toEqual([
      undefined,
      "Postcode SW1A 1ZZ is not recognised by Evri",
      "Parcel weight exceeds 15kg",
      "Postcode XX is not valid",
    ]);
    expect(await purchases("evri", user)).toBe(1);
  });

  it("with a timeout armed, routes the delivery before answering late", async () => {
    const user = crypto.randomUUID();
    await setFaults("evri", user, { timeoutMs: 400, timeouts: 1 });
    const late = route(user, [evriEntry("slow:1")]);
    await new Promise((r) => setTimeout(r, 150));
    const found = (await (
      await call("/evri/routing/deliveries?clientUniqueReference=slow%3A1", {
        headers: { Authorization: basic(user) },
      })
    ).json()) as { deliveries: unknown[] };
    expect(found.deliveries).toHaveLength(1);
    await late;
    expect(await purchases("evri", user)).toBe(1);
  });
});
