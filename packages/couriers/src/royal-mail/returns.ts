// Royal Mail Tracked Returns through Click & Drop (specs/couriers/royalmail/click-and-drop-api-v1.yaml).
// The model has no returns endpoint of its own: a returns label is a Click & Drop order
// (POST /orders, like ./adapter.ts) on a returns service, addressed to the seller (recipient: the
// dispatch address the return comes back to), with the buyer who posts it as the order's billing
// details (BillingDetailsRequest.address), our reference as orderReference and
// `label.includeLabelInResponse` for the PDF (or GET /orders/{id}/label?documentType=postageLabel
// afterwards, for accounts that do not get it in the answer). Refusals come as failedOrders with
// errorMessage and fields, as for any order.
// ASSUMED (not in the model, which lists no service codes): "TRN" is Royal Mail Tracked Returns 48,
// which the account must have switched on; Royal Mail's returns are a PDF (no QR code through this API).
import { type Address, ConsignError, ErrorCode, RETURNS_COURIERS } from "@consign/domain";
import { base64ToBytes, joinUrl, readJson, readPdf, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import type { ReturnLabel, ReturnRequest, ReturnsAdapter } from "../returns.ts";
import type { AdapterContext } from "../types.ts";
import { royalMailFormat } from "./formats.ts";
import { createOrdersResponseSchema } from "./schemas.ts";

export interface RoyalMailReturnsConfig {
  baseUrl: string;
  apiKey: string;
  /** OBA accounts get the label in the create response; others fetch it afterwards. */
  includeLabelInResponse?: boolean;
}

const COURIER = "Royal Mail";
export const ROYAL_MAIL_RETURNS_SERVICE = {
  serviceCode: "TRN",
  name: "Royal Mail Tracked Returns 48",
} as const;
/** A parcel with no weight recorded goes as a small parcel's most: the buyer packs what was sent. */
const DEFAULT_RETURN_GRAMS = 2000;
const UK = new Set(["GB", "JE", "GG", "IM"]);

function clickAndDropAddress(a: Address, companyName?: string) {
  return {
    fullName: a.name.slice(0, 210),
    ...(companyName ? { companyName: companyName.slice(0, 100) } : {}),
    addressLine1: a.line1.slice(0, 100),
    ...(a.line2 ? { addressLine2: a.line2.slice(0, 100) } : {}),
    ...(a.line3 ? { addressLine3: a.line3.slice(0, 100) } : {}),
    city: a.city.slice(0, 100),
    ...(a.county ? { county: a.county.slice(0, 100) } : {}),
    postcode: normalisePostcode(a.postcode),
    countryCode: a.countryCode,
  };
}

export function createRoyalMailReturns(config: RoyalMailReturnsConfig, ctx: AdapterContext): ReturnsAdapter {
  const headers = { Authorization: `Bearer ${config.apiKey}`, Accept: "application/json" };
  const url = (path: string) => joinUrl(config.baseUrl, path);
  return {
    courier: "royal-mail",
    displayName: COURIER,
    formats: RETURNS_COURIERS["royal-mail"]?.formats ?? ["pdf"],
    async createReturn(request: ReturnRequest): Promise<ReturnLabel> {
      if (!UK.has(request.from.countryCode.toUpperCase())) {
        throw new ConsignError(
          ErrorCode.BadRequest,
          `Royal Mail Tracked Returns are posted from a UK address; this buyer is in ${request.from.countryCode}: send them a returns address instead.`,
        );
      }
      const format = royalMailFormat({ weightGrams: request.weightGrams ?? DEFAULT_RETURN_GRAMS });
      if (!format || format.format === "letter") {
        throw new ConsignError(
          ErrorCode.BadRequest,
          `A ${request.weightGrams} g parcel is outside Royal Mail Tracked Returns (a large letter to 20 kg).`,
        );
      }
      const packageFormat = format.clickAndDrop;
      const call = { courier: COURIER, doing: `creating the returns label for order ${request.orderId}` };
      const res = await send(ctx, call, url("/orders"), {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify({
          items: [
            {
              orderReference: request.reference.slice(0, 40),
              recipient: { address: clickAndDropAddress(request.to, request.to.companyName) },
              sender: { tradingName: (request.to.companyName ?? request.to.name).slice(0, 250) },
              billing: { address: clickAndDropAddress(request.from) },
              packages: [
                {
                  weightInGrams: Math.min(
                    Math.max(request.weightGrams ?? DEFAULT_RETURN_GRAMS, 1),
                    format.maxGrams,
                  ),
                  packageFormatIdentifier: packageFormat,
                },
              ],
              orderDate: new Date(request.at).toISOString(),
              subtotal: 0,
              shippingCostCharged: 0,
              total: 0,
              currencyCode: "GBP",
              postageDetails: { serviceCode: ROYAL_MAIL_RETURNS_SERVICE.serviceCode },
              ...(config.includeLabelInResponse !== false
                ? { label: { includeLabelInResponse: true, includeCN: false, includeReturnsLabel: false } }
                : {}),
            },
          ],
        }),
      });
      if (!res.ok) throw statusError(res, call);
      const body = await readJson(res, createOrdersResponseSchema, call);
      const failed = body.failedOrders?.[0];
      if (failed) {
        const errors = failed.errors ?? [];
        const reason = errors
          .map((e) => {
            const values = (e.fields ?? []).map((f) => f.value).filter(Boolean);
            return `${e.errorMessage ?? "refused"}${values.length ? ` (${values.join(", ")})` : ""}`;
          })
          .join("; ");
        throw new ConsignError(
          ErrorCode.UpstreamRejected,
          `Royal Mail refused the returns label: ${reason || "no reason given"}`,
        );
      }
      const created = body.createdOrders?.[0];
      if (!created?.trackingNumber) {
        throw new ConsignError(
          ErrorCode.UpstreamMalformed,
          "Royal Mail created the return without a tracking number",
        );
      }
      let pdf = created.label ? base64ToBytes(created.label) : undefined;
      if (!pdf) {
        const labelCall = {
          courier: COURIER,
          doing: `fetching the returns label for order ${request.orderId}`,
        };
        const labelRes = await send(
          ctx,
          labelCall,
          url(`/orders/${created.orderIdentifier}/label?documentType=postageLabel&includeReturnsLabel=false`),
          { headers: { Authorization: headers.Authorization, Accept: "application/pdf" } },
        );
        if (!labelRes.ok) throw statusError(labelRes, labelCall);
        pdf = await readPdf(labelRes, labelCall);
      }
      return {
        courier: "royal-mail",
        returnId: String(created.orderIdentifier),
        trackingNumber: created.trackingNumber,
        labelPdf: pdf,
      };
    },
  };
}
