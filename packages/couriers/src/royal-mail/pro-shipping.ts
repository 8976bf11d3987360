// Royal Mail Pro Shipping: the Shipping API v3 for contract (OBA) accounts
// (specs/couriers/royalmail/rmg-pro-shipping-v3-rest-api-v3.0.20.yaml; our own schemas below).
// The same courier as Click & Drop to the seller and to Amazon ("Royal Mail"), reached another way:
//
//   - Sign-in: POST /token with X-IBM-Client-Id, X-IBM-Client-Secret, X-RMG-Security-Username and
//     X-RMG-Security-Password gives a token for X-RMG-Auth-Token, kept until Royal Mail refuses it
//     (401), then asked for once more.
//   - Buying: POST /shipments with LabelFormat PDF: the PDF is what A4 and sheet printing need and
//     what the ledger keeps. ShipperReference is the Amazon order id (printed on the label, used by
//     Royal Mail's returns), ShipperReference2 our key `${orderId}:${revision}`.
//   - The courier's own ZPL: PUT /shipments/{UniqueId}/printLabel with LabelFormat ZPL203DPI or
//     ZPL300DPI, asked when a ZPL printer first needs the label, at that printer's dpi (the edge keeps
//     it beside the PDF). On demand rather than at purchase: a run bought for A4 costs no extra calls,
//     and only the dpi a seller's printers have is ever fetched. Royal Mail reprints only until the
//     day is manifested; after that `fetchZplLabel` says so and the PDF is printed instead.
//   - Cancel: PUT /shipments/cancel with the Unique Id and ReasonForCancellation OrderCancelled.
//   - Tracking: Royal Mail's Tracking API v2, with the same IBM client id and secret.
//
// Pro Shipping takes no idempotency key and has no lookup by reference: after an uncertain purchase
// (a timeout or HTTP 500) nothing can tell us whether the shipment exists, so `findShipment` says so
// and the edge never buys again on its own (see findShipment). A 429 and the gateway's 503 ("Service
// Unavailable": the call never reached Pro Shipping) are certain: nothing was bought, try again.
//
// ASSUMED (the model lists no codes): the service codes TPN01 (Tracked 24), TPS01 (Tracked 48) and
// SD101 (Special Delivery by 1pm), mapped from the codes shipping rules use for Royal Mail so that a
// rule keeps working whichever Royal Mail API the seller connects; and E1436 for "already cancelled".
import { ConsignError, ErrorCode } from "@consign/domain";
import { z } from "zod";
import { base64ToBytes, isPdf, joinUrl, readJson, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import type {
  AdapterContext,
  CourierAdapter,
  CreatedShipment,
  Parcel,
  PurchaseOptions,
  ShipmentLookup,
  ShipmentRequest,
  Tracking,
  ZplDpi,
} from "../types.ts";
import { createRoyalMailAdapter } from "./adapter.ts";
import { formatToBuy, ROYAL_MAIL_SERVICES, royalMailFormat } from "./formats.ts";

export interface ProShippingConfig {
  /** e.g. https://api.royalmail.net/shipping/v3 */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** The account's 10-digit posting location (the model requires it with any service option). */
  postingLocation: string;
  /** Tracking API v2 host, e.g. https://api.royalmail.net (defaults to the base URL's host). */
  trackingBaseUrl?: string;
}

const COURIER = "Royal Mail";
/** The model states no limit; 5 a second, as Click & Drop's. */
export const PRO_SHIPPING_RATE_LIMIT = { perSecond: 5, burst: 5 } as const;

/** Our service codes (the ones shipping rules hold for Royal Mail) → Pro Shipping's (assumed). */
export const PRO_SHIPPING_SERVICE_CODES: Readonly<Record<string, string>> = {
  TPN24: "TPN01",
  TPS48: "TPS01",
  SD1: "SD101",
};

/** Our package formats → Pro Shipping's ServiceFormat (L letter, F large letter, P parcel). */
const SERVICE_FORMAT = {
  letter: "L",
  "large-letter": "F",
  "small-parcel": "P",
  "medium-parcel": "P",
} as const;

// ---- our schemas of the answers we read (from the model's definitions) ----

const errorDetail = z.object({
  Message: z.string().optional(),
  Cause: z.string().optional(),
  ErrorCode: z.string().optional(),
});
const tokenResponse = z.object({ token: z.string().min(1) });
const createResponse = z.object({
  HttpStatusCode: z.number().int(),
  Packages: z
    .array(
      z.object({
        PackageOccurance: z.number().int(),
        UniqueId: z.string().length(21).optional(),
        TrackingNumber: z.string().length(13).optional(),
        CarrierCode: z.string().max(4).optional(),
      }),
    )
    .optional(),
  LabelImageFormat: z.enum(["PDF", "PNG", "DATASTREAM", "ZPL203DPI", "ZPL300DPI"]).optional(),
  LabelImages: z.string().optional(),
  Message: z.string().optional(),
  Errors: z.array(errorDetail).optional(),
});
const printLabelResponse = z.object({
  HttpStatusCode: z.number().int(),
  LabelImage: z.string().optional(),
  LabelImageFormat: z.enum(["PDF", "PNG", "DATASTREAM", "ZPL203DPI", "ZPL300DPI"]).optional(),
  TrackingNumber: z.string().optional(),
  Errors: z.array(errorDetail).optional(),
});
const failureBody = z.object({ Message: z.string().optional(), Errors: z.array(errorDetail).optional() });
const gatewayError = z.object({ moreInformation: z.string() });

/** Royal Mail's own words from a failed answer (the model's Errors, or the gateway's). */
async function reason(res: Response): Promise<{ text?: string; codes: string[] }> {
  try {
    const body: unknown = await res.clone().json();
    const f = failureBody.safeParse(body);
    if (f.success && (f.data.Errors?.length || f.data.Message)) {
      const errors = f.data.Errors ?? [];
      const text = errors.length
        ? errors.map((e) => `${e.Message ?? "refused"}${e.Cause ? ` (${e.Cause})` : ""}`).join("; ")
        : f.data.Message;
      return { ...(text ? { text } : {}), codes: errors.map((e) => e.ErrorCode ?? "") };
    }
    const g = gatewayError.safeParse(body);
    if (g.success) return { text: g.data.moreInformation, codes: [] };
  } catch {
    // not JSON: the status says it
  }
  return { codes: [] };
}

function weightKg(grams: number): number {
  return Math.round(grams) / 1000;
}

/** The model's CreateShipment.Shipment for one request. */
export function proShippingShipment(
  request: ShipmentRequest,
  idempotencyKey: string,
  config: Pick<ProShippingConfig, "postingLocation">,
  shipmentDate: string,
) {
  const format = formatToBuy(request.package);
  const serviceCode = PRO_SHIPPING_SERVICE_CODES[request.serviceCode];
  if (!serviceCode) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `Royal Mail Pro Shipping has no service for ${request.serviceCode}: choose Tracked 24, Tracked 48 or Special Delivery in the rule.`,
    );
  }
  const r = request.recipient;
  const s = request.sender;
  const p = request.package;
  const cm = (mm: number | undefined) => (mm ? Math.max(0.01, mm / 10) : undefined);
  // The model's limits (35 characters an address line, 40 a name), refused rather than cut: a cut
  // address is a parcel that goes astray.
  const tooLong = (
    [
      ["name", r.name, 40],
      ["address line 1", r.line1, 35],
      ["address line 2", r.line2, 35],
      ["address line 3", r.line3, 35],
      ["town", r.city, 35],
    ] as const
  ).find(([, v, max]) => (v ?? "").length > max);
  if (tooLong) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `Royal Mail Pro Shipping takes at most ${tooLong[2]} characters in the ${tooLong[0]} ("${tooLong[1]}"): correct the delivery address first.`,
      [{ path: `recipient.${tooLong[0]}`, message: `at most ${tooLong[2]} characters` }],
    );
  }
  return {
    Shipper: {
      ShipperReference: request.orderId,
      ShipperReference2: idempotencyKey,
      ...(s.companyName ? { CompanyName: s.companyName.slice(0, 35) } : {}),
      ContactName: s.name.slice(0, 40),
      AddressLine1: s.line1.slice(0, 35),
      Town: s.city.slice(0, 35),
      Postcode: normalisePostcode(s.postcode),
      CountryCode: s.countryCode,
    },
    Destination: {
      ContactName: r.name,
      AddressLine1: r.line1,
      ...(r.line2 ? { AddressLine2: r.line2 } : {}),
      ...(r.line3 ? { AddressLine3: r.line3 } : {}),
      Town: r.city,
      ...(r.county ? { County: r.county.slice(0, 50) } : {}),
      CountryCode: r.countryCode,
      Postcode: normalisePostcode(r.postcode),
      ...(r.phone ? { PhoneNumber: r.phone.slice(0, 20) } : {}),
    },
    ShipmentInformation: {
      ShipmentDate: shipmentDate,
      ServiceCode: serviceCode,
      ServiceOptions: {
        PostingLocation: config.postingLocation,
        ServiceFormat: SERVICE_FORMAT[format.format as keyof typeof SERVICE_FORMAT] ?? "P",
      },
      TotalPackages: 1,
      TotalWeight: weightKg(p.weightGrams),
      WeightUnitOfMeasure: "KG",
      Product: "NDX",
      LabelFormat: "PDF",
      ShipmentAction: "Process",
      Packages: [
        {
          PackageOccurrence: 1,
          Weight: weightKg(p.weightGrams),
          ...(p.lengthMm && p.widthMm && p.heightMm
            ? { Length: cm(p.lengthMm), Width: cm(p.widthMm), Height: cm(p.heightMm) }
            : {}),
        },
      ],
    },
  };
}

