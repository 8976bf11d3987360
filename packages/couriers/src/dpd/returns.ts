// DPD returns. DPD UK publishes no model (DOMAIN.md); the DPD group models in specs/ mark a return on
// the parcel (karrio/dpd ShipmentServiceV33.xsd `returns`) and by its export reason (`s02`
// return/replacement, dpd_meta). Like ./adapter.ts this follows the JSON shape DPD UK integrators
// use, and what is not published is ASSUMED:
//   - a return is a shipment (POST /shipping/shipment, same envelope and GeoSession) on the returns
//     network "1^91" (DPD Return: the buyer drops the parcel at a DPD Pickup shop), with the
//     buyer as collectionDetails (contact and address) and the seller as deliveryDetails;
//     shippingRef1 carries our reference, shippingRef2 the Amazon order id;
//   - the answer is the same consignmentDetail (10-digit consignment, 14-digit parcel number: the
//     return's tracking), and the label the same GET /shipping/shipment/{id}/label/ as a PDF;
//   - refusals come as { error: [{ errorMessage, obj }] }: a postcode DPD does not know, or a
//     network the account does not have ("Network 1^91 is not available").
// DPD gives a printable label only through this API (no QR code).
import { type Address, ConsignError, ErrorCode, RETURNS_COURIERS } from "@consign/domain";
import { z } from "zod";
import { joinUrl, readJson, readPdf, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import type { ReturnLabel, ReturnRequest, ReturnsAdapter } from "../returns.ts";
import type { AdapterContext } from "../types.ts";
import { type DpdConfig, signInToDpd } from "./adapter.ts";

const COURIER = "DPD";
export const DPD_RETURNS_NETWORK = { serviceCode: "1^91", name: "DPD Return" } as const;
const UK = new Set(["GB", "JE", "GG", "IM"]);

const dpdError = z
  .array(
    z.object({
      errorCode: z.union([z.string(), z.number()]).optional(),
      errorMessage: z.string(),
      obj: z.string().optional(),
    }),
  )
  .nullable();
const created = z.object({
  error: dpdError,
  data: z
    .object({
      shipmentId: z.union([z.string(), z.number()]).transform(String),
      consignmentDetail: z
        .array(z.object({ consignmentNumber: z.string(), parcelNumbers: z.array(z.string()).min(1) }))
        .min(1),
    })
    .nullable(),
});

function address(a: Address, organisation?: string) {
  return {
    organisation: (organisation ?? "").slice(0, 35),
    countryCode: a.countryCode,
    postcode: normalisePostcode(a.postcode),
    street: a.line1.slice(0, 35),
    locality: (a.line2 ?? "").slice(0, 35),
    town: a.city.slice(0, 35),
    county: (a.county ?? "").slice(0, 35),
  };
}

export function createDpdReturns(config: DpdConfig, ctx: AdapterContext): ReturnsAdapter {
  const url = (path: string) => joinUrl(config.baseUrl, path);
  const geoClient = `account/${config.accountNumber}`;
  return {
    courier: "dpd",
    displayName: COURIER,
    formats: RETURNS_COURIERS.dpd?.formats ?? ["pdf"],
    async createReturn(request: ReturnRequest): Promise<ReturnLabel> {
      if (!UK.has(request.from.countryCode.toUpperCase())) {
        throw new ConsignError(
          ErrorCode.BadRequest,
          `DPD returns are dropped at a UK Pickup shop; this buyer is in ${request.from.countryCode}: send them a returns address instead.`,
        );
      }
      const geoSession = await signInToDpd(config, ctx);
      const session = { GeoSession: geoSession, GeoClient: geoClient };
      const doing = `creating the returns label for order ${request.orderId}`;
      const call = { courier: COURIER, doing };
      const res = await send(ctx, call, url("/shipping/shipment"), {
        method: "POST",
        headers: { ...session, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          jobId: null,
          collectionOnDelivery: false,
          invoice: null,
          collectionDate: new Date(request.at).toISOString(),
          consolidate: false,
          consignment: [
            {
              consignmentNumber: null,
              consignmentRef: null,
              parcel: [],
              collectionDetails: {
                contactDetails: {
                  contactName: request.from.name.slice(0, 35),
                  telephone: request.from.phone ?? "",
                },
                address: address(request.from),
              },
              deliveryDetails: {
                contactDetails: {
                  contactName: request.to.name.slice(0, 35),
                  telephone: request.to.phone ?? "",
                },
                address: address(request.to, request.to.companyName),
                notificationDetails: { email: request.to.email ?? "", mobile: request.to.phone ?? "" },
              },
              networkCode: DPD_RETURNS_NETWORK.serviceCode,
              numberOfParcels: 1,
              totalWeight: Math.max(0.01, (request.weightGrams ?? 1000) / 1000),
              shippingRef1: request.reference,
              shippingRef2: request.orderId.slice(0, 25),
              shippingRef3: "",
              customsValue: null,
              deliveryInstructions: "",
              parcelDescription: `Return of order ${request.orderId}`.slice(0, 50),
              liabilityValue: null,
              liability: false,
            },
          ],
        }),
      });
      if (!res.ok && res.status !== 400) throw statusError(res, call);
      const body = await readJson(res, created, call);
      if (!body.data) {
        const reason = body.error
          ?.map((e) => (e.obj ? `${e.errorMessage} (${e.obj})` : e.errorMessage))
          .join("; ");
        throw new ConsignError(
          ErrorCode.UpstreamRejected,
          `DPD refused the returns label: ${reason || "no reason given"}`,
        );
      }
      const consignment = body.data.consignmentDetail[0]!;
      const parcel = consignment.parcelNumbers[0]!;
      const labelCall = {
        courier: COURIER,
        doing: `fetching the returns label for order ${request.orderId}`,
      };
      const labelRes = await send(
        ctx,
        labelCall,
        url(`/shipping/shipment/${encodeURIComponent(body.data.shipmentId)}/label/`),
        { headers: { ...session, Accept: "application/pdf" } },
      );
      if (!labelRes.ok) throw statusError(labelRes, labelCall);
      return {
        courier: "dpd",
        returnId: body.data.shipmentId,
        trackingNumber: parcel,
        labelPdf: await readPdf(labelRes, labelCall),
      };
    },
  };
}
