// Royal Mail Pro Shipping: the Shipping API v3 for contract accounts
// (specs/couriers/royalmail/rmg-pro-shipping-v3-rest-api-v3.0.20.yaml), under
// /royalmail-pro/shipping/v3 (the real one is https://api.royalmail.net/shipping/v3).
//
//   POST /token                        X-IBM-Client-Id, X-IBM-Client-Secret, X-RMG-Security-Username and
//                                      X-RMG-Security-Password → {token}, valid 4 hours (the model's
//                                      example token: exp − iat = 14,400 s)
//   POST /shipments                    Shipments_Create: the label in the LabelFormat asked (PDF, or
//                                      ZPL203DPI / ZPL300DPI: base64 of the PRN text a printer takes)
//   PUT  /shipments/{id}/printLabel    Shipments_PrintLabel: the label again, in any format, until manifested
//   PUT  /shipments/cancel             Shipments_Cancel: up to 99 a call, all or none
//   POST /manifests                    Manifests_Create: every processed shipment not yet manifested
//
// Every call but /token sends X-IBM-Client-Id (the account) and X-RMG-Auth-Token. Pro Shipping takes
// no idempotency key and has no lookup by reference: a repeated create is a second shipment, as it
// would be at Royal Mail. Errors come as the model's {HttpStatusCode, HttpStatusDescription, Message,
// Errors: [{Message, Cause, ErrorCode}]}; 401 as the gateway's {httpCode, httpMessage, moreInformation}.
//
// ASSUMED (the model gives neither): the service codes (TPN01, TPS01, SD101 below) and the code for a
// shipment already cancelled (E1436). The calls-a-second limit is our choice (the model states none).
import { defaultDataMatrix } from "@consign/labels/barcode";
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount, holdIfArmed } from "./accounts.ts";
import { type LabelBarcodes, labelPdf, toBase64 } from "./pdf.ts";
import { isUkPostcode } from "./rules.ts";
import type { SandboxShipment } from "./state.ts";
import { labelZpl } from "./zpl.ts";

export const PRO_SHIPPING_CALLS_PER_SECOND = 10;
export const PRO_SHIPPING_TOKEN_MS = 4 * 60 * 60 * 1000;

/** Service code → name, the S10 prefix, and the formats (L letter, F large letter, P parcel) it carries. */
export const PRO_SHIPPING_SERVICES: Record<string, { name: string; prefix: string; formats: string[] }> = {
  TPN01: { name: "Royal Mail Tracked 24", prefix: "TT", formats: ["F", "P"] },
  TPS01: { name: "Royal Mail Tracked 48", prefix: "TS", formats: ["F", "P"] },
  SD101: { name: "Special Delivery Guaranteed by 1pm", prefix: "GQ", formats: ["F", "P"] },
};
/** Heaviest item per format, kg (Royal Mail's size guide). */
const MAX_KG: Record<string, number> = { L: 0.1, F: 0.75, P: 20, S: 2 };

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const royalMailPro = new Hono<Env>();

const unauthorized = (moreInformation: string) => ({
  httpCode: 401,
  httpMessage: "Unauthorized",
  moreInformation,
});

interface ErrorDetail {
  Message: string;
  Cause: string;
  ErrorCode: string;
}
const failure = (status: 400 | 404 | 500 | 503, message: string, errors: ErrorDetail[] = []) => ({
  HttpStatusCode: status,
  HttpStatusDescription: {
    400: "BadRequest",
    404: "NotFound",
    500: "InternalServerError",
    503: "ServiceUnavailable",
  }[status],
  Message: message,
  ...(errors.length ? { Errors: errors } : {}),
});

const labelFormats = ["PDF", "PNG", "DATASTREAM", "ZPL203DPI", "ZPL300DPI"] as const;
type LabelFormat = (typeof labelFormats)[number];

