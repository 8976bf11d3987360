// Royal Mail Click & Drop (specs/couriers/royalmail/click-and-drop-api-v1.yaml), Bearer API key.
// The order reference is our idempotency key (`${orderId}:${labelRevision}`): after a timeout we
// look the order up by that reference (GET /orders/"ref") instead of creating it again.
// Tracking comes from Royal Mail's Tracking API v2 (GET /mailpieces/v2/{id}/events).
import { ConsignError, ErrorCode } from "@consign/domain";
import { base64ToBytes, joinUrl, readJson, readPdf, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import { summarise } from "../tracking.ts";
import type {
  AdapterContext,
  BatchItem,
  BatchOutcome,
  CourierAdapter,
  CourierService,
  CreatedShipment,
  Parcel,
  PurchaseOptions,
  ShipmentLookup,
  ShipmentRequest,
  Tracking,
  TrackingStatus,
} from "../types.ts";
import { clickAndDropContents, clickAndDropPostageCustoms } from "./customs.ts";
import { formatToBuy, ROYAL_MAIL_SERVICES, type RoyalMailService, royalMailFormat } from "./formats.ts";
import {
  createOrdersResponseSchema,
  deleteOrdersResponseSchema,
  errorResponseSchema,
  getSpecificOrdersResponseSchema,
  mailPieceEventsSchema,
} from "./schemas.ts";

export interface RoyalMailConfig {
  /** Click & Drop base, e.g. https://api.parcel.royalmail.com/api/v1 */
  baseUrl: string;
  apiKey: string;
  /** Royal Mail Tracking API v2, e.g. https://api.royalmail.net (its own client id and secret). */
  tracking?: { baseUrl: string; clientId: string; clientSecret: string };
  services?: readonly RoyalMailService[];
  /** OBA accounts get the label in the create response; others fetch it afterwards. */
  includeLabelInResponse?: boolean;
}

const COURIER = "Royal Mail";
/** Click & Drop allows about 5 calls a second. */
export const ROYAL_MAIL_RATE_LIMIT = { perSecond: 5, burst: 5 } as const;
/**
 * Orders per POST /orders. The spec sets no maximum on `items` (it caps lookups at 100 identifiers);
 * 25 keeps one call's answer (each label inline, ~5 KB of base64) and the orders a failed call leaves
 * uncertain small, while 5 calls a second still allow 125 labels a second.
 */
export const ROYAL_MAIL_ORDERS_PER_CALL = 25;
/** Order identifiers or references per GET /orders/{orderIdentifiers} (the spec's maximum). */
export const ROYAL_MAIL_LOOKUPS_PER_CALL = 100;

const ROYAL_MAIL_DOMESTIC_COUNTRIES = new Set(["GB", "JE", "GG", "IM"]);

const DELIVERED_CODES = new Set(["EVKSP", "EVKOP", "EVKLC", "EVKSF"]);

export function createRoyalMailAdapter(config: RoyalMailConfig, ctx: AdapterContext): CourierAdapter {
  const services = config.services ?? ROYAL_MAIL_SERVICES;
  const headers = { Authorization: `Bearer ${config.apiKey}`, Accept: "application/json" };
  const url = (path: string) => joinUrl(config.baseUrl, path);

  async function lookup(orderIdentifiers: string, doing: string) {
    const call = { courier: COURIER, doing };
    const res = await send(ctx, call, url(`/orders/${orderIdentifiers}`), { headers });
    if (res.status === 404) return [];
    if (!res.ok) throw statusError(res, call, await errorDetail(res));
    return readJson(res, getSpecificOrdersResponseSchema, call);
  }

  /** The Click & Drop order for one request, or the refusal saying why it cannot be bought. */
  function prepare(request: ShipmentRequest, orderReference: string) {
    const format = formatToBuy(request.package);
    return { format, body: clickAndDropOrder(request, orderReference, format.clickAndDrop, config) };
  }

  /**
   * One POST /orders for up to ROYAL_MAIL_ORDERS_PER_CALL orders. Each order's answer is matched by
   * its orderReference (our key) in createdOrders or failedOrders; an order in neither is left out
   * of the map (its outcome is unknown: look it up). A call that fails as a whole throws.
   */
  async function createOrders(items: readonly BatchItem[]): Promise<Map<string, BatchOutcome>> {
    const outcomes = new Map<string, BatchOutcome>();
    const sent: { item: BatchItem; format: NonNullable<ReturnType<typeof royalMailFormat>> }[] = [];
    const bodies: unknown[] = [];
    for (const item of items) {
      try {
        const { format, body } = prepare(item.request, item.idempotencyKey);
        sent.push({ item, format });
        bodies.push(body);
      } catch (error) {
        outcomes.set(item.idempotencyKey, { refused: error as Error });
      }
    }
    if (sent.length === 0) return outcomes;
    const call = {
      courier: COURIER,
      doing:
        sent.length === 1
          ? `buying the label for order ${sent[0]!.item.request.orderId}`
          : `buying ${sent.length} labels`,
    };
    const res = await send(ctx, call, url("/orders"), {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ items: bodies }),
    });
    if (!res.ok) throw statusError(res, call, await errorDetail(res));
    const body = await readJson(res, createOrdersResponseSchema, call);
    const byReference = new Map(sent.map((s) => [s.item.idempotencyKey, s]));
    for (const failed of body.failedOrders ?? []) {
      const reference = failed.order?.orderReference;
      // A single order's refusal may come back without the order echoed: it is that order's.
      const key =
        typeof reference === "string"
          ? reference
          : sent.length === 1
            ? sent[0]!.item.idempotencyKey
            : undefined;
      if (key === undefined || !byReference.has(key)) continue;
      outcomes.set(key, {
        refused: new ConsignError(ErrorCode.UpstreamRejected, failureReason(failed.errors ?? [])),
      });
    }
    for (const created of body.createdOrders ?? []) {
      const key = created.orderReference ?? (sent.length === 1 ? sent[0]!.item.idempotencyKey : undefined);
      const s = key === undefined ? undefined : byReference.get(key);
      if (!s || key === undefined) continue;
      if (!created.trackingNumber) {
        outcomes.set(key, {
          refused: new ConsignError(
            ErrorCode.UpstreamMalformed,
            `Royal Mail created order ${created.orderIdentifier} without a tracking number`,
          ),
        });
        continue;
      }
      // Click & Drop's answer carries no charge: the account's price for the service and format is it.
      const price = ROYAL_MAIL_SERVICES.find((x) => x.serviceCode === s.item.request.serviceCode)?.prices[
        s.format.format
      ];
      outcomes.set(key, {
        created: {
          courier: "royal-mail",
          courierShipmentId: String(created.orderIdentifier),
          trackingNumber: created.trackingNumber,
          serviceCode: s.item.request.serviceCode,
          ...(price ? { cost: { amount: price, currencyCode: "GBP" } } : {}),
          ...(created.label ? { labelPdf: base64ToBytes(created.label) } : {}),
        },
      });
    }
    return outcomes;
  }

  /** A shipment Royal Mail already holds (found by reference), priced like a purchase when the request is known. */
  function fromOrderInfo(
    order: { orderIdentifier: number; trackingNumber?: string | undefined },
    request: ShipmentRequest | undefined,
  ): CreatedShipment {
    if (!order.trackingNumber) {
      throw new ConsignError(
        ErrorCode.UpstreamMalformed,
        `Royal Mail has order ${order.orderIdentifier} but without a tracking number`,
      );
    }
    const format = request ? royalMailFormat(request.package) : undefined;
    const price =
      request && format
        ? ROYAL_MAIL_SERVICES.find((x) => x.serviceCode === request.serviceCode)?.prices[format.format]
        : undefined;
    return {
      courier: "royal-mail",
      courierShipmentId: String(order.orderIdentifier),
      trackingNumber: order.trackingNumber,
      serviceCode: request?.serviceCode ?? "",
      ...(price ? { cost: { amount: price, currencyCode: "GBP" } } : {}),
    };
  }

  return {
    courier: "royal-mail",
    displayName: COURIER,
    amazonCarrierCode: "Royal Mail",
    rateLimit: ROYAL_MAIL_RATE_LIMIT,

    async services(parcel: Parcel): Promise<CourierService[]> {
      // The UK's domestic services reach the Channel Islands, the Isle of Man and BFPO too.
      if (!ROYAL_MAIL_DOMESTIC_COUNTRIES.has(parcel.destination.countryCode.toUpperCase())) return [];
      const format = royalMailFormat(parcel.package);
      if (!format) return [];
      const offered: CourierService[] = [];
      for (const s of services) {
        const price = s.prices[format.format];
        if (price === undefined) continue;
        offered.push({
          courier: "royal-mail",
          serviceCode: s.serviceCode,
          name: s.name,
          price: { amount: price, currencyCode: "GBP" },
          format: format.format,
        });
      }
      return offered;
    },

    async createShipment(request: ShipmentRequest, options: PurchaseOptions): Promise<CreatedShipment> {
      // Refused before any call when the format cannot go (nothing to remember then).
      prepare(request, options.idempotencyKey);
      await options.rememberAttempt?.({ orderReference: options.idempotencyKey });
      const outcomes = await createOrders([{ request, idempotencyKey: options.idempotencyKey }]);
      const outcome = outcomes.get(options.idempotencyKey);
      if (!outcome) {
        throw new ConsignError(ErrorCode.UpstreamMalformed, "Royal Mail answered without the created order");
      }
      if ("refused" in outcome) throw outcome.refused;
      return outcome.created;
    },

    batch: {
      maxPerCall: ROYAL_MAIL_ORDERS_PER_CALL,
      maxLookupsPerCall: ROYAL_MAIL_LOOKUPS_PER_CALL,
      createShipments: (items) => createOrders(items),
      async findShipments(lookups: readonly ShipmentLookup[]): Promise<Map<string, CreatedShipment>> {
        const found = new Map<string, CreatedShipment>();
        for (let i = 0; i < lookups.length; i += ROYAL_MAIL_LOOKUPS_PER_CALL) {
          const chunk = lookups.slice(i, i + ROYAL_MAIL_LOOKUPS_PER_CALL);
          const ids = chunk.map((l) => `"${encodeURIComponent(l.idempotencyKey)}"`).join(";");
          const orders = await lookup(ids, `looking up ${chunk.length} order references`);
          for (const l of chunk) {
            const order = orders.find((o) => o.orderReference === l.idempotencyKey);
            if (order) found.set(l.idempotencyKey, fromOrderInfo(order, l.request));
          }
        }
        return found;
      },
    },

    async findShipment(found: ShipmentLookup): Promise<CreatedShipment | null> {
      const reference = `"${encodeURIComponent(found.idempotencyKey)}"`;
      const orders = await lookup(reference, `looking up order reference ${found.idempotencyKey}`);
      const order = orders.find((o) => o.orderReference === found.idempotencyKey) ?? orders[0];
      if (!order) return null;
      return fromOrderInfo(order, found.request);
    },

    // No fetchZplLabel: Click & Drop's label call (GET /orders/{ids}/label) produces PDF only, its
    // page format set on the account's "Label format" page. The ZPL203DPI / ZPL300DPI label
    // formats belong to Royal Mail's other API, RM Pro Shipping v3 (printLabel's LabelFormat),
    // which Consign does not connect to; Royal Mail labels reach a thermal printer as their PDF
    // drawn at the printer's dpi.
    async fetchLabel(shipment: CreatedShipment): Promise<Uint8Array> {
      if (shipment.labelPdf) return shipment.labelPdf;
      const call = { courier: COURIER, doing: `fetching the label for ${shipment.trackingNumber}` };
      const res = await send(
        ctx,
        call,
        url(
          `/orders/${shipment.courierShipmentId}/label?documentType=postageLabel&includeReturnsLabel=false`,
        ),
        { headers: { Authorization: headers.Authorization, Accept: "application/pdf" } },
      );
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      return readPdf(res, call);
    },

    async voidShipment(shipment: CreatedShipment): Promise<void> {
      const call = { courier: COURIER, doing: `cancelling the label ${shipment.trackingNumber}` };
      const res = await send(ctx, call, url(`/orders/${shipment.courierShipmentId}`), {
        method: "DELETE",
        headers,
      });
      if (!res.ok) throw statusError(res, call, await errorDetail(res));
      const body = await readJson(res, deleteOrdersResponseSchema, call);
      const error = body.errors?.[0];
      if (error) {
        throw new ConsignError(
          ErrorCode.UpstreamRejected,
          `Royal Mail would not cancel ${shipment.trackingNumber}: ${error.message ?? error.code ?? "no reason given"}`,
        );
      }
    },

    async track(trackingNumber: string): Promise<Tracking> {
      const tracking = config.tracking;
      if (!tracking) {
        throw new ConsignError(
          ErrorCode.CourierNotConnected,
          "Royal Mail tracking is not set up for this account",
        );
      }
      const call = { courier: COURIER, doing: `tracking ${trackingNumber}` };
      const res = await send(
        ctx,
        call,
        joinUrl(tracking.baseUrl, `/mailpieces/v2/${encodeURIComponent(trackingNumber)}/events`),
        {
          headers: {
            "X-IBM-Client-Id": tracking.clientId,
            "X-IBM-Client-Secret": tracking.clientSecret,
            "X-Accept-RMG-Terms": "yes",
            Accept: "application/json",
          },
        },
      );
      if (!res.ok) throw statusError(res, call);
      const body = await readJson(res, mailPieceEventsSchema, call);
      const events = body.mailPieces.events
        .map((e) => ({
          at: Date.parse(e.eventDateTime),
          status: royalMailStatus(e.eventCode, e.eventName),
          description: e.eventName,
          ...(e.locationName ? { location: e.locationName } : {}),
        }))
        .sort((a, b) => a.at - b.at);
      return summarise(trackingNumber, events);
    },
  };
}

