// Amazon Buy Shipping sandbox: Shipping API v2 (specs/sp-api/shippingV2.json) getRates,
// purchaseShipment, getShipmentDocuments, cancelShipment and getTracking under /shipping/v2.
// The seller behind the x-amz-access-token is the account. A purchase with an x-amzn-IdempotencyKey seen before
// answers the shipment bought the first time (even once its rate has expired).
import { Hono } from "hono";
import { sellerOf } from "../amazon/credentials.ts";
import type { SandboxEnv } from "../env.ts";
import { courierAccount, holdIfArmed } from "./accounts.ts";
import { errors, grams, invalid, purchaseRequest, ratesRequest } from "./amazon-shipping-requests.ts";
import { labelPdf, toBase64 } from "./pdf.ts";
import { registerSale } from "./register.ts";
import { isUkPostcode } from "./rules.ts";
import type { SandboxShipment } from "./state.ts";
import { amazonTracking, trackingFault } from "./tracking-wire.ts";
import { labelZpl } from "./zpl.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const amazonShipping = new Hono<Env>();

const BUSINESSES = [
  "AmazonShipping_US",
  "AmazonShipping_IN",
  "AmazonShipping_UK",
  "AmazonShipping_UAE",
  "AmazonShipping_SA",
  "AmazonShipping_EG",
  "AmazonShipping_IT",
  "AmazonShipping_ES",
  "AmazonShipping_FR",
  "AmazonShipping_JP",
];
const RATE_LIFETIME_MS = 10 * 60 * 1000;
const MAX_GRAMS = 23000;

const SERVICES = [
  { serviceId: "SWA-UK-PREM", serviceName: "Amazon Shipping One Day", price: 3.79, days: 1 },
  { serviceId: "SWA-UK-STD", serviceName: "Amazon Shipping Standard", price: 2.99, days: 2 },
];

amazonShipping.use("/*", async (c, next) => {
  await next();
  // Every SP-API answer carries Amazon's request id, errors included.
  if (!c.res.headers.has("x-amzn-RequestId")) c.header("x-amzn-RequestId", crypto.randomUUID());
});

// Authenticated like every other SP-API call: the token must be one Login with Amazon issued for a
// seller, neither expired nor revoked. Shipments belong to that seller, not to the token string, so
// they outlive the hourly token rotation.
amazonShipping.use("/*", async (c, next) => {
  const token = c.req.header("x-amz-access-token");
  const denied = (details: string) =>
    c.json(errors("Unauthorized", "Access to requested resource is denied.", details), 403);
  if (!token) return denied("The access token is missing");
  const sellerId = sellerOf(token);
  if (!sellerId) return denied("The access token you provided is revoked, malformed or invalid.");
  const seller = c.env.AMAZON_SELLER.get(c.env.AMAZON_SELLER.idFromName(sellerId));
  const access = await seller.extraAccess(token, c.req.method, new URL(c.req.url).pathname);
  if (access.verdict === "expired") return denied("The access token you provided has expired.");
  if (access.verdict !== "ok")
    return denied("The access token you provided is revoked, malformed or invalid.");
  const business = c.req.header("x-amzn-shipping-business-id");
  if (business !== undefined && !BUSINESSES.includes(business)) {
    return c.json(errors("InvalidInput", "Invalid x-amzn-shipping-business-id"), 400);
  }
  c.set("account", sellerId);
  c.header("x-amzn-RateLimit-Limit", "80.0");
  await next();
});