royalMailPro.post("/shipping/v3/token", async (c) => {
  const clientId = c.req.header("X-IBM-Client-Id");
  const secret = c.req.header("X-IBM-Client-Secret");
  const username = c.req.header("X-RMG-Security-Username");
  const password = c.req.header("X-RMG-Security-Password");
  if (!clientId || !secret) return c.json(unauthorized("Client id and secret are required."), 401);
  if (!username || !password) return c.json(unauthorized("Authentication failure."), 401);
  const account = courierAccount(c.env, "royalmail-pro", clientId);
  const gate = await account.gate(PRO_SHIPPING_CALLS_PER_SECOND);
  if (gate.down) return c.json(failure(503, "Service Unavailable"), 503);
  if (!(await account.signIn(username, password)))
    return c.json(unauthorized("Authentication failure."), 401);
  const token = `rmg3.${crypto.randomUUID().replaceAll("-", "")}`;
  await account.saveToken(token, JSON.stringify({ username, expiresAt: Date.now() + PRO_SHIPPING_TOKEN_MS }));
  return c.json({ token });
});

royalMailPro.use("/shipping/v3/*", async (c, next) => {
  const clientId = c.req.header("X-IBM-Client-Id");
  if (!clientId) return c.json(unauthorized("Client id is required."), 401);
  const account = courierAccount(c.env, "royalmail-pro", clientId);
  const token = c.req.header("X-RMG-Auth-Token") ?? "";
  const saved = token ? await account.token(token) : null;
  const expiresAt = saved ? (JSON.parse(saved.body) as { expiresAt: number }).expiresAt : 0;
  const gate = await account.gate(PRO_SHIPPING_CALLS_PER_SECOND);
  // A refused call's body is read and dropped (workerd faults a request answered with its body unread).
  const drop = () => c.req.arrayBuffer().catch(() => undefined);
  if (!saved || expiresAt <= Date.now()) {
    await drop();
    return c.json(unauthorized("Invalid or expired token."), 401);
  }
  if (gate.down) {
    await drop();
    return c.json(failure(503, "Service Unavailable"), 503);
  }
  if (gate.retryAfterMs > 0) {
    await drop();
    c.header("Retry-After", String(Math.ceil(gate.retryAfterMs / 1000)));
    return c.json(
      { httpCode: 429, httpMessage: "Too Many Requests", moreInformation: "Rate limit exceeded." },
      429,
    );
  }
  if (await account.takeServerError()) {
    await drop();
    return c.json(failure(500, "An unexpected error occurred."), 500);
  }
  c.set("account", clientId);
  await next();
  // The malformed switch: the answer the call earned, cut off halfway (the work is done all the same).
  if (await account.takeMalformed()) {
    const text = await c.res.text();
    c.res = new Response(text.slice(0, Math.floor(text.length / 2)), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  }
});

const text = (max: number) => z.string().max(max);
const shipmentSchema = z.object({
  Shipper: z
    .looseObject({
      ShipperReference: z.string().max(40).optional(),
      ShipperReference2: z.string().max(40).optional(),
      CompanyName: text(35).optional(),
      ContactName: text(40).optional(),
      AddressLine1: text(35).optional(),
      Town: text(35).optional(),
      Postcode: text(10).optional(),
      CountryCode: z.string().length(2).optional(),
    })
    .optional(),
  Destination: z.looseObject({
    CompanyName: text(35).optional(),
    ContactName: text(40),
    AddressLine1: text(35),
    AddressLine2: text(35).optional(),
    AddressLine3: text(35).optional(),
    Town: text(35),
    County: text(50).optional(),
    CountryCode: z.string().length(2),
    Postcode: text(10).optional(),
    PhoneNumber: text(20).optional(),
    EmailAddress: text(254).optional(),
  }),
  ShipmentInformation: z.looseObject({
    ShipmentDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    ServiceCode: text(10),
    ServiceOptions: z
      .looseObject({
        PostingLocation: z.string().regex(/^\d{10}$/, "The posting location is 10 digits."),
        ServiceFormat: z.enum(["L", "F", "P", "S"]).optional(),
      })
      .optional(),
    TotalPackages: z.number().int().min(1).max(9),
    TotalWeight: z.number().positive(),
    WeightUnitOfMeasure: z.enum(["KG", "Grams"]).optional(),
    DescriptionOfGoods: text(70).optional(),
    Value: z.number().min(0.01).max(100_000_000).optional(),
    Currency: z.string().length(3).optional(),
    LabelFormat: z.enum(labelFormats).optional(),
    ShipmentAction: z.enum(["Process", "Allocate", "Create"]).optional(),
    Packages: z
      .array(
        z.looseObject({
          PackageOccurrence: z.number().int().min(1).max(9),
          Weight: z.number().positive(),
          Length: z.number().min(0.01).max(250).optional(),
          Width: z.number().min(0.01).max(250).optional(),
          Height: z.number().min(0.01).max(250).optional(),
        }),
      )
      .optional(),
  }),
});
type Shipment = z.output<typeof shipmentSchema>;

/** The model's errors for a shipment Royal Mail would refuse, each naming its field. */
function check(s: Shipment, disabled: readonly string[], rejected: readonly string[]): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const info = s.ShipmentInformation;
  const service = disabled.includes(info.ServiceCode) ? undefined : PRO_SHIPPING_SERVICES[info.ServiceCode];
  if (!service)
    errors.push({
      Message: "The service code provided does not exist.",
      Cause: "ShipmentInformation.ServiceCode",
      ErrorCode: "E1433",
    });
  const d = s.Destination;
  const postcode = (d.Postcode ?? "").trim().toUpperCase();
  if (["GB", "JE", "GG", "IM"].includes(d.CountryCode)) {
    if (!isUkPostcode(postcode))
      errors.push({
        Message: "The destination postcode is invalid.",
        Cause: "Destination.Postcode",
        ErrorCode: "E1101",
      });
    else if (rejected.some((p) => p.replace(/\s/g, "") === postcode.replace(/\s/g, "")))
      errors.push({
        Message: "The destination postcode is not recognised.",
        Cause: "Destination.Postcode",
        ErrorCode: "E1102",
      });
  }
  const format = info.ServiceOptions?.ServiceFormat ?? "P";
  if (service && !service.formats.includes(format))
    errors.push({
      Message: `${service.name} does not carry service format ${format}.`,
      Cause: "ShipmentInformation.ServiceOptions.ServiceFormat",
      ErrorCode: "E1438",
    });
  const kg = info.WeightUnitOfMeasure === "Grams" ? info.TotalWeight / 1000 : info.TotalWeight;
  const maxKg = MAX_KG[format] ?? 20;
  if (kg > maxKg)
    errors.push({
      Message: `The total weight is above the ${maxKg} kg this service format takes.`,
      Cause: "ShipmentInformation.TotalWeight",
      ErrorCode: "E1439",
    });
  if (info.LabelFormat === "PNG" || info.LabelFormat === "DATASTREAM")
    errors.push({
      Message: `Label format ${info.LabelFormat} is not activated on this account.`,
      Cause: "ShipmentInformation.LabelFormat",
      ErrorCode: "E1440",
    });
  return errors;
}

