// Evri returns, as Hermes' shipping API models them (specs/couriers/karrio/hermes/openapi.yaml):
// POST /returnorders (CreateReturnOrder: the buyer as senderAddress and senderName, the seller as
// the divergent receiver, our reference as clientReference ≤ 20) answers a returnOrderID; then
// POST /returnorders/{returnOrderID}/labels with `Accept: application/shippinglabel-pdf+json`
// answers the parcel's shipmentID (its tracking number) and the PDF label in base64, or with
// `Accept: application/x-qrcode-png+json` a QR code the buyer shows at a ParcelShop.
import { ConsignError, ErrorCode, RETURNS_COURIERS } from "@consign/domain";
import { z } from "zod";
import { base64ToBytes, joinUrl, readJson, send, statusError } from "../http.ts";
import { normalisePostcode } from "../postcode.ts";
import type { ReturnLabel, ReturnRequest, ReturnsAdapter } from "../returns.ts";
import type { AdapterContext } from "../types.ts";
import type { EvriConfig } from "./adapter.ts";

const COURIER = "Evri";
const resultCodes = z.array(z.object({ code: z.string(), message: z.string() })).optional();
const orderResponse = z.object({ listOfResultCodes: resultCodes, returnOrderID: z.string().max(11) });
const labelResponse = z.object({
  listOfResultCodes: resultCodes,
  shipmentID: z.string().optional(),
  returnOrderID: z.string().optional(),
  shippinglabel: z.string().optional(),
  qrcode: z.string().optional(),
  labelMediatype: z.string().optional(),
});

function names(full: string): { firstname?: string; lastname: string } {
  const [first, ...rest] = full.trim().split(/\s+/);
  return rest.length
    ? { firstname: first ?? "", lastname: rest.join(" ").slice(0, 50) }
    : { lastname: (first ?? "").slice(0, 50) };
}

async function errorText(res: Response): Promise<string | undefined> {
  try {
    const body = z.object({ listOfResultCodes: resultCodes }).parse(await res.clone().json());
    return body.listOfResultCodes?.map((r) => `${r.code}: ${r.message}`).join("; ");
  } catch {
    return undefined;
  }
}

export function createEvriReturns(config: EvriConfig, ctx: AdapterContext): ReturnsAdapter {
  const auth = { Authorization: `Basic ${btoa(`${config.username}:${config.password}`)}` };
  const url = (path: string) => joinUrl(config.baseUrl, path);
  return {
    courier: "evri",
    displayName: COURIER,
    formats: RETURNS_COURIERS.evri?.formats ?? ["pdf"],
    async createReturn(request: ReturnRequest): Promise<ReturnLabel> {
      const from = request.from;
      const call = { courier: COURIER, doing: `creating the return for order ${request.orderId}` };
      const res = await send(ctx, call, url("/returnorders"), {
        method: "POST",
        headers: {
          ...auth,
          "Content-Type": "application/json",
          Accept: "application/json",
          "Accept-Language": "EN",
        },
        body: JSON.stringify({
          clientReference: request.orderId.slice(0, 20),
          clientReference2: request.reference.slice(-20),
          senderAddress: {
            street: from.line1.slice(0, 50),
            zipCode: normalisePostcode(from.postcode),
            town: from.city.slice(0, 30),
            countryCode: from.countryCode,
            ...(from.line2 ? { addressAddition: from.line2.slice(0, 50) } : {}),
          },
          senderName: names(from.name),
          receiverAddress: {
            street: request.to.line1.slice(0, 50),
            zipCode: normalisePostcode(request.to.postcode),
            town: request.to.city.slice(0, 30),
            countryCode: request.to.countryCode,
          },
          receiverName: { lastname: (request.to.companyName ?? request.to.name).slice(0, 50) },
          ...(request.weightGrams ? { parcel: { parcelWeight: request.weightGrams } } : {}),
        }),
      });
      if (!res.ok) throw statusError(res, call, await errorText(res));
      const order = await readJson(res, orderResponse, call);
      const qr = request.format === "qr";
      const labelCall = { courier: COURIER, doing: `fetching the return label for order ${request.orderId}` };
      const labelRes = await send(
        ctx,
        labelCall,
        url(`/returnorders/${encodeURIComponent(order.returnOrderID)}/labels`),
        {
          method: "POST",
          headers: {
            ...auth,
            Accept: qr ? "application/x-qrcode-png+json" : "application/shippinglabel-pdf+json",
            "Accept-Language": "EN",
          },
        },
      );
      if (!labelRes.ok) throw statusError(labelRes, labelCall, await errorText(labelRes));
      const label = await readJson(labelRes, labelResponse, labelCall);
      const image = qr ? label.qrcode : label.shippinglabel;
      if (!image) {
        throw new ConsignError(
          ErrorCode.UpstreamMalformed,
          `Evri created return ${order.returnOrderID} without its ${qr ? "QR code" : "label"}`,
        );
      }
      return {
        courier: "evri",
        returnId: order.returnOrderID,
        ...(label.shipmentID ? { trackingNumber: label.shipmentID } : {}),
        ...(qr ? { qrCodePng: base64ToBytes(image) } : { labelPdf: base64ToBytes(image) }),
      };
    },
  };
}