amazonShipping.post("/shipments/rates", async (c) => {
  const account = courierAccount(c.env, "amazon-shipping", c.get("account"));
  if (await account.takeServerError())
    return c.json(errors("InternalFailure", "We encountered an internal error. Please try again."), 500);
  const parsed = ratesRequest.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error.issues), 400);
  const req = parsed.data;
  const to = req.shipTo;
  if (!to)
    return c.json(
      errors(
        "InvalidInput",
        "Request is missing or has invalid parameters",
        "shipTo is required for a UK shipment",
      ),
      400,
    );
  for (const [field, a] of [
    ["shipTo", to],
    ["shipFrom", req.shipFrom],
  ] as const) {
    if (a.countryCode === "GB" && !isUkPostcode(a.postalCode)) {
      return c.json(
        errors(
          "InvalidInput",
          "Request is missing or has invalid parameters",
          `${field}.postalCode ${a.postalCode} is not a valid UK postcode`,
        ),
        400,
      );
    }
  }
  const faults = await account.faults();
  const pkg = req.packages[0];
  const weight = pkg ? grams(pkg.weight) : 0;
  const unknownPostcode = (faults.rejectPostcodes ?? []).some(
    (p) => p.replace(/\s/g, "") === to.postalCode.replace(/\s/g, "").toUpperCase(),
  );
  const requestToken = `amzn1.rq.${crypto.randomUUID()}`;
  const now = await account.now();
  const rates: unknown[] = [];
  const ineligibleRates: unknown[] = [];
  for (const s of SERVICES) {
    const reason = unknownPostcode
      ? { code: "NO_COVERAGE", message: `Postcode ${to.postalCode} is not recognised by Amazon Shipping` }
      : weight > MAX_GRAMS
        ? { code: "WEIGHT_RESTRICTIONS", message: `Amazon Shipping carries ${MAX_GRAMS / 1000} kg at most` }
        : null;
    if (reason) {
      ineligibleRates.push({
        serviceId: s.serviceId,
        serviceName: s.serviceName,
        carrierName: "Amazon Shipping",
        carrierId: "AMZN_UK",
        ineligibilityReasons: [reason],
      });
      continue;
    }
    rates.push({
      rateId: `${s.serviceId}.${crypto.randomUUID()}`,
      carrierId: "AMZN_UK",
      carrierName: "Amazon Shipping",
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      billedWeight: { value: weight, unit: "GRAM" },
      totalCharge: { value: s.price, unit: "GBP" },
      promise: {
        pickupWindow: { start: new Date(now).toISOString(), end: new Date(now + 8 * 3600_000).toISOString() },
        deliveryWindow: {
          start: new Date(now + s.days * 86400_000).toISOString(),
          end: new Date(now + s.days * 86400_000 + 12 * 3600_000).toISOString(),
        },
      },
      supportedDocumentSpecifications: LABEL_FORMATS.map((format) => ({
        format,
        size: { length: 6, width: 4, unit: "INCH" },
        printOptions: [
          {
            supportedDPIs: [...LABEL_DPIS],
            supportedPageLayouts: ["DEFAULT"],
            supportedFileJoiningOptions: [false],
            supportedDocumentDetails: [{ name: "LABEL", isMandatory: true }],
          },
        ],
      })),
      requiresAdditionalInputs: false,
      rateItemList: [
        {
          rateItemID: "BASE_RATE",
          rateItemType: "MANDATORY",
          rateItemCharge: { value: s.price, unit: "GBP" },
          rateItemNameLocalization: "Base Rate",
        },
      ],
      paymentType: "PAY_THROUGH_AMAZON",
      benefits: { includedBenefits: ["CLAIMS_PROTECTED"], excludedBenefits: [] },
    });
  }
  await account.saveToken(
    requestToken,
    JSON.stringify({
      rates,
      postcode: to.postalCode.toUpperCase(),
      name: to.name,
      line1: to.addressLine1,
      city: to.city,
      packageClientReferenceId: pkg?.packageClientReferenceId ?? "1",
      orderId: req.channelDetails.amazonOrderDetails?.orderId ?? "",
    }),
  );
  return c.json({ payload: { requestToken, rates, ineligibleRates } });
});

/** The label formats this sandbox offers, as getRates lists them (supportedDocumentSpecifications). */
const LABEL_DPIS = [203, 300] as const;
const LABEL_FORMATS = ["PDF", "ZPL"] as const;
type LabelFormat = { format: "PDF" } | { format: "ZPL"; dpi: 203 | 300 };

function documents(s: SandboxShipment, want: LabelFormat = { format: "PDF" }) {
  const d = s.details as {
    name?: string;
    line1?: string;
    city?: string;
    serviceName?: string;
    packageClientReferenceId?: string;
  };
  const lines = [
    { text: "Amazon Shipping", size: 20, bold: true },
    { text: d.serviceName ?? s.service, size: 13 },
    { text: s.trackingNumber, size: 16, bold: true },
    { text: "Deliver to:" },
    { text: d.name ?? "" },
    { text: d.line1 ?? "" },
    { text: d.city ?? "" },
    { text: s.postcode, size: 14, bold: true },
  ];
  const barcodes = { code128: [s.trackingNumber] };
  const contents =
    want.format === "ZPL"
      ? toBase64(new TextEncoder().encode(labelZpl(lines, barcodes, want.dpi)))
      : toBase64(labelPdf(lines, barcodes));
  return {
    packageClientReferenceId: d.packageClientReferenceId ?? "1",
    packageDocuments: [{ type: "LABEL", format: want.format, contents }],
    trackingId: s.trackingNumber,
  };
}

/** The format and dpi asked for, or the ErrorList words for one this account does not offer. */
function labelFormat(format: string | undefined, dpi: string | number | undefined): LabelFormat | string {
  const f = (format ?? "PDF").toUpperCase();
  if (!(LABEL_FORMATS as readonly string[]).includes(f))
    return `format ${format} is not supported for this shipment; supported: ${LABEL_FORMATS.join(", ")}`;
  if (f === "PDF") return { format: "PDF" };
  const d = dpi === undefined || dpi === "" ? 203 : Number(dpi);
  if (!(LABEL_DPIS as readonly number[]).includes(d))
    return `dpi ${dpi} is not supported for format ${f}; supported: ${LABEL_DPIS.join(", ")}`;
  return { format: "ZPL", dpi: d as 203 | 300 };
}

const purchased = (s: SandboxShipment, want?: LabelFormat) => ({
  payload: {
    shipmentId: String(s.details.shipmentId),
    packageDocumentDetails: [documents(s, want)],
    promise: JSON.parse(s.details.promise ?? "{}") as unknown,
    benefits: { includedBenefits: ["CLAIMS_PROTECTED"], excludedBenefits: [] },
  },
});

