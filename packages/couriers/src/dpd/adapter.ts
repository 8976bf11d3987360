// DPD UK. There is no public specification; this follows the shape DOMAIN.md gives (login →
// GeoSession header; POST /shipping/shipment with consignments → consignmentNumber, parcelNumbers[])
// and the JSON API DPD UK integrators use. ASSUMED (not from a published model):
//   - POST /user/?action=login with Basic auth and `GeoClient: account/<number>` answers
//     { data: { geoSession }, error: null }; every later call sends `GeoSession` and `GeoClient`.
//   - Answers are { error: null | [{ errorCode, errorType, errorMessage, obj }], data }.
//   - POST /shipping/shipment answers data { shipmentId, consolidated, consignmentDetail:
//     [{ consignmentNumber (10 digits), parcelNumbers: [14 digits] }] }.
//   - `shippingRef1` carries our idempotency key; GET /shipping/shipment?shippingRef1=<key> finds
//     shipments by it (data { shipments: [...] }); DPD itself does not deduplicate.
//   - GET /shipping/shipment/{id}/label/ with `Accept: application/pdf` returns a PDF (DPD
//     documents HTML and printer languages; PDF is our assumption).
//   - DELETE /shipping/shipment/{id} cancels; GET /shipping/parcel/{parcelNumber}/events tracks
//     with data { parcelNumber, events: [{ date, code, description, location }] }, code
//     "DELIVERED" when delivered.
//   - Network codes "1^12" (Next Day) and "1^13" (by 12:00), 30 kg a parcel.
import { ConsignError, ErrorCode } from "@consign/domain";
import { z } from "zod";
import { joinUrl, readJson, readPdf, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import { eventCodeStatus, summarise } from "../tracking.ts";
import type {
  AdapterContext,
  CourierAdapter,
  CourierService,
  CreatedShipment,
  Parcel,
  PurchaseOptions,
  ShipmentLookup,
  ShipmentRequest,
  Tracking,
} from "../types.ts";
import { dpdCustoms } from "./customs.ts";

export interface DpdConfig {
  baseUrl: string;
  username: string;
  password: string;
  accountNumber: string;
}

const COURIER = "DPD";
export const DPD_RATE_LIMIT = { perSecond: 5, burst: 5 } as const;
export const DPD_MAX_GRAMS = 30000;
const DPD_COUNTRIES = new Set(["GB", "JE", "GG", "IM"]);

export const DPD_SERVICES = [
  { serviceCode: "1^12", name: "DPD Next Day", price: "6.95" },
  { serviceCode: "1^13", name: "DPD Next Day by 12:00", price: "9.45" },
] as const;

const dpdError = z.array(
  z.object({
    errorCode: z.union([z.string(), z.number()]).optional(),
    errorType: z.string().optional(),
    errorMessage: z.string(),
    obj: z.string().optional(),
  }),
);
const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ error: dpdError.nullable(), data: data.nullable() });

const consignmentDetail = z.object({
  consignmentNumber: z.string(),
  parcelNumbers: z.array(z.string()).min(1),
});
const shipmentData = z.object({
  shipmentId: z.union([z.string(), z.number()]).transform(String),
  consolidated: z.boolean().optional(),
  consignmentDetail: z.array(consignmentDetail).min(1),
});
const loginResponse = envelope(z.object({ geoSession: z.string() }));
const createResponse = envelope(shipmentData);
const findResponse = envelope(z.object({ shipments: z.array(shipmentData) }));
const plainResponse = envelope(z.unknown());
const eventsResponse = envelope(
  z.object({
    parcelNumber: z.string(),
    events: z.array(
      z.object({
        date: z.string(),
        code: z.string(),
        description: z.string(),
        location: z.string().optional(),
      }),
    ),
  }),
);

/** DPD's sign-in: a GeoSession for the account (the label and collections adapters both use it). */
export async function signInToDpd(config: DpdConfig, ctx: AdapterContext): Promise<string> {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const call = { courier: COURIER, doing: "signing in" };
  const res = await send(ctx, call, url("/user/?action=login"), {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${config.username}:${config.password}`)}`,
      GeoClient: `account/${config.accountNumber}`,
      Accept: "application/json",
    },
  });
  if (!res.ok) throw statusError(res, call);
  const body = await readJson(res, loginResponse, call);
  if (!body.data) throw refused(body.error, "signing in");
  return body.data.geoSession;
}

