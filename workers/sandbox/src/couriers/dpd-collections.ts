// DPD collections in the sandbox, in the shape packages/couriers dpd/collections.ts assumes (DPD
// UK publishes no model): POST /shipping/collection books (a working day from tomorrow on, ready
// before the close time), GET /shipping/collection/{id} answers its status (BOOKED, CANCELLED),
// DELETE cancels. Kept in the account's own collections store (a second Durable Object).
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount } from "./accounts.ts";
import { isUkPostcode } from "./rules.ts";
import type { SandboxShipment } from "./state.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const dpdCollections = new Hono<Env>();

const fail = (errorMessage: string, obj?: string, errorCode = "1008") => ({
  error: [{ errorCode, errorType: "validation", errorMessage, ...(obj ? { obj } : {}) }],
  data: null,
});
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const request = z.object({
  collectionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  readyTime: time,
  closeTime: time,
  numberOfParcels: z.number().int().min(1).max(99),
  totalWeight: z
    .number()
    .positive()
    .max(30 * 99),
  collectionRef: z.string().max(25).optional(),
  collectionDetails: z.object({
    contactDetails: z.object({ contactName: z.string().min(1) }),
    address: z.object({
      countryCode: z.string().length(2),
      postcode: z.string(),
      street: z.string().min(1),
      town: z.string().min(1),
    }),
  }),
});

const store = (env: SandboxEnv, account: string) => courierAccount(env, "dpd", `${account}#collections`);
const view = (s: SandboxShipment) => ({
  collectionId: String(s.id),
  collectionDate: s.details.date ?? "",
  readyTime: s.details.ready ?? "",
  closeTime: s.details.close ?? "",
  numberOfParcels: Number(s.details.parcels ?? 0),
  status: s.voidedAt !== null ? "CANCELLED" : "BOOKED",
});

dpdCollections.post("/", async (c) => {
  const parsed = request.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return c.json(fail(i?.message ?? "Invalid request", i?.path.join(".")), 400);
  }
  const r = parsed.data;
  const today = new Date().toISOString().slice(0, 10);
  if (r.collectionDate <= today)
    return c.json(fail("Collections are booked from the next working day", "collectionDate"), 400);
  if (new Date(`${r.collectionDate}T12:00:00Z`).getUTCDay() === 0)
    return c.json(fail("DPD does not collect on Sundays", "collectionDate"), 400);
  if (r.readyTime >= r.closeTime)
    return c.json(fail("The ready time must be before the close time", "readyTime"), 400);
  const a = r.collectionDetails.address;
  if (a.countryCode === "GB" && !isUkPostcode(a.postcode))
    return c.json(fail("Invalid postcode", "collectionDetails.address.postcode"), 400);
  const { shipment } = await store(c.env, c.get("account")).purchase(
    {
      reference: r.collectionRef ?? null,
      service: "COLLECTION",
      postcode: a.postcode.toUpperCase(),
      details: {
        date: r.collectionDate,
        ready: r.readyTime,
        close: r.closeTime,
        parcels: String(r.numberOfParcels),
      },
    },
    { kind: "dpd" },
  );
  return c.json({ error: null, data: view(shipment) });
});

dpdCollections.get("/:id", async (c) => {
  const s = await store(c.env, c.get("account")).byId(Number(c.req.param("id")));
  if (!s) return c.json(fail("Collection not found", "collectionId", "1404"), 404);
  return c.json({ error: null, data: view(s) });
});

dpdCollections.delete("/:id", async (c) => {
  const account = store(c.env, c.get("account"));
  const id = Number(c.req.param("id"));
  const s = await account.byId(id);
  if (!s) return c.json(fail("Collection not found", "collectionId", "1404"), 404);
  await account.cancel(id);
  return c.json({ error: null, data: view((await account.byId(id))!) });
});
