// Evri returns in the sandbox, as Hermes' shipping API models them
// (specs/couriers/karrio/hermes/openapi.yaml): POST /returnorders (CreateReturnOrder) answers a
// returnOrderID (11 digits); POST /returnorders/{returnOrderID}/labels answers the parcel's
// shipmentID ("H" and 19 digits) with the label as base64 PDF (`application/shippinglabel-pdf+json`,
// the default) or a QR code PNG (`application/x-qrcode-png+json`). Errors are listOfResultCodes.
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount } from "./accounts.ts";
import { labelPdf, toBase64 } from "./pdf.ts";
import { isUkPostcode } from "./rules.ts";
import type { SandboxShipment } from "./state.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const evriReturns = new Hono<Env>();

const address = z.object({
  street: z.string().min(1).max(50),
  houseNumber: z.string().max(5).optional(),
  zipCode: z.string().min(1).max(8),
  town: z.string().min(1).max(30),
  countryCode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  addressAddition: z.string().max(50).optional(),
});
const createReturnOrder = z.object({
  clientReference: z.string().max(20).optional(),
  clientReference2: z.string().max(20).optional(),
  senderAddress: address,
  senderName: z.object({ firstname: z.string().optional(), lastname: z.string().min(1).max(50) }),
  receiverAddress: address.optional(),
  receiverName: z.object({ lastname: z.string().min(1).max(50) }).optional(),
  parcel: z.object({ parcelWeight: z.number().int().positive().max(25000).optional() }).optional(),
});

const fail = (status: 400 | 404, code: string, message: string) =>
  [{ listOfResultCodes: [{ code, message }] }, status] as const;
const returnOrderId = (s: SandboxShipment) => String(s.id).padStart(11, "0");
const shipmentId = (s: SandboxShipment) =>
  `H${s.trackingNumber.replace(/\D/g, "").padStart(19, "0").slice(-19)}`;

// 1x1 black PNG: the sandbox's QR code stands for the real one (a PNG the buyer shows at a ParcelShop).
const QR_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==";

evriReturns.post("/", async (c) => {
  const parsed = createReturnOrder.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return c.json(...fail(400, "e001", `${i?.path.join(".") ?? "body"}: ${i?.message ?? "invalid"}`));
  }
  const r = parsed.data;
  const account = courierAccount(c.env, "evri", c.get("account"));
  const faults = await account.faults();
  if ((faults.disabledServices ?? []).includes("RETURN"))
    return c.json(...fail(400, "e020", "Return orders are not enabled for this client"));
  const from = r.senderAddress.zipCode.replace(/\s/g, "").toUpperCase();
  if ((r.senderAddress.countryCode ?? "GB") === "GB" && !isUkPostcode(r.senderAddress.zipCode))
    return c.json(
      ...fail(400, "e030", `senderAddress.zipCode: ${r.senderAddress.zipCode} is not a valid postcode`),
    );
  if ((faults.rejectPostcodes ?? []).some((p) => p.replace(/\s/g, "").toUpperCase() === from))
    return c.json(
      ...fail(400, "e031", `senderAddress.zipCode: ${r.senderAddress.zipCode} is not recognised`),
    );
  const { shipment } = await account.purchase(
    {
      reference: `return:${r.clientReference ?? ""}:${r.clientReference2 ?? crypto.randomUUID()}`,
      service: "RETURN",
      postcode: r.senderAddress.zipCode.toUpperCase(),
      details: {
        name: [r.senderName.firstname, r.senderName.lastname].filter(Boolean).join(" "),
        line1: r.senderAddress.street,
        city: r.senderAddress.town,
        to: r.receiverName?.lastname ?? "",
        toPostcode: r.receiverAddress?.zipCode ?? "",
        order: r.clientReference ?? "",
      },
    },
    { kind: "evri" },
  );
  return c.json({ listOfResultCodes: [], returnOrderID: returnOrderId(shipment) });
});

evriReturns.post("/:id/labels", async (c) => {
  const id = Number(c.req.param("id"));
  const account = courierAccount(c.env, "evri", c.get("account"));
  const s = Number.isInteger(id) ? await account.byId(id) : null;
  if (s?.service !== "RETURN") return c.json(...fail(404, "e050", "No return order found"));
  const accept = c.req.header("Accept") ?? "application/shippinglabel-pdf+json";
  const base = { listOfResultCodes: [], shipmentID: shipmentId(s), returnOrderID: returnOrderId(s) };
  if (accept.startsWith("application/x-qrcode-png+json")) {
    return c.json({ ...base, qrcode: QR_PNG, labelMediatype: "image/png" });
  }
  const d = s.details;
  const pdf = labelPdf(
    [
      { text: "Evri", size: 22, bold: true },
      { text: "RETURN", size: 16, bold: true },
      { text: shipmentId(s), size: 12, bold: true },
      { text: `From: ${d.name ?? ""}, ${d.line1 ?? ""}, ${d.city ?? ""} ${s.postcode}`, size: 8 },
      { text: "Return to:" },
      { text: d.to ?? "" },
      { text: d.toPostcode ?? "", size: 14, bold: true },
      { text: d.order ? `Order ${d.order}` : "", size: 8 },
    ],
    { code128: [shipmentId(s)] },
  );
  return c.json({ ...base, shippinglabel: toBase64(pdf), labelMediatype: "application/pdf" });
});