function royalMailStatus(code: string, name: string): TrackingStatus {
  if (DELIVERED_CODES.has(code) || /^delivered/i.test(name)) return "delivered";
  if (/out for delivery/i.test(name)) return "out_for_delivery";
  if (/^EVA/.test(code) || /(ready|label|despatch.*created)/i.test(name)) return "pre_transit";
  if (/(return|undeliver|fail|damag)/i.test(name)) return "exception";
  return "in_transit";
}

function clickAndDropOrder(
  request: ShipmentRequest,
  orderReference: string,
  packageFormatIdentifier: string,
  config: RoyalMailConfig,
) {
  const r = request.recipient;
  const p = request.package;
  const shipping = request.shippingPaid ?? 0;
  return {
    orderReference,
    recipient: {
      address: {
        fullName: r.name,
        addressLine1: r.line1,
        ...(r.line2 ? { addressLine2: r.line2 } : {}),
        ...(r.line3 ? { addressLine3: r.line3 } : {}),
        city: r.city,
        ...(r.county ? { county: r.county } : {}),
        postcode: normalisePostcode(r.postcode),
        countryCode: r.countryCode,
      },
      ...(r.phone ? { phoneNumber: r.phone } : {}),
    },
    sender: {
      tradingName: request.sender.companyName ?? request.sender.name,
      ...(request.sender.phone ? { phoneNumber: request.sender.phone } : {}),
      ...(request.sender.email ? { emailAddress: request.sender.email } : {}),
    },
    packages: [
      {
        weightInGrams: p.weightGrams,
        packageFormatIdentifier,
        ...(p.lengthMm && p.widthMm && p.heightMm
          ? { dimensions: { heightInMms: p.heightMm, widthInMms: p.widthMm, depthInMms: p.lengthMm } }
          : {}),
        contents: clickAndDropContents(request),
      },
    ],
    orderDate: new Date(request.orderDate).toISOString(),
    subtotal: pounds(request.goodsValue),
    shippingCostCharged: pounds(shipping),
    total: pounds(request.goodsValue + shipping),
    currencyCode: "GBP",
    postageDetails: { serviceCode: request.serviceCode, ...clickAndDropPostageCustoms(request) },
    ...(config.includeLabelInResponse !== false
      ? {
          label: {
            includeLabelInResponse: true,
            // One page per label: the CN22/CN23 is Consign's own (packages/labels), printed right
            // after the label for every courier, so Click & Drop is not asked for a second one.
            includeCN: false,
            includeReturnsLabel: false,
          },
        }
      : {}),
  };
}