export function createDpdAdapter(config: DpdConfig, ctx: AdapterContext): CourierAdapter {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const geoClient = `account/${config.accountNumber}`;
  let session: Promise<string> | undefined;

  const login = () => signInToDpd(config, ctx);

  /** Calls DPD with the session, signing in again once if the session has expired. */
  async function call(path: string, init: RequestInit, doing: string, accept = "application/json") {
    for (let attempt = 0; ; attempt++) {
      session ??= login().catch((e: unknown) => {
        session = undefined;
        throw e;
      });
      const geoSession = await session;
      const c = { courier: COURIER, doing };
      const res = await send(ctx, c, url(path), {
        ...init,
        headers: { ...(init.headers ?? {}), GeoSession: geoSession, GeoClient: geoClient, Accept: accept },
      });
      if (res.status === 401 && attempt === 0) {
        session = undefined;
        continue;
      }
      if (!res.ok) throw statusError(res, c);
      return { res, c };
    }
  }

  function toShipment(data: z.output<typeof shipmentData>, serviceCode: string): CreatedShipment {
    const price = DPD_SERVICES.find((s) => s.serviceCode === serviceCode)?.price;
    const consignment = data.consignmentDetail[0];
    const parcel = consignment?.parcelNumbers[0];
    if (!consignment || !parcel) {
      throw new ConsignError(
        ErrorCode.UpstreamMalformed,
        `DPD created shipment ${data.shipmentId} without a parcel number`,
      );
    }
    return {
      courier: "dpd",
      courierShipmentId: data.shipmentId,
      trackingNumber: parcel,
      packageReference: consignment.consignmentNumber,
      serviceCode,
      ...(price ? { cost: { amount: price, currencyCode: "GBP" } } : {}),
    };
  }

  return {
    courier: "dpd",
    displayName: COURIER,
    amazonCarrierCode: "DPD",
    rateLimit: DPD_RATE_LIMIT,

    async services(parcel: Parcel): Promise<CourierService[]> {
      // Within the UK, and to the Channel Islands and the Isle of Man (with customs data).
      if (!DPD_COUNTRIES.has(parcel.destination.countryCode.toUpperCase())) return [];
      if (parcel.package.weightGrams > DPD_MAX_GRAMS) return [];
      return DPD_SERVICES.map((s) => ({
        courier: "dpd" as const,
        serviceCode: s.serviceCode,
        name: s.name,
        price: { amount: s.price, currencyCode: "GBP" },
      }));
    },

    async createShipment(request: ShipmentRequest, options: PurchaseOptions): Promise<CreatedShipment> {
      await options.rememberAttempt?.({ shippingRef1: options.idempotencyKey });
      const { res, c } = await call(
        "/shipping/shipment",
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(dpdShipment(request, options.idempotencyKey)),
        },
        `buying the label for order ${request.orderId}`,
      );
      const body = await readJson(res, createResponse, c);
      if (!body.data) throw refused(body.error, `buying the label for order ${request.orderId}`);
      return toShipment(body.data, request.serviceCode);
    },

    async findShipment(lookup: ShipmentLookup): Promise<CreatedShipment | null> {
      const { res, c } = await call(
        `/shipping/shipment?${new URLSearchParams({ shippingRef1: lookup.idempotencyKey })}`,
        { method: "GET" },
        `looking up ${lookup.idempotencyKey}`,
      );
      const body = await readJson(res, findResponse, c);
      const found = body.data?.shipments[0];
      return found ? toShipment(found, lookup.request?.serviceCode ?? "") : null;
    },

    async fetchLabel(shipment: CreatedShipment): Promise<Uint8Array> {
      if (shipment.labelPdf) return shipment.labelPdf;
      const { res, c } = await call(
        `/shipping/shipment/${encodeURIComponent(shipment.courierShipmentId)}/label/`,
        { method: "GET" },
        `fetching the label for ${shipment.trackingNumber}`,
        "application/pdf",
      );
      return readPdf(res, c);
    },

    async voidShipment(shipment: CreatedShipment): Promise<void> {
      const doing = `cancelling the label ${shipment.trackingNumber}`;
      const { res, c } = await call(
        `/shipping/shipment/${encodeURIComponent(shipment.courierShipmentId)}`,
        { method: "DELETE" },
        doing,
      );
      const body = await readJson(res, plainResponse, c);
      if (body.error?.length) throw refused(body.error, doing);
    },

    async track(trackingNumber: string): Promise<Tracking> {
      const { res, c } = await call(
        `/shipping/parcel/${encodeURIComponent(trackingNumber)}/events`,
        { method: "GET" },
        `tracking ${trackingNumber}`,
      );
      const body = await readJson(res, eventsResponse, c);
      if (!body.data) throw refused(body.error, `tracking ${trackingNumber}`);
      const events = body.data.events
        .map((e) => ({
          at: Date.parse(e.date),
          status: eventCodeStatus(e.code),
          description: e.description,
          ...(e.location ? { location: e.location } : {}),
        }))
        .sort((a, b) => a.at - b.at);
      return summarise(trackingNumber, events);
    },
  };
}

function refused(errors: z.output<typeof dpdError> | null, doing: string): ConsignError {
  const reason = errors?.map((e) => (e.obj ? `${e.errorMessage} (${e.obj})` : e.errorMessage)).join("; ");
  return new ConsignError(ErrorCode.UpstreamRejected, `DPD refused ${doing}: ${reason || "no reason given"}`);
}

function dpdAddress(a: ShipmentRequest["recipient"], organisation?: string) {
  return {
    organisation: organisation ?? "",
    countryCode: a.countryCode,
    postcode: normalisePostcode(a.postcode),
    street: a.line1,
    locality: a.line2 ?? "",
    town: a.city,
    county: a.county ?? "",
  };
}

function dpdShipment(request: ShipmentRequest, key: string) {
  const r = request.recipient;
  const customs = dpdCustoms(request);
  return {
    jobId: null,
    collectionOnDelivery: false,
    invoice: customs?.invoice ?? null,
    collectionDate: new Date(request.orderDate).toISOString(),
    consolidate: false,
    consignment: [
      {
        consignmentNumber: null,
        consignmentRef: null,
        parcel: customs?.parcel ?? [],
        collectionDetails: {
          contactDetails: { contactName: request.sender.name, telephone: request.sender.phone ?? "" },
          address: dpdAddress(request.sender, request.sender.companyName),
        },
        deliveryDetails: {
          contactDetails: { contactName: r.name, telephone: r.phone ?? "" },
          address: dpdAddress(r),
          notificationDetails: { email: "", mobile: r.phone ?? "" },
        },
        networkCode: request.serviceCode,
        numberOfParcels: 1,
        totalWeight: Math.max(0.01, request.package.weightGrams / 1000),
        shippingRef1: key,
        shippingRef2: request.orderId,
        shippingRef3: "",
        customsValue: customs?.customsValue ?? null,
        deliveryInstructions: "",
        parcelDescription: request.contents
          .map((c) => c.description)
          .join(", ")
          .slice(0, 50),
        liabilityValue: null,
        liability: false,
      },
    ],
  };
}