/** The 21-character Unique Id: "3A", the posting location, the account's serial in hex. */
const uniqueId = (s: SandboxShipment) =>
  `3A${(s.details.postingLocation ?? "9000000001").padStart(10, "0")}${s.id.toString(16).toUpperCase().padStart(9, "0")}`;
const idFromUniqueId = (id: string) =>
  /^3A\d{10}[0-9A-F]{9}$/.test(id) ? Number.parseInt(id.slice(12), 16) : null;

/** The label's lines and barcodes: the same in every format. */
function labelParts(s: SandboxShipment) {
  const d = s.details;
  const service = PRO_SHIPPING_SERVICES[s.service];
  const lines = [
    { text: "Royal Mail", size: 22, bold: true },
    { text: service?.name ?? s.service, size: 14 },
    { text: s.trackingNumber, size: 16, bold: true },
    { text: `From: ${d.from ?? ""}`, size: 8 },
    { text: "Deliver to:" },
    { text: d.name ?? "" },
    { text: d.line1 ?? "" },
    ...(d.line2 ? [{ text: d.line2 }] : []),
    { text: d.town ?? "" },
    { text: s.postcode, size: 14, bold: true },
    { text: d.reference ? `Ref ${d.reference}` : "", size: 8 },
    { text: uniqueId(s), size: 7 },
  ];
  // Royal Mail's 2D code (top right) and the tracking number as Code 128.
  const barcodes: LabelBarcodes = {
    code128: [s.trackingNumber],
    dataMatrix: defaultDataMatrix(s.trackingNumber, s.postcode, d.reference || uniqueId(s)),
  };
  return { lines, barcodes };
}