amazonShipping.post("/shipments", async (c) => {
  const account = courierAccount(c.env, "amazon-shipping", c.get("account"));
  if (await account.takeServerError())
    return c.json(errors("InternalFailure", "We encountered an internal error. Please try again."), 500);
  const key = c.req.header("x-amzn-IdempotencyKey") ?? null;
  if (key) {
    const seen = await account.replay(key);
    if (seen) return c.json(purchased(seen));
  }
  const parsed = purchaseRequest.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error.issues), 400);
  const spec = parsed.data.requestedDocumentSpecification;
  const want = labelFormat(spec.format, spec.dpi);
  if (typeof want === "string")
    return c.json(errors("InvalidInput", "Request is missing or has invalid parameters", want), 400);
  const token = await account.token(parsed.data.requestToken);
  if (!token)
    return c.json(
      errors("InvalidInput", "Request is missing or has invalid parameters", "requestToken is not known"),
      400,
    );
  if (Date.now() - token.createdAt > RATE_LIFETIME_MS) {
    return c.json(errors("TOKEN_EXPIRED", "The rate has expired. Get rates for the shipment again."), 400);
  }
  const quote = JSON.parse(token.body) as {
    rates: { rateId: string; serviceId: string; serviceName: string; promise: unknown }[];
    postcode: string;
    name: string;
    line1: string;
    city: string;
    packageClientReferenceId: string;
  };
  const rate = quote.rates.find((r) => r.rateId === parsed.data.rateId);
  if (!rate)
    return c.json(
      errors(
        "InvalidInput",
        "Request is missing or has invalid parameters",
        "rateId does not belong to requestToken",
      ),
      400,
    );
  const { shipment } = await account.purchase(
    {
      reference: key,
      service: rate.serviceId,
      postcode: quote.postcode,
      details: {
        shipmentId: `amzn1.ship.${crypto.randomUUID()}`,
        serviceName: rate.serviceName,
        promise: JSON.stringify(rate.promise),
        name: quote.name,
        line1: quote.line1,
        city: quote.city,
        packageClientReferenceId: quote.packageClientReferenceId,
      },
    },
    { kind: "amazon" },
  );
  await registerSale(c.env, "amazon-shipping", c.get("account"), shipment.trackingNumber);
  await holdIfArmed(account);
  return c.json(purchased(shipment, want));
});

function byShipmentId(account: ReturnType<typeof courierAccount>, shipmentId: string) {
  return account.byDetail("shipmentId", shipmentId);
}

amazonShipping.get("/shipments/:shipmentId/documents", async (c) => {
  const account = courierAccount(c.env, "amazon-shipping", c.get("account"));
  const ref = c.req.query("packageClientReferenceId");
  if (!ref)
    return c.json(
      errors(
        "InvalidInput",
        "Request is missing or has invalid parameters",
        "packageClientReferenceId is required",
      ),
      400,
    );
  const want = labelFormat(c.req.query("format"), c.req.query("dpi"));
  if (typeof want === "string")
    return c.json(errors("InvalidInput", "Request is missing or has invalid parameters", want), 400);
  const s = await byShipmentId(account, c.req.param("shipmentId"));
  if (!s) return c.json(errors("NotFound", "The resource specified does not exist."), 404);
  return c.json({
    payload: { shipmentId: String(s.details.shipmentId), packageDocumentDetail: documents(s, want) },
  });
});

amazonShipping.put("/shipments/:shipmentId/cancel", async (c) => {
  const account = courierAccount(c.env, "amazon-shipping", c.get("account"));
  const s = await byShipmentId(account, c.req.param("shipmentId"));
  if (!s) return c.json(errors("NotFound", "The resource specified does not exist."), 404);
  if (!(await account.cancel(s.id)))
    return c.json(errors("InvalidInput", "The shipment is already cancelled"), 400);
  return c.json({ payload: {} });
});

amazonShipping.get("/tracking", async (c) => {
  const trackingId = c.req.query("trackingId");
  const carrierId = c.req.query("carrierId");
  if (!trackingId || !carrierId) {
    return c.json(
      errors(
        "InvalidInput",
        "Request is missing or has invalid parameters",
        "trackingId and carrierId are required",
      ),
      400,
    );
  }
  const account = courierAccount(c.env, "amazon-shipping", c.get("account"));
  const fault = await trackingFault(account);
  if (fault) return c.json(errors("ServiceUnavailable", "Service temporarily unavailable."), fault);
  const s = await account.byTracking(trackingId);
  if (!s) return c.json(errors("NotFound", "The resource specified does not exist."), 404);
  return c.json(amazonTracking(s, trackingId, await account.now()));
});

// Operations this sandbox does not serve answer in Amazon's ErrorList shape, never a plain-text 404.
amazonShipping.all("/*", (c) =>
  c.json(
    errors(
      "NotFound",
      "The requested resource does not exist.",
      `${c.req.method} ${new URL(c.req.url).pathname}`,
    ),
    404,
  ),
);
