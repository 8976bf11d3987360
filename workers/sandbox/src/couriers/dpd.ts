// DPD UK sandbox under /dpd. No public spec exists: this answers the shapes assumed and written
// down in packages/couriers/src/dpd/adapter.ts (login → GeoSession; POST /shipping/shipment →
// consignmentNumber and parcelNumbers; shippingRef1 as our reference; PDF labels on request).
// The account is the Basic-auth username; a GeoSession is "<username>.<uuid>".
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount, holdIfArmed } from "./accounts.ts";
import { dpdCollections } from "./dpd-collections.ts";
import { dpdCustomsProblem } from "./parcel-customs.ts";
import { labelPdf } from "./pdf.ts";
import { registerSale } from "./register.ts";
import { isUkPostcode } from "./rules.ts";
import type { SandboxShipment } from "./state.ts";
import { dpdTracking, trackingFault } from "./tracking-wire.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const dpd = new Hono<Env>();

const NETWORKS: Record<string, string> = {
  "1^12": "DPD Next Day",
  "1^13": "DPD Next Day by 12:00",
  // ASSUMED like the rest (packages/couriers/src/dpd/returns.ts): the buyer takes the parcel to a
  // DPD Pickup shop; collectionDetails is the buyer, deliveryDetails the seller.
  "1^91": "DPD Return",
};
const RETURN_NETWORKS = new Set(["1^91"]);
const MAX_KG = 30;
const fail = (errorMessage: string, obj?: string, errorCode = "1008") => ({
  error: [{ errorCode, errorType: "validation", errorMessage, ...(obj ? { obj } : {}) }],
  data: null,
});

dpd.post("/user/", async (c) => {
  if (c.req.query("action") !== "login") return c.json(fail("Unknown action", "action", "1001"), 400);
  const m = /^Basic (.+)$/.exec(c.req.header("Authorization") ?? "");
  const [user, password] = m?.[1] ? atob(m[1]).split(":") : [];
  if (!user || !password || !/^account\/\d+$/.test(c.req.header("GeoClient") ?? "")) {
    return c.json(fail("Authentication failed", "Authorization", "1100"), 401);
  }
  return c.json({ error: null, data: { geoSession: `${user}.${crypto.randomUUID()}` } });
});

dpd.use("/shipping/*", async (c, next) => {
  const session = c.req.header("GeoSession") ?? "";
  const account = session.split(".")[0];
  if (!account || !session.includes(".") || !c.req.header("GeoClient")) {
    return c.json(fail("GeoSession is missing or has expired", "GeoSession", "1101"), 401);
  }
  c.set("account", account);
  await next();
});

const dpdAddress = z.object({
  organisation: z.string().max(35).optional(),
  countryCode: z.string().length(2),
  postcode: z.string(),
  street: z.string().min(1),
  locality: z.string().optional(),
  town: z.string().min(1),
});
const shipmentRequest = z.object({
  collectionDate: z.string(),
  consignment: z
    .array(
      z.object({
        collectionDetails: z.object({
          contactDetails: z.object({ contactName: z.string().min(1) }).optional(),
          address: dpdAddress,
        }),
        deliveryDetails: z.object({
          contactDetails: z.object({ contactName: z.string().min(1) }),
          address: dpdAddress,
        }),
        networkCode: z.string(),
        numberOfParcels: z.number().int().min(1),
        totalWeight: z.number().positive(),
        shippingRef1: z.string().optional(),
      }),
    )
    .length(1),
});

const created = (s: SandboxShipment) => ({
  shipmentId: s.id,
  consolidated: false,
  consignmentDetail: [{ consignmentNumber: s.secondaryNumber ?? "", parcelNumbers: [s.trackingNumber] }],
});

// Collections (assumed like the rest): ./dpd-collections.ts.
dpd.route("/shipping/collection", dpdCollections);

