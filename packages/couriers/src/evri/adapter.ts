// Evri (formerly Hermes UK). There is no public specification; this follows DOMAIN.md (the legacy
// routing service takes a delivery routing request and answers a barcode number and sort levels)
// and the field names of Hermes UK's legacy routing web service, carried as JSON. ASSUMED:
//   - Basic auth (username:password) on every call; the body carries `clientId` and `clientName`.
//   - POST /routing/routeDeliveryCreatePreadviceAndLabel with `deliveryRoutingRequestEntries`
//     answers `deliveryRoutingResponseEntries[{ clientUniqueReference, outboundCarriers:
//     { carrier1: { barcode1: { barcodeNumber (16 chars) }, sortLevel1..5 }, labelImage (base64 PDF) },
//     errorMessages: [{ errorCode, errorDescription }] }]`.
//   - `clientUniqueReference` carries our idempotency key and Evri refuses a second delivery with
//     the same one by answering the first; GET /routing/deliveries?clientUniqueReference=<key>
//     answers { deliveries: [{ barcodeNumber, clientUniqueReference, serviceCode }] }.
//   - GET /routing/deliveries/{barcode}/label returns the PDF; DELETE /routing/deliveries/{barcode}
//     cancels (204); GET /tracking/{barcode}/events answers { barcode, events: [{ dateTime,
//     trackingStage: { code, description }, location? }] }, code "DELIVERED" when delivered.
//   - Services "EVRI48" (Standard) and "EVRI24" (Next Day), 15 kg and 120 cm longest side.
import { ConsignError, ErrorCode } from "@consign/domain";
import { z } from "zod";
import { base64ToBytes, joinUrl, readJson, readPdf, send, statusError } from "../http.ts";
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
import { evriCustomsAndTaxes } from "./customs.ts";

export interface EvriConfig {
  baseUrl: string;
  username: string;
  password: string;
  clientId: string;
  clientName: string;
}

const COURIER = "Evri";
export const EVRI_RATE_LIMIT = { perSecond: 5, burst: 5 } as const;
export const EVRI_MAX_GRAMS = 15000;
export const EVRI_MAX_LONGEST_MM = 1200;
/** Within the UK, and to the Channel Islands and the Isle of Man (with customs data). */
const EVRI_COUNTRIES = new Set(["GB", "JE", "GG", "IM"]);

export const EVRI_SERVICES = [
  { serviceCode: "EVRI48", name: "Evri Standard", price: "3.19" },
  { serviceCode: "EVRI24", name: "Evri Next Day", price: "4.49" },
] as const;

const errorMessages = z.array(
  z.object({ errorCode: z.union([z.string(), z.number()]), errorDescription: z.string() }),
);

const routingResponse = z.object({
  deliveryRoutingResponseEntries: z
    .array(
      z.object({
        clientUniqueReference: z.string().optional(),
        outboundCarriers: z
          .object({
            carrier1: z.object({
              barcode1: z.object({ barcodeNumber: z.string() }),
              sortLevel1: z.string().optional(),
            }),
            labelImage: z.string().optional(),
          })
          .optional(),
        errorMessages: errorMessages.optional(),
      }),
    )
    .min(1),
});

const deliveriesResponse = z.object({
  deliveries: z.array(
    z.object({
      barcodeNumber: z.string(),
      clientUniqueReference: z.string(),
      serviceCode: z.string().optional(),
    }),
  ),
});

const eventsResponse = z.object({
  barcode: z.string(),
  events: z.array(
    z.object({
      dateTime: z.string(),
      trackingStage: z.object({ code: z.string(), description: z.string() }),
      location: z.string().optional(),
    }),
  ),
});

