// Evri sandbox under /evri. No public spec exists: this answers the shapes assumed and written down
// in packages/couriers/src/evri/adapter.ts (legacy Hermes UK routing service carried as JSON). The
// account is the Basic-auth username; clientUniqueReference is unique per account.
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount, holdIfArmed } from "./accounts.ts";
import { evriPickups } from "./evri-pickups.ts";
import { evriReturns } from "./evri-returns.ts";
import { evriCustomsProblem } from "./parcel-customs.ts";
import { labelPdf, toBase64 } from "./pdf.ts";
import { registerSale } from "./register.ts";
import { isUkPostcode } from "./rules.ts";
import type { SandboxShipment } from "./state.ts";
import { evriTracking, trackingFault } from "./tracking-wire.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const evri = new Hono<Env>();

const SERVICES: Record<string, string> = { EVRI48: "Evri Standard", EVRI24: "Evri Next Day" };
const MAX_GRAMS = 15000;
const MAX_LONGEST_CM = 120;

evri.use("/*", async (c, next) => {
  const m = /^Basic (.+)$/.exec(c.req.header("Authorization") ?? "");
  const [user, password] = m?.[1] ? atob(m[1]).split(":") : [];
  if (!user || !password)
    return c.json({ errors: [{ errorCode: 401, errorDescription: "Authentication failed" }] }, 401);
  c.set("account", user);
  await next();
});

const entrySchema = z.object({
  customer: z.object({
    address: z.object({
      firstName: z.string(),
      lastName: z.string().min(1),
      addressLine1: z.string().min(1),
      addressLine2: z.string().optional(),
      city: z.string().min(1),
      postCode: z.string(),
      countryCode: z.string().length(2),
    }),
  }),
  parcel: z.object({
    weight: z.number().int().positive(),
    length: z.number(),
    width: z.number(),
    depth: z.number(),
    value: z.number().int().min(0),
  }),
  serviceCode: z.string(),
  clientUniqueReference: z.string().min(1).max(32),
  expectedDespatchDate: z.string(),
});
const routingRequest = z.object({
  clientId: z.string().min(1),
  clientName: z.string(),
  sourceOfRequest: z.string(),
  deliveryRoutingRequestEntries: z.array(z.unknown()).min(1),
});

function label(s: SandboxShipment): Uint8Array {
  const d = s.details as { name?: string; line1?: string; city?: string };
  const d2 = s.details as { line2?: string };
  // Evri prints its 16-character barcode number as a Code 128 (what the depots and drivers scan).
  return labelPdf(
    [
      { text: "evri", size: 24, bold: true },
      { text: SERVICES[s.service] ?? s.service, size: 13 },
      { text: s.trackingNumber, size: 16, bold: true },
      { text: `Sort ${String((s.id % 90) + 10)}`, size: 12 },
      { text: d.name ?? "" },
      { text: d.line1 ?? "" },
      ...(d2.line2 ? [{ text: d2.line2 }] : []),
      { text: d.city ?? "" },
      { text: s.postcode, size: 14, bold: true },
    ],
    { code128: [s.trackingNumber] },
  );
}

// Returns (Hermes' return orders): ./evri-returns.ts.
evri.route("/returnorders", evriReturns);
// Collections (Hermes' pickup orders): ./evri-pickups.ts.
evri.route("/pickuporders", evriPickups);