/** The label as the model's LabelImages: base64 of the PDF, or of the PRN text for a ZPL printer. */
function labelImage(s: SandboxShipment, format: LabelFormat): string {
  const { lines, barcodes } = labelParts(s);
  if (format === "ZPL203DPI" || format === "ZPL300DPI") {
    const zpl = labelZpl(lines, barcodes, format === "ZPL300DPI" ? 300 : 203);
    return toBase64(new TextEncoder().encode(zpl));
  }
  return toBase64(labelPdf(lines, barcodes));
}

const trackingUrl = (t: string) => `https://www.royalmail.com/track-your-item#/tracking-results/${t}`;

royalMailPro.post("/shipping/v3/shipments", async (c) => {
  const account = courierAccount(c.env, "royalmail-pro", c.get("account"));
  const parsed = shipmentSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    return c.json(
      failure(
        400,
        "The shipment is invalid.",
        parsed.error.issues.map((i) => ({
          Message: i.message,
          Cause: i.path.join(".") || "Shipment",
          ErrorCode: "E1432",
        })),
      ),
      400,
    );
  }
  const s = parsed.data;
  const faults = await account.faults();
  const errors = check(s, faults.disabledServices ?? [], faults.rejectPostcodes ?? []);
  if (errors.length) return c.json(failure(400, "The shipment is invalid.", errors), 400);
  const info = s.ShipmentInformation;
  const d = s.Destination;
  const shipper = s.Shipper;
  const { shipment } = await account.purchase(
    {
      reference: null, // Pro Shipping does not deduplicate: every create is a shipment
      service: info.ServiceCode,
      postcode: (d.Postcode ?? "").trim().toUpperCase(),
      details: {
        name: d.ContactName,
        line1: d.AddressLine1,
        line2: d.AddressLine2 ?? "",
        town: d.Town,
        reference: shipper?.ShipperReference ?? "",
        postingLocation: info.ServiceOptions?.PostingLocation ?? "9000000001",
        from: [shipper?.CompanyName ?? shipper?.ContactName, shipper?.Town, shipper?.Postcode]
          .filter(Boolean)
          .join(", "),
        weightKg: String(info.WeightUnitOfMeasure === "Grams" ? info.TotalWeight / 1000 : info.TotalWeight),
      },
    },
    { kind: "royal-mail", prefix: PRO_SHIPPING_SERVICES[info.ServiceCode]?.prefix ?? "TT" },
  );
  await holdIfArmed(account);
  const format = info.LabelFormat ?? "PDF";
  const action = info.ShipmentAction ?? "Process";
  return c.json({
    Packages: [
      {
        PackageOccurance: 1,
        UniqueId: uniqueId(shipment),
        TrackingNumber: shipment.trackingNumber,
        TrackingUrl: trackingUrl(shipment.trackingNumber),
        CarrierCode: "RMG",
      },
    ],
    ...(action === "Process" ? { LabelImageFormat: format, LabelImages: labelImage(shipment, format) } : {}),
    HttpStatusCode: 200,
    HttpStatusDescription: "OK",
    Message: "Shipment(s) processed.",
  });
});