export function createEvriAdapter(config: EvriConfig, ctx: AdapterContext): CourierAdapter {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const auth = { Authorization: `Basic ${btoa(`${config.username}:${config.password}`)}` };

  async function get(path: string, doing: string, accept = "application/json") {
    const call = { courier: COURIER, doing };
    const res = await send(ctx, call, url(path), { headers: { ...auth, Accept: accept } });
    return { res, call };
  }

  return {
    courier: "evri",
    displayName: COURIER,
    amazonCarrierCode: "Hermes UK",
    rateLimit: EVRI_RATE_LIMIT,

    async services(parcel: Parcel): Promise<CourierService[]> {
      const p = parcel.package;
      const longest = Math.max(p.lengthMm ?? 0, p.widthMm ?? 0, p.heightMm ?? 0);
      if (
        !EVRI_COUNTRIES.has(parcel.destination.countryCode.toUpperCase()) ||
        p.weightGrams > EVRI_MAX_GRAMS ||
        longest > EVRI_MAX_LONGEST_MM
      ) {
        return [];
      }
      return EVRI_SERVICES.map((s) => ({
        courier: "evri" as const,
        serviceCode: s.serviceCode,
        name: s.name,
        price: { amount: s.price, currencyCode: "GBP" },
      }));
    },

    async createShipment(request: ShipmentRequest, options: PurchaseOptions): Promise<CreatedShipment> {
      await options.rememberAttempt?.({ clientUniqueReference: options.idempotencyKey });
      const doing = `buying the label for order ${request.orderId}`;
      const call = { courier: COURIER, doing };
      const res = await send(ctx, call, url("/routing/routeDeliveryCreatePreadviceAndLabel"), {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(routingRequest(request, options.idempotencyKey, config)),
      });
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      const body = await readJson(res, routingResponse, call);
      const entry = body.deliveryRoutingResponseEntries[0];
      if (entry?.errorMessages?.length || !entry?.outboundCarriers) {
        const reason = entry?.errorMessages?.map((e) => e.errorDescription).join("; ");
        throw new ConsignError(
          ErrorCode.UpstreamRejected,
          `Evri refused the label: ${reason || "no reason given"}`,
        );
      }
      const carriers = entry.outboundCarriers;
      const price = EVRI_SERVICES.find((s) => s.serviceCode === request.serviceCode)?.price;
      return {
        courier: "evri",
        courierShipmentId: carriers.carrier1.barcode1.barcodeNumber,
        trackingNumber: carriers.carrier1.barcode1.barcodeNumber,
        serviceCode: request.serviceCode,
        ...(price ? { cost: { amount: price, currencyCode: "GBP" } } : {}),
        ...(carriers.labelImage ? { labelPdf: base64ToBytes(carriers.labelImage) } : {}),
      };
    },

    async findShipment(lookup: ShipmentLookup): Promise<CreatedShipment | null> {
      const query = new URLSearchParams({ clientUniqueReference: lookup.idempotencyKey });
      const { res, call } = await get(`/routing/deliveries?${query}`, `looking up ${lookup.idempotencyKey}`);
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      const body = await readJson(res, deliveriesResponse, call);
      const found = body.deliveries.find((d) => d.clientUniqueReference === lookup.idempotencyKey);
      if (!found) return null;
      return {
        courier: "evri",
        courierShipmentId: found.barcodeNumber,
        trackingNumber: found.barcodeNumber,
        serviceCode: found.serviceCode ?? lookup.request?.serviceCode ?? "",
      };
    },

    async fetchLabel(shipment: CreatedShipment): Promise<Uint8Array> {
      if (shipment.labelPdf) return shipment.labelPdf;
      const { res, call } = await get(
        `/routing/deliveries/${encodeURIComponent(shipment.courierShipmentId)}/label`,
        `fetching the label for ${shipment.trackingNumber}`,
        "application/pdf",
      );
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      return readPdf(res, call);
    },

    async voidShipment(shipment: CreatedShipment): Promise<void> {
      const call = { courier: COURIER, doing: `cancelling the label ${shipment.trackingNumber}` };
      const res = await send(
        ctx,
        call,
        url(`/routing/deliveries/${encodeURIComponent(shipment.courierShipmentId)}`),
        {
          method: "DELETE",
          headers: auth,
        },
      );
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
    },

    async track(trackingNumber: string): Promise<Tracking> {
      const { res, call } = await get(
        `/tracking/${encodeURIComponent(trackingNumber)}/events`,
        `tracking ${trackingNumber}`,
      );
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      const body = await readJson(res, eventsResponse, call);
      const events = body.events
        .map((e) => ({
          at: Date.parse(e.dateTime),
          status: eventCodeStatus(e.trackingStage.code),
          description: e.trackingStage.description,
          ...(e.location ? { location: e.location } : {}),
        }))
        .sort((a, b) => a.at - b.at);
      return summarise(trackingNumber, events);
    },
  };
}

function routingRequest(request: ShipmentRequest, key: string, config: EvriConfig) {
  const r = request.recipient;
  const [firstName, ...rest] = r.name.trim().split(/\s+/);
  const p = request.package;
  const customsAndTaxes = evriCustomsAndTaxes(request);
  return {
    clientId: config.clientId,
    clientName: config.clientName,
    sourceOfRequest: "CLIENTWS",
    deliveryRoutingRequestEntries: [
      {
        customer: {
          address: {
            firstName: firstName ?? "",
            lastName: rest.join(" ") || (firstName ?? ""),
            addressLine1: r.line1,
            addressLine2: r.line2 ?? "",
            city: r.city,
            region: r.county ?? "",
            postCode: normalisePostcode(r.postcode),
            countryCode: r.countryCode,
          },
          mobilePhoneNo: r.phone ?? "",
          customerReference1: request.orderId,
        },
        parcel: {
          weight: p.weightGrams,
          length: Math.ceil((p.lengthMm ?? 0) / 10),
          width: Math.ceil((p.widthMm ?? 0) / 10),
          depth: Math.ceil((p.heightMm ?? 0) / 10),
          currency: "GBP",
          value: Math.round(request.goodsValue * 100),
          description: request.contents
            .map((c) => c.description)
            .join(", ")
            .slice(0, 32),
        },
        serviceCode: request.serviceCode,
        clientUniqueReference: key,
        expectedDespatchDate: new Date(request.orderDate).toISOString().slice(0, 10),
        countryOfOrigin: "GB",
        ...(customsAndTaxes ? { customsAndTaxes } : {}),
      },
    ],
  };
}

async function errorDetail(res: Response): Promise<string | undefined> {
  try {
    const body = z.object({ errors: errorMessages }).safeParse(await res.clone().json());
    return body.success ? body.data.errors.map((e) => e.errorDescription).join("; ") : undefined;
  } catch {
    return undefined;
  }
}