/**
 * Pro Shipping's sign-in (POST /token): the token, or a refusal that says which settings to check.
 * Connecting the account in Settings calls it, so wrong credentials are said at once.
 */
export async function signInToProShipping(
  config: Pick<ProShippingConfig, "baseUrl" | "clientId" | "clientSecret" | "username" | "password">,
  ctx: AdapterContext,
): Promise<string> {
  const call = { courier: COURIER, doing: "signing in to Pro Shipping" };
  const res = await send(ctx, call, joinUrl(config.baseUrl, "/token"), {
    method: "POST",
    headers: {
      "X-IBM-Client-Id": config.clientId,
      "X-IBM-Client-Secret": config.clientSecret,
      "X-RMG-Security-Username": config.username,
      "X-RMG-Security-Password": config.password,
      Accept: "application/json",
    },
  });
  if (res.status === 401 || res.status === 403) {
    const why = (await reason(res)).text;
    throw new ConsignError(
      ErrorCode.CourierNotConnected,
      `Royal Mail Pro Shipping refused the sign-in${why ? ` (${why})` : ""}: check the client id and secret, the username and the password in Settings → Couriers`,
    );
  }
  if (!res.ok) throw statusError(res, call, (await reason(res)).text);
  return (await readJson(res, tokenResponse, call)).token;
}

