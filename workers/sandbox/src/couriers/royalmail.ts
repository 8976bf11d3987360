// Royal Mail Click & Drop sandbox (specs/couriers/royalmail/click-and-drop-api-v1.yaml) under
// /royalmail/api/v1, and the Tracking API v2 mail-piece events under /royalmail/mailpieces/v2.
// The Bearer key is the account. orderReference is unique per account: the same reference answers
// the order already created (the sandbox's idempotency; the tracking client id is the same key).

import { defaultDataMatrix } from "@consign/labels/barcode";
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount, holdIfArmed } from "./accounts.ts";
import { labelPdf, toBase64 } from "./pdf.ts";
import { registerSale } from "./register.ts";
import { checkCustoms } from "./royalmail-customs.ts";
import { royalMailManifests } from "./royalmail-manifests.ts";
import { isUkPostcode, ROYAL_MAIL_FORMATS, ROYAL_MAIL_SERVICES, sidesFit } from "./rules.ts";
import type { CourierFaults, SandboxShipment } from "./state.ts";
import { royalMailTracking, trackingFault } from "./tracking-wire.ts";

/**
 * Click & Drop's documented limit, per API key (the spec's "Rate Limits" tag: "Exceeding the rate
 * limit of 5 calls per second will result in a 429 error."). Every /api/v1 call counts.
 */
export const CLICK_AND_DROP_CALLS_PER_SECOND = 5;

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const royalMail = new Hono<Env>();

const errorResponse = (message: string, details?: string) => ({
  code: "400",
  message,
  ...(details ? { details } : {}),
});

royalMail.use("/api/v1/*", async (c, next) => {
  const auth = c.req.header("Authorization") ?? "";
  const m = /^Bearer (\S+)$/.exec(auth);
  if (!m?.[1]) return c.body(null, 401);
  c.set("account", m[1]);
  const gate = await courierAccount(c.env, "royalmail", m[1]).gate(CLICK_AND_DROP_CALLS_PER_SECOND);
  // A refused call's body is read and dropped (workerd faults a request answered with its body unread).
  if (gate.down || gate.retryAfterMs > 0) await c.req.arrayBuffer().catch(() => undefined);
  if (gate.down) return c.json({ code: "503", message: "Service Unavailable" }, 503);
  if (gate.retryAfterMs > 0) {
    // The spec documents the status only (no body, no headers); Retry-After is HTTP's own way to
    // say when to come back (RFC 9110 §10.2.3), in whole seconds.
    c.header("Retry-After", String(Math.ceil(gate.retryAfterMs / 1000)));
    return c.json(
      {
        code: "429",
        message: `Too Many Requests: the limit is ${CLICK_AND_DROP_CALLS_PER_SECOND} calls per second`,
      },
      429,
    );
  }
  await next();
});

royalMail.route("/api/v1/manifests", royalMailManifests);