/** A shipment by tracking number or Unique Id; null when the account has none. */
async function byShipmentId(env: SandboxEnv, accountKey: string, id: string) {
  const account = courierAccount(env, "royalmail-pro", accountKey);
  const serial = idFromUniqueId(id);
  return serial !== null ? await account.byId(serial) : await account.byTracking(id);
}

royalMailPro.put("/shipping/v3/shipments/:shipmentId/printLabel", async (c) => {
  const id = c.req.param("shipmentId");
  const body = z
    .object({ LabelFormat: z.enum(labelFormats).optional(), SilentPrintProfile: z.string().optional() })
    .safeParse(await c.req.json().catch(() => null));
  if (!body.success)
    return c.json(
      {
        ShipmentId: id,
        ...failure(400, "Invalid request.", [
          { Message: "The label format is not valid.", Cause: "LabelFormat", ErrorCode: "E1432" },
        ]),
      },
      400,
    );
  const account = courierAccount(c.env, "royalmail-pro", c.get("account"));
  const s = await byShipmentId(c.env, c.get("account"), id);
  if (!s || s.voidedAt !== null)
    return c.json({ ShipmentId: id, ...failure(404, "The shipment was not found.") }, 404);
  if ((await account.manifestedAt(s.id)) !== null)
    return c.json(
      {
        ShipmentId: id,
        ...failure(400, "Invalid request.", [
          {
            Message: "The shipment has already been manifested and cannot be reprinted.",
            Cause: "ShipmentExportState",
            ErrorCode: "E1434",
          },
        ]),
      },
      400,
    );
  const format = body.data.LabelFormat ?? "PDF";
  if (format === "PNG" || format === "DATASTREAM")
    return c.json(
      {
        ShipmentId: id,
        ...failure(400, "Invalid request.", [
          {
            Message: `Label format ${format} is not activated on this account.`,
            Cause: "LabelFormat",
            ErrorCode: "E1440",
          },
        ]),
      },
      400,
    );
  return c.json({
    ShipmentId: id,
    LabelImage: labelImage(s, format),
    LabelImageFormat: format,
    TrackingNumber: s.trackingNumber,
    UniqueId: uniqueId(s),
    TrackingUrl: trackingUrl(s.trackingNumber),
    CarrierCode: "RMG",
    HttpStatusCode: 200,
    HttpStatusDescription: "OK",
    Message: "Label printed and shipment moved to processed ready for manifesting.",
  });
});

const cancelSchema = z
  .array(
    z.object({
      ShipmentId: z.string().min(13).max(21),
      ReasonForCancellation: z
        .enum(["OrderCancelled", "Repacked", "UploadedInError", "WrongService"])
        .optional(),
    }),
  )
  .min(1)
  .max(99);