function pounds(value: number): number {
  return Math.round(value * 100) / 100;
}

function failureReason(
  errors: {
    errorMessage?: string | undefined;
    fields?: { fieldName?: string | undefined; value?: string | undefined }[] | undefined;
  }[],
): string {
  if (errors.length === 0) return "Royal Mail refused the label without giving a reason";
  const parts = errors.map((e) => {
    const fields = (e.fields ?? [])
      .map((f) => [f.fieldName, f.value].filter(Boolean).join(" "))
      .filter(Boolean)
      .join(", ");
    return `${e.errorMessage ?? "refused"}${fields ? ` (${fields})` : ""}`;
  });
  return `Royal Mail refused the label: ${parts.join("; ")}`;
}

async function errorDetail(res: Response): Promise<string | undefined> {
  try {
    const body: unknown = await res.clone().json();
    const single = errorResponseSchema.safeParse(body);
    if (single.success) return [single.data.message, single.data.details].filter(Boolean).join(" — ");
    if (Array.isArray(body)) {
      const messages = body
        .map((e) => (typeof e === "object" && e && "message" in e ? String(e.message) : ""))
        .filter(Boolean);
      if (messages.length) return messages.join("; ");
    }
  } catch {
    // not JSON: the status alone has to do
  }
  return undefined;
}