export function createProShippingAdapter(
  config: ProShippingConfig,
  ctx: AdapterContext,
  options: { now?: () => number } = {},
): CourierAdapter {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const now = options.now ?? Date.now;
  let token: Promise<string> | undefined;
  // Tracking API v2 through the Click & Drop adapter's reader (the same Royal Mail API and client id).
  const trackingHost = config.trackingBaseUrl ?? new URL(config.baseUrl).origin;
  const tracker = createRoyalMailAdapter(
    {
      baseUrl: config.baseUrl,
      apiKey: "-",
      tracking: { baseUrl: trackingHost, clientId: config.clientId, clientSecret: config.clientSecret },
    },
    ctx,
  );

  const signIn = () => signInToProShipping(config, ctx);

  /** One call with the token; a refused token is renewed once (it lasts hours, not for ever). */
  async function call(path: string, init: RequestInit, doing: string): Promise<Response> {
    const c = { courier: COURIER, doing };
    for (let attempt = 0; ; attempt++) {
      token ??= signIn().catch((e: unknown) => {
        token = undefined;
        throw e;
      });
      const current = await token;
      const res = await send(ctx, c, url(path), {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          "X-IBM-Client-Id": config.clientId,
          "X-RMG-Auth-Token": current,
          Accept: "application/json",
        },
      });
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        if (token !== undefined && (await token) === current) token = undefined;
        continue;
      }
      return res;
    }
  }

  /** A failed answer as the error a person can act on. */
  async function failed(res: Response, doing: string): Promise<ConsignError> {
    const { text } = await reason(res);
    if (res.status === 503) {
      // The API gateway's "Service Unavailable": the call never reached Pro Shipping.
      return new ConsignError(
        ErrorCode.UpstreamRejected,
        `Royal Mail Pro Shipping is unavailable (HTTP 503) while ${doing}; nothing was done: try again shortly`,
      );
    }
    if (res.status === 400)
      return new ConsignError(
        ErrorCode.UpstreamRejected,
        `Royal Mail refused ${doing}${text ? `: ${text}` : ""}`,
      );
    return statusError(res, { courier: COURIER, doing }, text);
  }

  function shipmentDate(): string {
    // Royal Mail's day is the UK's: the date in London now.
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(now()));
  }

  return {
    courier: "royal-mail",
    displayName: COURIER,
    amazonCarrierCode: "Royal Mail",
    rateLimit: PRO_SHIPPING_RATE_LIMIT,

    // The same services, formats and prices as Click & Drop: the account is the seller's contract.
    services: (parcel: Parcel) => tracker.services(parcel),

    async createShipment(request: ShipmentRequest, options: PurchaseOptions): Promise<CreatedShipment> {
      const body = proShippingShipment(request, options.idempotencyKey, config, shipmentDate());
      await options.rememberAttempt?.({ shipperReference2: options.idempotencyKey });
      const doing = `buying the label for order ${request.orderId}`;
      const res = await call(
        "/shipments",
        { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
        doing,
      );
      if (!res.ok) throw await failed(res, doing);
      const answer = await readJson(res, createResponse, { courier: COURIER, doing });
      const pkg = answer.Packages?.[0];
      if (!pkg?.UniqueId || !pkg.TrackingNumber) {
        throw new ConsignError(
          ErrorCode.UpstreamMalformed,
          `Royal Mail answered the purchase for order ${request.orderId} without a tracking number or Unique Id: look for reference ${request.orderId} in Pro Shipping before buying again`,
        );
      }
      const pdf = answer.LabelImages ? base64ToBytes(answer.LabelImages) : undefined;
      const format = royalMailFormat(request.package);
      const price =
        format &&
        ROYAL_MAIL_SERVICES.find((x) => x.serviceCode === request.serviceCode)?.prices[format.format];
      return {
        courier: "royal-mail",
        courierShipmentId: pkg.UniqueId,
        trackingNumber: pkg.TrackingNumber,
        serviceCode: request.serviceCode,
        ...(price ? { cost: { amount: price, currencyCode: "GBP" } } : {}),
        ...(pdf && isPdf(pdf) ? { labelPdf: pdf } : {}),
      };
    },

    async findShipment(lookup: ShipmentLookup): Promise<CreatedShipment | null> {
      // No call can answer this: Pro Shipping has no lookup by reference. Never guess "not bought"
      // (that would buy twice); the seller checks Pro Shipping and the order says how.
      throw new ConsignError(
        ErrorCode.UpstreamUnavailable,
        `Royal Mail Pro Shipping did not confirm the label for order ${lookup.request?.orderId ?? lookup.idempotencyKey}, and it cannot be asked afterwards whether it was made. Look in Pro Shipping for reference ${lookup.request?.orderId ?? lookup.idempotencyKey}: if a shipment is there, cancel it there, then buy again`,
      );
    },

    async fetchLabel(shipment: CreatedShipment): Promise<Uint8Array> {
      if (shipment.labelPdf) return shipment.labelPdf;
      const image = await printLabel(shipment, "PDF");
      const pdf = base64ToBytes(image);
      if (!isPdf(pdf))
        throw new ConsignError(ErrorCode.UpstreamMalformed, "Royal Mail sent a label that is not a PDF");
      return pdf;
    },

    async fetchZplLabel(shipment: CreatedShipment, dpi: ZplDpi): Promise<string> {
      const image = await printLabel(shipment, dpi === 300 ? "ZPL300DPI" : "ZPL203DPI");
      const zpl = new TextDecoder().decode(base64ToBytes(image));
      if (!/^\s*\^XA/.test(zpl) || !/\^XZ\s*$/.test(zpl)) {
        throw new ConsignError(
          ErrorCode.UpstreamMalformed,
          `Royal Mail's ZPL label for ${shipment.trackingNumber} is not a whole ZPL format (^XA … ^XZ): print its PDF instead`,
        );
      }
      return zpl;
    },

    async voidShipment(shipment: CreatedShipment): Promise<void> {
      const doing = `cancelling the label ${shipment.trackingNumber}`;
      const res = await call(
        "/shipments/cancel",
        {
          method: "PUT",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify([
            { ShipmentId: shipment.courierShipmentId, ReasonForCancellation: "OrderCancelled" },
          ]),
        },
        doing,
      );
      if (res.ok) {
        await res.body?.cancel();
        return;
      }
      // Cancelled already (a retried void): what was asked is so.
      if (res.status === 400 && (await reason(res)).codes.every((c) => c === "E1436")) return;
      throw await failed(res, doing);
    },

    track: (trackingNumber: string): Promise<Tracking> => tracker.track(trackingNumber),
  };

  async function printLabel(shipment: CreatedShipment, format: "PDF" | "ZPL203DPI" | "ZPL300DPI") {
    const doing = `fetching the ${format === "PDF" ? "" : `${format === "ZPL300DPI" ? 300 : 203} dpi ZPL `}label for ${shipment.trackingNumber}`;
    const res = await call(
      `/shipments/${encodeURIComponent(shipment.courierShipmentId)}/printLabel`,
      {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ LabelFormat: format }),
      },
      doing,
    );
    if (!res.ok) {
      const { codes, text } = await reason(res);
      if (res.status === 400 && codes.includes("E1434")) {
        throw new ConsignError(
          ErrorCode.UpstreamRejected,
          `Royal Mail no longer prints ${shipment.trackingNumber} (the day it is on was manifested)${text ? `: ${text}` : ""}`,
        );
      }
      throw await failed(res, doing);
    }
    const answer = await readJson(res, printLabelResponse, { courier: COURIER, doing });
    if (!answer.LabelImage || answer.LabelImageFormat !== format) {
      throw new ConsignError(
        ErrorCode.UpstreamMalformed,
        `Royal Mail answered ${doing} without a ${format} label (it sent ${answer.LabelImageFormat ?? "none"})`,
      );
    }
    return answer.LabelImage;
  }
}