royalMailPro.put("/shipping/v3/shipments/cancel", async (c) => {
  const parsed = cancelSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success)
    return c.json(
      failure(400, "One or more requests are invalid. No shipments have been cancelled.", [
        {
          Message: "Send 1 to 99 cancel requests, each with a ShipmentId.",
          Cause: "ShipmentCancelRequests",
          ErrorCode: "E1432",
        },
      ]),
      400,
    );
  const account = courierAccount(c.env, "royalmail-pro", c.get("account"));
  const ids = parsed.data.map((r) => r.ShipmentId);
  const found: SandboxShipment[] = [];
  const notFound: ErrorDetail[] = [];
  const invalid: ErrorDetail[] = [];
  for (const r of parsed.data) {
    const s = await byShipmentId(c.env, c.get("account"), r.ShipmentId);
    if (!s) {
      notFound.push({ Message: "The shipment was not found.", Cause: r.ShipmentId, ErrorCode: "E1435" });
      continue;
    }
    if (!r.ReasonForCancellation)
      invalid.push({
        Message: "The reason for cancellation is required.",
        Cause: r.ShipmentId,
        ErrorCode: "E1432",
      });
    else if ((await account.manifestedAt(s.id)) !== null)
      invalid.push({
        Message: "The shipment has already been manifested and cannot be cancelled.",
        Cause: r.ShipmentId,
        ErrorCode: "E1434",
      });
    else if (s.voidedAt !== null)
      invalid.push({
        Message: "The shipment has already been cancelled.",
        Cause: r.ShipmentId,
        ErrorCode: "E1436",
      });
    found.push(s);
  }
  if (notFound.length)
    return c.json(
      {
        ShipmentIds: ids,
        ...failure(404, "One or more shipments were not found. No shipments have been cancelled.", notFound),
      },
      404,
    );
  if (invalid.length)
    return c.json(
      {
        ShipmentIds: ids,
        ...failure(400, "One or more requests are invalid. No shipments have been cancelled.", invalid),
      },
      400,
    );
  for (const s of found) await account.cancel(s.id);
  return c.json({
    ShipmentIds: ids,
    HttpStatusCode: 200,
    HttpStatusDescription: "OK",
    Message: "Shipments cancelled.",
  });
});

royalMailPro.post("/shipping/v3/manifests", async (c) => {
  const body = z
    .object({ PostingLocation: z.string().length(10).optional() })
    .safeParse(await c.req.json().catch(() => ({})));
  const postingLocation = body.success ? (body.data.PostingLocation ?? "9000000001") : null;
  if (postingLocation === null)
    return c.json(
      failure(400, "The request is invalid.", [
        { Message: "The posting location is invalid.", Cause: "PostingLocation", ErrorCode: "E1432" },
      ]),
      400,
    );
  const account = courierAccount(c.env, "royalmail-pro", c.get("account"));
  const m = await account.manifestEligible(null);
  if (!m)
    return c.json(
      {
        PostingLocation: postingLocation,
        ...failure(400, "The request is invalid.", [
          {
            Message: "There are no shipments ready to manifest",
            Cause: "PostingLocation",
            ErrorCode: "E1434",
          },
        ]),
      },
      400,
    );
  const shipments: SandboxShipment[] = [];
  for (const id of m.shipmentIds) {
    const s = await account.byId(id);
    if (s && s.voidedAt === null) shipments.push(s);
  }
  const services = [...new Set(shipments.map((s) => s.service))];
  const weight = shipments.reduce((sum, s) => sum + Number(s.details.weightKg ?? 0), 0);
  const manifestNumber = `INT${String(m.manifestNumber).padStart(10, "0")}`;
  const pdf = labelPdf([
    { text: "Royal Mail", size: 22, bold: true },
    { text: `Manifest ${manifestNumber}`, size: 16, bold: true },
    { text: `Posting location ${postingLocation}` },
    { text: `Items: ${shipments.length}`, size: 14, bold: true },
    ...services.map((code) => ({
      text: `${PRO_SHIPPING_SERVICES[code]?.name ?? code}: ${shipments.filter((s) => s.service === code).length}`,
    })),
    { text: "Hand this sheet to the Royal Mail driver with the items.", size: 8 },
  ]);
  return c.json({
    PostingLocation: postingLocation,
    Manifests: [
      {
        ManifestNumber: manifestNumber,
        ManifestImage: toBase64(pdf),
        CarrierCode: "RMG",
        ServiceCode: services.length === 1 ? services[0] : "Mixed",
        TotalWeight: Number(weight.toFixed(3)),
        TotalPackages: shipments.length,
      },
    ],
    HttpStatusCode: 200,
    HttpStatusDescription: "OK",
    Message: "Shipments manifested successfully",
  });
});
