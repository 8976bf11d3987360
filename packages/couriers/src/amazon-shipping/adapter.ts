// Amazon Buy Shipping through Shipping API v2 (specs/sp-api/shippingV2.json): getRates,
// purchaseShipment (with `x-amzn-IdempotencyKey`), getShipmentDocuments, cancelShipment and
// getTracking. A purchase must use the rate's requestToken and rateId within 10 minutes; we save
// them (rememberAttempt) before purchasing so an uncertain purchase is resolved by replaying it
// with the same idempotency key, which Amazon answers with the shipment it already bought.
import { ConsignError, ErrorCode } from "@consign/domain";
import { base64ToBytes, joinUrl, readJson, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import { summarise } from "../tracking.ts";
import type {
  AdapterContext,
  CourierAdapter,
  CourierService,
  CreatedShipment,
  Parcel,
  PurchaseOptions,
  SenderAddress,
  ShipmentLookup,
  ShipmentRequest,
  Tracking,
  TrackingStatus,
  ZplDpi,
} from "../types.ts";
import {
  cancelShipmentResponseSchema,
  errorListSchema,
  getRatesResponseSchema,
  getShipmentDocumentsResponseSchema,
  getTrackingResponseSchema,
  purchaseShipmentResponseSchema,
} from "./schemas.ts";

export interface AmazonShippingConfig {
  /** SP-API host, e.g. https://sellingpartnerapi-eu.amazon.com (paths /shipping/v2/...). */
  baseUrl: string;
  /** LWA access token for the seller (sent as x-amz-access-token). */
  accessToken: () => Promise<string> | string;
  /** Default AmazonShipping_UK. */
  businessId?: string;
  /** Carrier id used for tracking when none is known, e.g. "AMZN_UK". */
  carrierId?: string;
  /** The seller's dispatch address, for quotes made before a shipment request exists. */
  shipFrom?: SenderAddress;
}

const COURIER = "Amazon Shipping";
/** purchaseShipment and getRates: 80 requests a second, burst 100. */
export const AMAZON_SHIPPING_RATE_LIMIT = { perSecond: 80, burst: 100 } as const;

const LABEL_SPEC = {
  format: "PDF",
  size: { width: 4, length: 6, unit: "INCH" },
  dpi: 203,
  pageLayout: "DEFAULT",
  needFileJoining: false,
  requestedDocumentTypes: ["LABEL"],
} as const;

export function createAmazonShippingAdapter(
  config: AmazonShippingConfig,
  ctx: AdapterContext,
): CourierAdapter {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  async function headers(json: boolean): Promise<Record<string, string>> {
    return {
      "x-amz-access-token": await config.accessToken(),
      "x-amzn-shipping-business-id": config.businessId ?? "AmazonShipping_UK",
      Accept: "application/json",
      ...(json ? { "Content-Type": "application/json" } : {}),
    };
  }

  async function getRates(body: unknown, doing: string) {
    const call = { courier: COURIER, doing };
    const res = await send(ctx, call, url("/shipping/v2/shipments/rates"), {
      method: "POST",
      headers: await headers(true),
      body: JSON.stringify(body),
    });
    if (!res.ok) throw statusError(res, call, await errorDetail(res));
    return (await readJson(res, getRatesResponseSchema, call)).payload;
  }

  async function purchase(
    attempt: { requestToken: string; rateId: string },
    idempotencyKey: string,
    doing: string,
  ): Promise<{ res: Response; call: { courier: string; doing: string } }> {
    const call = { courier: COURIER, doing };
    const res = await send(ctx, call, url("/shipping/v2/shipments"), {
      method: "POST",
      headers: { ...(await headers(true)), "x-amzn-IdempotencyKey": idempotencyKey },
      body: JSON.stringify({ ...attempt, requestedDocumentSpecification: LABEL_SPEC }),
    });
    return { res, call };
  }

  async function toShipment(res: Response, call: { courier: string; doing: string }, serviceCode: string) {
    const { payload } = await readJson(res, purchaseShipmentResponseSchema, call);
    const detail = payload.packageDocumentDetails[0];
    if (!detail?.trackingId) {
      throw new ConsignError(
        ErrorCode.UpstreamMalformed,
        `Amazon bought shipment ${payload.shipmentId} without a tracking id`,
      );
    }
    const label = detail.packageDocuments.find((d) => d.type === "LABEL" && d.format === "PDF");
    const shipment: CreatedShipment = {
      courier: "amazon-shipping",
      courierShipmentId: payload.shipmentId,
      trackingNumber: detail.trackingId,
      serviceCode,
      packageReference: detail.packageClientReferenceId,
      ...(label ? { labelPdf: base64ToBytes(label.contents) } : {}),
    };
    return shipment;
  }

  /** getShipmentDocuments: the label in `format` (as getRates offered it) at `dpi`. */
  async function labelDocument(shipment: CreatedShipment, format: "PDF" | "ZPL", dpi: ZplDpi) {
    const call = {
      courier: COURIER,
      doing: `fetching the ${format === "ZPL" ? `${dpi} dpi ZPL ` : ""}label for ${shipment.trackingNumber}`,
    };
    const query = new URLSearchParams({
      packageClientReferenceId: shipment.packageReference ?? "1",
      format,
      dpi: String(dpi),
    });
    const res = await send(
      ctx,
      call,
      url(`/shipping/v2/shipments/${encodeURIComponent(shipment.courierShipmentId)}/documents?${query}`),
      { headers: await headers(false) },
    );
    if (!res.ok) throw statusError(res, call, await errorDetail(res));
    const { payload } = await readJson(res, getShipmentDocumentsResponseSchema, call);
    const label = payload.packageDocumentDetail.packageDocuments.find((d) => d.type === "LABEL");
    if (!label)
      throw new ConsignError(ErrorCode.UpstreamMalformed, "Amazon sent the documents without a label");
    if (label.format !== format)
      throw new ConsignError(
        ErrorCode.UpstreamMalformed,
        `Amazon sent the label as ${label.format} when ${format} was asked for`,
      );
    return base64ToBytes(label.contents);
  }

  return {
    courier: "amazon-shipping",
    displayName: COURIER,
    amazonCarrierCode: "Amazon Shipping",
    rateLimit: AMAZON_SHIPPING_RATE_LIMIT,

    async services(parcel: Parcel): Promise<CourierService[]> {
      const payload = await getRates(
        ratesRequest(parcel, undefined, parcel.orderId ?? "", "quote", config.shipFrom),
        "finding Amazon Shipping services",
      );
      return payload.rates.map((r) => ({
        courier: "amazon-shipping" as const,
        serviceCode: r.serviceId,
        name: r.serviceName,
        price: { amount: r.totalCharge.value.toFixed(2), currencyCode: r.totalCharge.unit },
      }));
    },

    async createShipment(request: ShipmentRequest, options: PurchaseOptions): Promise<CreatedShipment> {
      const doing = `buying the label for order ${request.orderId}`;
      const payload = await getRates(
        ratesRequest(
          { package: request.package, destination: request.recipient },
          request,
          request.orderId,
          options.idempotencyKey,
          config.shipFrom,
        ),
        `quoting order ${request.orderId}`,
      );
      const rate = payload.rates.find((r) => r.serviceId === request.serviceCode);
      if (!rate) {
        const ineligible = payload.ineligibleRates?.find((r) => r.serviceId === request.serviceCode);
        const why = ineligible?.ineligibilityReasons.map((r) => r.message).join("; ");
        throw new ConsignError(
          ErrorCode.UpstreamRejected,
          `Amazon Shipping does not offer ${request.serviceCode} for order ${request.orderId}${why ? `: ${why}` : ""}`,
        );
      }
      const attempt = { requestToken: payload.requestToken, rateId: rate.rateId };
      await options.rememberAttempt?.(attempt);
      const { res, call } = await purchase(attempt, options.idempotencyKey, doing);
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      const shipment = await toShipment(res, call, request.serviceCode);
      // The rate Amazon quoted is what this label costs.
      return {
        ...shipment,
        cost: { amount: rate.totalCharge.value.toFixed(2), currencyCode: rate.totalCharge.unit },
      };
    },

    async findShipment(lookup: ShipmentLookup): Promise<CreatedShipment | null> {
      const requestToken = lookup.attempt?.requestToken;
      const rateId = lookup.attempt?.rateId;
      // Without a saved rate the purchase call was never sent: nothing was bought.
      if (!requestToken || !rateId) return null;
      const { res, call } = await purchase(
        { requestToken, rateId },
        lookup.idempotencyKey,
        `checking purchase ${lookup.idempotencyKey}`,
      );
      if (res.ok) return toShipment(res, call, lookup.request?.serviceCode ?? "");
      const detail = await errorList(res);
      // The rate expired and Amazon has no purchase under this key: it was never bought.
      if (res.status === 400 && detail?.errors.some((e) => e.code === "TOKEN_EXPIRED")) return null;
      throw statusError(res, call, detail?.errors.map((e) => e.message).join("; "));
    },

    async fetchLabel(shipment: CreatedShipment): Promise<Uint8Array> {
      if (shipment.labelPdf) return shipment.labelPdf;
      return labelDocument(shipment, "PDF", 203);
    },

    async fetchZplLabel(shipment: CreatedShipment, dpi: ZplDpi): Promise<string> {
      const bytes = await labelDocument(shipment, "ZPL", dpi);
      const zpl = new TextDecoder().decode(bytes);
      if (!/^\s*\^XA/.test(zpl) || !/\^XZ\s*$/.test(zpl)) {
        throw new ConsignError(
          ErrorCode.UpstreamMalformed,
          `Amazon's ZPL label for ${shipment.trackingNumber} is not a whole ZPL format (^XA … ^XZ): print its PDF instead`,
        );
      }
      return zpl;
    },

    async voidShipment(shipment: CreatedShipment): Promise<void> {
      const call = { courier: COURIER, doing: `cancelling the label ${shipment.trackingNumber}` };
      const res = await send(
        ctx,
        call,
        url(`/shipping/v2/shipments/${encodeURIComponent(shipment.courierShipmentId)}/cancel`),
        { method: "PUT", headers: await headers(false) },
      );
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      await readJson(res, cancelShipmentResponseSchema, call);
    },

    async track(trackingNumber: string): Promise<Tracking> {
      const call = { courier: COURIER, doing: `tracking ${trackingNumber}` };
      const query = new URLSearchParams({
        trackingId: trackingNumber,
        carrierId: config.carrierId ?? "AMZN_UK",
      });
      const res = await send(ctx, call, url(`/shipping/v2/tracking?${query}`), {
        headers: await headers(false),
      });
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      const { payload } = await readJson(res, getTrackingResponseSchema, call);
      const events = payload.eventHistory
        .map((e) => ({
          at: Date.parse(e.eventTime),
          status: amazonStatus(e.eventCode),
          description: e.eventCode,
          ...(e.location?.city || e.location?.postalCode
            ? { location: [e.location.city, e.location.postalCode].filter(Boolean).join(" ") }
            : {}),
        }))
        .sort((a, b) => a.at - b.at);
      return summarise(trackingNumber, events);
    },
  };
}

function amazonStatus(code: string): TrackingStatus {
  switch (code) {
    case "Delivered":
      return "delivered";
    case "OutForDelivery":
      return "out_for_delivery";
    case "ReadyForReceive":
      return "pre_transit";
    case "PickupDone":
    case "Departed":
    case "ArrivedAtCarrierFacility":
    case "AvailableForPickup":
      return "in_transit";
    default:
      return "exception";
  }
}

function ratesRequest(
  parcel: Parcel,
  request: ShipmentRequest | undefined,
  orderId: string,
  reference: string,
  fallbackFrom: SenderAddress | undefined,
) {
  const to = parcel.destination;
  const p = parcel.package;
  const from = request?.sender ?? fallbackFrom;
  return {
    ...(from
      ? {
          shipFrom: {
            name: from.name,
            addressLine1: from.line1,
            ...(from.line2 ? { addressLine2: from.line2 } : {}),
            ...(from.companyName ? { companyName: from.companyName } : {}),
            stateOrRegion: from.county ?? from.city,
            city: from.city,
            countryCode: from.countryCode,
            postalCode: normalisePostcode(from.postcode),
            ...(from.phone ? { phoneNumber: from.phone } : {}),
          },
        }
      : {}),
    shipTo: {
      name: to.name ?? "Recipient",
      addressLine1: to.line1 ?? "Address to follow",
      ...(to.line2 ? { addressLine2: to.line2 } : {}),
      stateOrRegion: to.county ?? to.city ?? "",
      city: to.city ?? "",
      countryCode: to.countryCode,
      postalCode: normalisePostcode(to.postcode),
      ...(to.phone ? { phoneNumber: to.phone } : {}),
    },
    packages: [
      {
        dimensions: {
          length: (p.lengthMm ?? 100) / 10,
          width: (p.widthMm ?? 100) / 10,
          height: (p.heightMm ?? 100) / 10,
          unit: "CENTIMETER",
        },
        weight: { unit: "GRAM", value: p.weightGrams },
        insuredValue: { value: request?.goodsValue ?? 0, unit: "GBP" },
        packageClientReferenceId: reference,
        items: (request?.contents ?? [{ sku: "", description: "Goods", quantity: 1, unitValue: 0 }]).map(
          (c) => ({
            itemValue: { value: c.unitValue, unit: "GBP" },
            description: c.description,
            itemIdentifier: c.sku,
            quantity: c.quantity,
          }),
        ),
      },
    ],
    channelDetails: orderId
      ? { channelType: "AMAZON", amazonOrderDetails: { orderId } }
      : { channelType: "EXTERNAL" },
  };
}

async function errorList(res: Response) {
  try {
    const parsed = errorListSchema.safeParse(await res.clone().json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function errorDetail(res: Response): Promise<string | undefined> {
  const list = await errorList(res);
  return list?.errors.map((e) => [e.message, e.details].filter(Boolean).join(" — ")).join("; ");
}