const orderSchema = z.looseObject({
  orderReference: z.string().max(40).optional(),
  sender: z.looseObject({ tradingName: z.string().max(250).optional() }).optional(),
  recipient: z.looseObject({
    address: z.looseObject({
      fullName: z.string().max(210).optional(),
      addressLine1: z.string().max(100),
      addressLine2: z.string().max(100).optional(),
      city: z.string().max(100),
      postcode: z.string().max(20).optional(),
      countryCode: z.string().max(3),
    }),
  }),
  packages: z
    .array(
      z.looseObject({
        weightInGrams: z.number().int().min(1).max(30000),
        packageFormatIdentifier: z.string(),
        contents: z
          .array(
            z.looseObject({
              quantity: z.number().int().min(1).max(999999),
              unitValue: z.number().min(0).max(999999).optional(),
              customsDescription: z.string().max(50).optional(),
              customsCode: z.string().max(10).optional(),
              originCountryCode: z.string().max(3).optional(),
            }),
          )
          .optional(),
        dimensions: z
          .object({
            heightInMms: z.number().int().positive(),
            widthInMms: z.number().int().positive(),
            depthInMms: z.number().int().positive(),
          })
          .optional(),
      }),
    )
    .optional(),
  // The buyer on a Tracked Returns order (who posts it back): Click & Drop's billing details.
  billing: z
    .looseObject({
      address: z
        .looseObject({
          fullName: z.string().max(210).optional(),
          addressLine1: z.string().max(100),
          city: z.string().max(100),
          postcode: z.string().max(20).optional(),
          countryCode: z.string().max(3),
        })
        .optional(),
    })
    .optional(),
  orderDate: z.string(),
  subtotal: z.number().min(0).max(999999),
  shippingCostCharged: z.number().min(0).max(999999),
  total: z.number().min(0).max(999999),
  postageDetails: z
    .looseObject({ serviceCode: z.string().max(10).optional(), IOSSNumber: z.string().max(50).optional() })
    .optional(),
  label: z
    .object({
      includeLabelInResponse: z.boolean(),
      includeCN: z.boolean().optional(),
      includeReturnsLabel: z.boolean().optional(),
    })
    .optional(),
});
type Order = z.output<typeof orderSchema>;

interface OrderError {
  errorCode: number;
  errorMessage: string;
  fields: { fieldName: string; value: string }[];
}

function check(order: Order, faults: CourierFaults): OrderError[] {
  const errors: OrderError[] = [];
  const add = (errorCode: number, errorMessage: string, fieldName: string, value: unknown) =>
    errors.push({ errorCode, errorMessage, fields: [{ fieldName, value: String(value ?? "") }] });
  const rejected = (postcode: string) =>
    (faults.rejectPostcodes ?? []).some((p) => p.replace(/\s/g, "") === postcode.replace(/\s/g, ""));
  const address = order.recipient.address;
  const postcode = (address.postcode ?? "").trim().toUpperCase();
  if (address.countryCode === "GB" && !/^BFPO\b/.test(postcode)) {
    if (!isUkPostcode(postcode))
      add(21, "Recipient postcode is not a valid UK postcode", "postcode", address.postcode);
    else if (rejected(postcode))
      add(22, "Recipient postcode is not recognised", "postcode", address.postcode);
  }
  const serviceCode = order.postageDetails?.serviceCode;
  const service =
    serviceCode && !(faults.disabledServices ?? []).includes(serviceCode)
      ? ROYAL_MAIL_SERVICES[serviceCode]
      : undefined;
  if (!service) add(30, "Service code is not available on this account", "serviceCode", serviceCode);
  if (service?.returns) {
    // Tracked Returns run inside the UK: back to a UK address, posted by a buyer at a UK address.
    if (address.countryCode !== "GB")
      add(24, "Tracked Returns come back to a UK address", "countryCode", address.countryCode);
    const buyer = order.billing?.address;
    const from = (buyer?.postcode ?? "").trim().toUpperCase();
    if (!buyer) add(25, "Tracked Returns need the sender's address (billing)", "billing", "");
    else if (!["GB", "JE", "GG", "IM"].includes(buyer.countryCode) || !isUkPostcode(from))
      add(26, "The sender's postcode is not a valid UK postcode", "billing.address.postcode", buyer.postcode);
    else if (rejected(from))
      add(27, "The sender's postcode is not recognised", "billing.address.postcode", buyer.postcode);
  }
  const pkg = order.packages?.[0];
  if (!pkg) {
    add(40, "A package is required", "packages", "");
    return errors;
  }
  const format = ROYAL_MAIL_FORMATS[pkg.packageFormatIdentifier];
  if (!format) {
    add(41, "Package format is not recognised", "packageFormatIdentifier", pkg.packageFormatIdentifier);
    return errors;
  }
  if (service && !service.formats.includes(pkg.packageFormatIdentifier)) {
    add(
      42,
      `${service.name} does not carry a ${format.words}`,
      "packageFormatIdentifier",
      pkg.packageFormatIdentifier,
    );
  }
  if (pkg.weightInGrams > format.maxGrams) {
    add(43, `A ${format.words} weighs ${format.maxGrams} g at most`, "weightInGrams", pkg.weightInGrams);
  }
  const d = pkg.dimensions;
  if (d && !sidesFit([d.heightInMms, d.widthInMms, d.depthInMms], format.maxMm)) {
    add(
      44,
      `A ${format.words} measures ${format.maxMm.join("x")} mm at most`,
      "dimensions",
      `${d.heightInMms}x${d.widthInMms}x${d.depthInMms}`,
    );
  }
  return errors;
}