evri.post("/routing/routeDeliveryCreatePreadviceAndLabel", async (c) => {
  const account = courierAccount(c.env, "evri", c.get("account"));
  if (await account.takeServerError())
    return c.json({ errors: [{ errorCode: 500, errorDescription: "Internal error" }] }, 500);
  const req = routingRequest.safeParse(await c.req.json().catch(() => null));
  if (!req.success)
    return c.json({ errors: [{ errorCode: 400, errorDescription: "Invalid routing request" }] }, 400);
  const faults = await account.faults();
  const deliveryRoutingResponseEntries: unknown[] = [];
  let bought = false;
  for (const raw of req.data.deliveryRoutingRequestEntries) {
    const parsed = entrySchema.safeParse(raw);
    const reject = (errorCode: number, errorDescription: string) =>
      deliveryRoutingResponseEntries.push({
        clientUniqueReference: (raw as { clientUniqueReference?: string })?.clientUniqueReference,
        errorMessages: [{ errorCode, errorDescription }],
      });
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      reject(10, `${i?.path.join(".")}: ${i?.message}`);
      continue;
    }
    const e = parsed.data;
    const a = e.customer.address;
    const longest = Math.max(e.parcel.length, e.parcel.width, e.parcel.depth);
    if (!SERVICES[e.serviceCode]) reject(20, `Service ${e.serviceCode} is not available`);
    else if (a.countryCode === "GB" && !isUkPostcode(a.postCode))
      reject(21, `Postcode ${a.postCode} is not valid`);
    else if (
      (faults.rejectPostcodes ?? []).some(
        (p) => p.replace(/\s/g, "") === a.postCode.replace(/\s/g, "").toUpperCase(),
      )
    ) {
      reject(22, `Postcode ${a.postCode} is not recognised by Evri`);
    } else if (e.parcel.weight > MAX_GRAMS) reject(30, "Parcel weight exceeds 15kg");
    else if (longest > MAX_LONGEST_CM) reject(31, "Parcel is longer than 120cm");
    else if (evriCustomsProblem(raw, a)) {
      const problem = evriCustomsProblem(raw, a)!;
      reject(40, `${problem.field}: ${problem.message}`);
    } else {
      const { shipment } = await account.purchase(
        {
          reference: e.clientUniqueReference,
          service: e.serviceCode,
          postcode: a.postCode.toUpperCase(),
          details: {
            name: `${a.firstName} ${a.lastName}`.trim(),
            line1: a.addressLine1,
            line2: a.addressLine2 ?? "",
            city: a.city,
          },
        },
        { kind: "evri" },
      );
      await registerSale(c.env, "evri", c.get("account"), shipment.trackingNumber);
      bought = true;
      deliveryRoutingResponseEntries.push({
        clientUniqueReference: e.clientUniqueReference,
        outboundCarriers: {
          carrier1: {
            barcode1: { barcodeNumber: shipment.trackingNumber },
            sortLevel1: String((shipment.id % 90) + 10),
            sortLevel2: "HYA",
          },
          labelImage: toBase64(label(shipment)),
        },
      });
    }
  }
  if (bought) await holdIfArmed(account);
  return c.json({ deliveryRoutingResponseEntries });
});

evri.get("/routing/deliveries", async (c) => {
  const ref = c.req.query("clientUniqueReference");
  if (!ref)
    return c.json(
      { errors: [{ errorCode: 400, errorDescription: "clientUniqueReference is required" }] },
      400,
    );
  const s = await courierAccount(c.env, "evri", c.get("account")).byReference(ref);
  return c.json({
    deliveries:
      s && s.voidedAt === null
        ? [{ barcodeNumber: s.trackingNumber, clientUniqueReference: ref, serviceCode: s.service }]
        : [],
  });
});

evri.get("/routing/deliveries/:barcode/label", async (c) => {
  const s = await courierAccount(c.env, "evri", c.get("account")).byTracking(c.req.param("barcode"));
  if (!s || s.voidedAt !== null)
    return c.json({ errors: [{ errorCode: 404, errorDescription: "Delivery not found" }] }, 404);
  return c.body(label(s) as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/pdf" });
});

evri.delete("/routing/deliveries/:barcode", async (c) => {
  const account = courierAccount(c.env, "evri", c.get("account"));
  const s = await account.byTracking(c.req.param("barcode"));
  if (!s || !(await account.cancel(s.id)))
    return c.json({ errors: [{ errorCode: 404, errorDescription: "Delivery not found" }] }, 404);
  return c.body(null, 204);
});

evri.get("/tracking/:barcode/events", async (c) => {
  const account = courierAccount(c.env, "evri", c.get("account"));
  const fault = await trackingFault(account);
  if (fault)
    return c.json({ errors: [{ errorCode: fault, errorDescription: "Service unavailable" }] }, fault);
  const s = await account.byTracking(c.req.param("barcode"));
  if (!s) return c.json({ errors: [{ errorCode: 404, errorDescription: "Parcel not found" }] }, 404);
  return c.json(evriTracking(s, await account.now()));
});