dpd.post("/shipping/shipment", async (c) => {
  const account = courierAccount(c.env, "dpd", c.get("account"));
  if (await account.takeServerError()) return c.json(fail("Internal error", undefined, "9000"), 500);
  const body = (await c.req.json().catch(() => null)) as { consignment?: unknown[] } | null;
  const parsed = shipmentRequest.safeParse(body);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return c.json(fail(i?.message ?? "Invalid request", i?.path.join(".")), 400);
  }
  const con = parsed.data.consignment[0]!;
  const to = con.deliveryDetails.address;
  const from = con.collectionDetails.address;
  const faults = await account.faults();
  if (!NETWORKS[con.networkCode] || (faults.disabledServices ?? []).includes(con.networkCode))
    return c.json(fail(`Network ${con.networkCode} is not available`, "networkCode"));
  if (to.countryCode === "GB" && !isUkPostcode(to.postcode))
    return c.json(fail("Invalid postcode", "deliveryDetails.address.postcode"));
  const rejected = (postcode: string) =>
    (faults.rejectPostcodes ?? []).some(
      (p) => p.replace(/\s/g, "") === postcode.replace(/\s/g, "").toUpperCase(),
    );
  if (rejected(to.postcode)) {
    return c.json(fail(`Postcode ${to.postcode} is not recognised`, "deliveryDetails.address.postcode"));
  }
  const isReturn = RETURN_NETWORKS.has(con.networkCode);
  if (isReturn) {
    // A return comes from the buyer's UK address, and needs who is sending it.
    if (!["GB", "JE", "GG", "IM"].includes(from.countryCode) || !isUkPostcode(from.postcode))
      return c.json(fail("Invalid postcode", "collectionDetails.address.postcode"));
    if (rejected(from.postcode))
      return c.json(
        fail(`Postcode ${from.postcode} is not recognised`, "collectionDetails.address.postcode"),
      );
    if (!con.collectionDetails.contactDetails)
      return c.json(fail("contactName is required for a return", "collectionDetails.contactDetails"));
  }
  if (con.totalWeight / con.numberOfParcels > MAX_KG)
    return c.json(fail(`A parcel weighs ${MAX_KG} kg at most`, "totalWeight"));
  const customs = dpdCustomsProblem(body?.consignment?.[0], to);
  if (customs) return c.json(fail(customs.message, customs.field));
  const { shipment } = await account.purchase(
    {
      reference: con.shippingRef1 || null,
      service: con.networkCode,
      postcode: to.postcode.toUpperCase(),
      details: {
        name: con.deliveryDetails.contactDetails.contactName,
        line1: to.street,
        line2: to.locality ?? "",
        city: to.town,
        from: [
          con.collectionDetails.contactDetails?.contactName,
          from.organisation,
          from.street,
          from.town,
          from.postcode,
        ]
          .filter(Boolean)
          .join(", "),
      },
    },
    { kind: "dpd" },
  );
  await registerSale(c.env, "dpd", c.get("account"), shipment.trackingNumber);
  await holdIfArmed(account);
  return c.json({ error: null, data: created(shipment) });
});

dpd.get("/shipping/shipment", async (c) => {
  const ref = c.req.query("shippingRef1");
  if (!ref) return c.json(fail("shippingRef1 is required", "shippingRef1"), 400);
  const s = await courierAccount(c.env, "dpd", c.get("account")).byReference(ref);
  return c.json({ error: null, data: { shipments: s && s.voidedAt === null ? [created(s)] : [] } });
});

dpd.get("/shipping/shipment/:id/label/", async (c) => {
  const s = await courierAccount(c.env, "dpd", c.get("account")).byId(Number(c.req.param("id")));
  if (!s || s.voidedAt !== null) return c.json(fail("Shipment not found", "shipmentId", "1200"), 404);
  if (!(c.req.header("Accept") ?? "").includes("application/pdf")) {
    return c.json(fail("Only application/pdf labels are offered by the sandbox", "Accept", "1300"), 406);
  }
  const d = s.details as { name?: string; line1?: string; line2?: string; city?: string; from?: string };
  // DPD prints a routing barcode (% + postcode + parcel number + service + country 826) and the parcel number.
  const routing = `%${s.postcode.replace(/\s+/g, "").padEnd(7, "0")}${s.trackingNumber}${s.service.replace(/\D/g, "").padStart(3, "0")}826`;
  const pdf = labelPdf(
    [
      { text: "DPD", size: 24, bold: true },
      { text: NETWORKS[s.service] ?? s.service, size: 13 },
      ...(RETURN_NETWORKS.has(s.service)
        ? [{ text: "RETURN - drop at a DPD Pickup shop", size: 12, bold: true }]
        : []),
      { text: s.trackingNumber, size: 16, bold: true },
      { text: `Consignment ${s.secondaryNumber ?? ""}`, size: 9 },
      { text: `From: ${d.from ?? ""}`, size: 8 },
      { text: d.name ?? "" },
      { text: d.line1 ?? "" },
      ...(d.line2 ? [{ text: d.line2 }] : []),
      { text: d.city ?? "" },
      { text: s.postcode, size: 14, bold: true },
    ],
    { code128: [routing, s.trackingNumber] },
  );
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/pdf" });
});

dpd.delete("/shipping/shipment/:id", async (c) => {
  const ok = await courierAccount(c.env, "dpd", c.get("account")).cancel(Number(c.req.param("id")));
  return ok
    ? c.json({ error: null, data: null })
    : c.json(fail("Shipment not found", "shipmentId", "1200"), 404);
});

dpd.get("/shipping/parcel/:parcel/events", async (c) => {
  const account = courierAccount(c.env, "dpd", c.get("account"));
  const fault = await trackingFault(account);
  if (fault) return c.json(fail("Service unavailable", undefined, "9000"), fault);
  const s = await account.byTracking(c.req.param("parcel"));
  if (!s) return c.json(fail("Parcel not found", "parcelNumber", "1200"), 404);
  return c.json(dpdTracking(s, await account.now()));
});