/** CN22 up to £270 of goods, CN23 above (Royal Mail's rule). */
function cnForm(lines: { quantity: number; value: number }[]): "CN22" | "CN23" {
  return lines.reduce((sum, l) => sum + l.quantity * l.value, 0) > 270 ? "CN23" : "CN22";
}

function customsLines(s: SandboxShipment): { text: string; size?: number; bold?: boolean }[] {
  // Click & Drop prints the CN22/CN23 with the label only when asked (`label.includeCN`).
  if (!s.details.customs || !s.details.cn) return [];
  const lines = JSON.parse(s.details.customs) as {
    description: string;
    hsCode: string;
    origin: string;
    quantity: number;
    value: number;
  }[];
  return [
    { text: `${cnForm(lines)} customs declaration: sale of goods`, size: 9, bold: true },
    ...lines.map((l) => ({
      text: `${l.quantity} x ${l.description} HS ${l.hsCode} origin ${l.origin} GBP ${l.value.toFixed(2)}`,
      size: 7,
    })),
    ...(s.details.ioss ? [{ text: `IOSS ${s.details.ioss}`, size: 8 }] : []),
  ];
}

function label(s: SandboxShipment): Uint8Array {
  const service = ROYAL_MAIL_SERVICES[s.service];
  const d = s.details as { name?: string; line1?: string; line2?: string; city?: string; from?: string };
  // Royal Mail prints a 2D barcode (Mailmark) and the tracking number as a 1D barcode.
  return labelPdf(
    [
      { text: "Royal Mail", size: 22, bold: true },
      { text: service?.name ?? s.service, size: 14 },
      ...(service?.returns ? [{ text: "RETURN - no stamp needed", size: 14, bold: true }] : []),
      { text: s.trackingNumber, size: 16, bold: true },
      { text: `From: ${d.from ?? ""}`, size: 8 },
      { text: "Deliver to:" },
      { text: d.name ?? "" },
      { text: d.line1 ?? "" },
      ...(d.line2 ? [{ text: d.line2 }] : []),
      { text: d.city ?? "" },
      { text: s.postcode, size: 14, bold: true },
      { text: s.reference ? `Ref ${s.reference}` : "", size: 8 },
      ...customsLines(s),
    ],
    {
      code128: [s.trackingNumber],
      dataMatrix: defaultDataMatrix(s.trackingNumber, s.postcode, s.reference ?? String(s.id)),
    },
  );
}

const info = (s: SandboxShipment) => ({
  orderIdentifier: s.id,
  ...(s.reference ? { orderReference: s.reference } : {}),
  createdOn: new Date(s.createdAt).toISOString(),
  orderDate: String(s.details.orderDate ?? new Date(s.createdAt).toISOString()),
  trackingNumber: s.trackingNumber,
  packages: [{ packageNumber: 1, trackingNumber: s.trackingNumber }],
});

royalMail.post("/api/v1/orders", async (c) => {
  const account = courierAccount(c.env, "royalmail", c.get("account"));
  if (await account.takeServerError()) return c.json({ message: "Internal Server Error" }, 500);
  const body = z
    .object({ items: z.array(z.unknown()).min(1) })
    .safeParse(await c.req.json().catch(() => null));
  if (!body.success) return c.json(errorResponse("The request must have at least one item in 'items'"), 400);
  const faults = await account.faults();
  const createdOrders: unknown[] = [];
  const failedOrders: unknown[] = [];
  for (const raw of body.data.items) {
    const parsed = orderSchema.safeParse(raw);
    if (!parsed.success) {
      failedOrders.push({
        order: raw,
        errors: parsed.error.issues.map((i) => ({
          errorCode: 1,
          errorMessage: `${i.path.join(".")}: ${i.message}`,
          fields: [{ fieldName: String(i.path[i.path.length - 1] ?? ""), value: "" }],
        })),
      });
      continue;
    }
    const order = parsed.data;
    const customs = checkCustoms(order);
    const errors = [...check(order, faults), ...customs.errors];
    if (errors.length) {
      failedOrders.push({ order: raw, errors });
      continue;
    }
    const serviceCode = order.postageDetails?.serviceCode ?? "";
    const a = order.recipient.address;
    const { shipment } = await account.purchase(
      {
        reference: order.orderReference ?? null,
        service: serviceCode,
        postcode: (a.postcode ?? "").toUpperCase(),
        details: {
          name: a.fullName ?? "",
          line1: a.addressLine1,
          line2: a.addressLine2 ?? "",
          city: a.city,
          orderDate: order.orderDate,
          from: order.billing?.address
            ? [
                order.billing.address.fullName,
                order.billing.address.addressLine1,
                order.billing.address.city,
                order.billing.address.postcode,
              ]
                .filter(Boolean)
                .join(", ")
            : (order.sender?.tradingName ?? ""),
          ...(customs.lines.length
            ? {
                customs: JSON.stringify(customs.lines),
                ...(order.label?.includeCN ? { cn: "yes" } : {}),
                ...(order.postageDetails?.IOSSNumber ? { ioss: order.postageDetails.IOSSNumber } : {}),
              }
            : {}),
        },
      },
      { kind: "royal-mail", prefix: ROYAL_MAIL_SERVICES[serviceCode]?.prefix ?? "TT" },
    );
    await registerSale(c.env, "royalmail", c.get("account"), shipment.trackingNumber);
    createdOrders.push({
      ...info(shipment),
      ...(order.label?.includeLabelInResponse ? { label: toBase64(label(shipment)) } : {}),
      labelErrors: [],
      generatedDocuments: order.label?.includeLabelInResponse
        ? ["postageLabel", ...(customs.lines.length && order.label.includeCN ? [cnForm(customs.lines)] : [])]
        : [],
    });
  }
  if (createdOrders.length) await holdIfArmed(account);
  return c.json({
    successCount: createdOrders.length,
    errorsCount: failedOrders.length,
    createdOrders,
    failedOrders,
  });
});

/** "ref";1001;"Reference%3BWith" → references and identifiers, from the raw (still encoded) path. */
function identifiers(rawPath: string, suffix: string): (string | number)[] | null {
  const m = new RegExp(`/orders/([^/]+)${suffix}$`).exec(rawPath);
  if (!m?.[1]) return null;
  const parts = m[1].split(";").filter(Boolean);
  if (parts.length === 0 || parts.length > 100) return null;
  const out: (string | number)[] = [];
  for (const part of parts) {
    const decoded = decodeURIComponent(part.replace(/%22/gi, '"'));
    if (/^".*"$/.test(decoded)) out.push(decoded.slice(1, -1));
    else if (/^\d+$/.test(decoded)) out.push(Number(decoded));
    else return null;
  }
  return out;
}

async function find(c: { env: SandboxEnv }, accountKey: string, ids: (string | number)[]) {
  const account = courierAccount(c.env, "royalmail", accountKey);
  const found: SandboxShipment[] = [];
  for (const id of ids) {
    const s = typeof id === "number" ? await account.byId(id) : await account.byReference(id);
    if (s && s.voidedAt === null) found.push(s);
  }
  return { account, found };
}

royalMail.get("/api/v1/orders/:ids/label", async (c) => {
  const ids = identifiers(new URL(c.req.url).pathname, "/label");
  const documentType = c.req.query("documentType");
  if (!ids) return c.json([{ code: "InvalidIdentifiers", message: "Order identifiers are not valid" }], 400);
  if (!documentType || !["postageLabel", "despatchNote", "CN22", "CN23"].includes(documentType)) {
    return c.json([{ code: "InvalidDocumentType", message: "documentType is required" }], 400);
  }
  if (documentType === "postageLabel" && c.req.query("includeReturnsLabel") === undefined) {
    return c.json(
      [{ code: "MissingParameter", message: "includeReturnsLabel is required for postageLabel" }],
      400,
    );
  }
  const { found } = await find(c, c.get("account"), ids);
  const first = found[0];
  if (!first) return c.body(null, 404);
  return c.body(label(first) as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/pdf" });
});

royalMail.get("/api/v1/orders/:ids", async (c) => {
  const ids = identifiers(new URL(c.req.url).pathname, "");
  if (!ids) return c.json([{ code: "InvalidIdentifiers", message: "Order identifiers are not valid" }], 400);
  const { found } = await find(c, c.get("account"), ids);
  if (found.length === 0) return c.body(null, 404);
  return c.json(found.map(info));
});

royalMail.delete("/api/v1/orders/:ids", async (c) => {
  const ids = identifiers(new URL(c.req.url).pathname, "");
  if (!ids) return c.json([{ code: "InvalidIdentifiers", message: "Order identifiers are not valid" }], 400);
  const { account, found } = await find(c, c.get("account"), ids);
  if (found.length === 0) return c.body(null, 404);
  const deletedOrders: unknown[] = [];
  const errors: unknown[] = [];
  for (const s of found) {
    const manifestedAt = await account.manifestedAt(s.id);
    if (manifestedAt !== null) {
      errors.push({
        orderIdentifier: s.id,
        ...(s.reference ? { orderReference: s.reference } : {}),
        code: "OrderManifested",
        message: `The order was manifested on ${new Date(manifestedAt).toISOString()} and can no longer be deleted`,
      });
      continue;
    }
    await account.cancel(s.id);
    deletedOrders.push({
      orderIdentifier: s.id,
      orderReference: s.reference ?? undefined,
      orderInfo: "Deleted",
    });
  }
  return c.json({ deletedOrders, errors });
});

royalMail.get("/mailpieces/v2/:id/events", async (c) => {
  const clientId = c.req.header("X-IBM-Client-Id");
  if (!clientId || !c.req.header("X-IBM-Client-Secret")) {
    return c.json(
      { httpCode: "401", httpMessage: "Unauthorized", moreInformation: "Client id and secret are required" },
      401,
    );
  }
  if (c.req.header("X-Accept-RMG-Terms") !== "yes") {
    return c.json(
      {
        httpCode: "400",
        httpMessage: "Bad Request",
        errors: [{ errorCode: "E0004", errorDescription: "Failed header validation for X-Accept-RMG-Terms" }],
      },
      400,
    );
  }
  // The same Tracking API serves both Royal Mail APIs: Click & Drop's parcels, then Pro Shipping's
  // (whose account is the same IBM client id).
  let account = courierAccount(c.env, "royalmail", clientId);
  const fault = await trackingFault(account);
  if (fault) return c.json({ httpCode: String(fault), httpMessage: "Service Unavailable" }, fault);
  let s = await account.byTracking(c.req.param("id"));
  if (!s) {
    account = courierAccount(c.env, "royalmail-pro", clientId);
    s = await account.byTracking(c.req.param("id"));
  }
  if (!s)
    return c.json(
      { httpCode: "404", httpMessage: "Not Found", moreInformation: "Mail piece not found" },
      404,
    );
  return c.json(royalMailTracking(s, await account.now()));
});
