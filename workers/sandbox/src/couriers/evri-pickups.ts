// Evri collections in the sandbox, as Hermes' shipping API models pickup orders
// (specs/couriers/karrio/hermes/openapi.yaml): POST /pickuporders (PickupOrder) answers a
// pickupOrderID; GET /pickuporders answers listOfPickupOrders (actualOrderState ORDERED or
// CANCELLED); DELETE /pickuporders/{pickupOrderID} cancels one not yet collected. The pickup date
// must be a working day from tomorrow on (e062/e063 as the model lists them for returns pickups).
// Kept in the account's own pickups store (a second Durable Object, ids from 1).
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount } from "./accounts.ts";
import type { SandboxShipment } from "./state.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const evriPickups = new Hono<Env>();

const pickupOrder = z.object({
  pickupDate: z.string().regex(/^((19|20)\d\d)-(0?[1-9]|1[012])-(0?[1-9]|[12][0-9]|3[01])$/),
  pickupTimeSlot: z.enum(["BETWEEN_10_AND_13", "BETWEEN_12_AND_15", "BETWEEN_14_AND_17"]).optional(),
  pickupAddress: z.object({
    street: z.string().min(1),
    houseNumber: z.string(),
    zipCode: z.string().min(1),
    town: z.string().min(1),
    countryCode: z.string().regex(/^[A-Z]{2}$/),
    addressAddition: z.string().optional(),
  }),
  pickupName: z.object({ lastname: z.string().min(1) }).passthrough(),
  phone: z.string().max(20).optional(),
  parcelCount: z
    .object({
      pickupParcelCountXS: z.number().int().min(0).max(999999).optional(),
      pickupParcelCountS: z.number().int().min(0).max(999999).optional(),
      pickupParcelCountM: z.number().int().min(0).max(999999).optional(),
      pickupParcelCountL: z.number().int().min(0).max(999999).optional(),
      pickupParcelCountXL: z.number().int().min(0).max(999999).optional(),
    })
    .optional(),
});

const store = (env: SandboxEnv, account: string) => courierAccount(env, "evri", `${account}#pickups`);
const fail = (code: string, message: string) => ({ listOfResultCodes: [{ code, message }] });
const pickupId = (s: SandboxShipment) => String(s.id).padStart(11, "0");

function view(s: SandboxShipment) {
  const d = s.details;
  return {
    pickupOrderID: pickupId(s),
    actualOrderState: s.voidedAt !== null ? "CANCELLED" : "ORDERED",
    pickupDate: d.date ?? "",
    pickupTimeSlot: d.slot ?? "",
    parcelCount: d.parcels ?? "0",
    pickupName: { lastname: d.name ?? "" },
    pickupAddress: {
      street: d.street ?? "",
      houseNumber: d.number ?? "",
      zipCode: s.postcode,
      town: d.town ?? "",
      countryCode: "GB",
    },
    orderCreationDate: new Date(s.createdAt).toISOString(),
  };
}

evriPickups.post("/", async (c) => {
  const parsed = pickupOrder.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return c.json(fail("e001", `${i?.path.join(".") ?? "body"}: ${i?.message ?? "invalid"}`), 400);
  }
  const p = parsed.data;
  const day = new Date(`${p.pickupDate}T12:00:00Z`);
  const today = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
  if (!(day.getTime() > today.getTime()))
    return c.json(
      fail("e062", "The selected pickup date needs to be at least on the next working day."),
      400,
    );
  if (day.getUTCDay() === 0)
    return c.json(fail("e063", "The selected pickup date is a sunday or holiday."), 400);
  const parcels = Object.values(p.parcelCount ?? {}).reduce((n, v) => n + (v ?? 0), 0);
  if (parcels < 1) return c.json(fail("e001", "parcelCount: at least one parcel to collect"), 400);
  const { shipment } = await store(c.env, c.get("account")).purchase(
    {
      reference: null,
      service: "PICKUP",
      postcode: p.pickupAddress.zipCode.toUpperCase(),
      details: {
        date: p.pickupDate,
        slot: p.pickupTimeSlot ?? "BETWEEN_10_AND_13",
        parcels: String(parcels),
        name: p.pickupName.lastname,
        street: p.pickupAddress.street,
        number: p.pickupAddress.houseNumber,
        town: p.pickupAddress.town,
      },
    },
    { kind: "evri" },
  );
  return c.json({ listOfResultCodes: [], pickupOrderID: pickupId(shipment) });
});

evriPickups.get("/", async (c) => {
  const s = store(c.env, c.get("account"));
  const listOfPickupOrders: ReturnType<typeof view>[] = [];
  for (let id = 1; ; id++) {
    const found = await s.byId(id);
    if (!found) break;
    listOfPickupOrders.push(view(found));
  }
  return c.json({ listOfResultCodes: [], listOfPickupOrders });
});

evriPickups.delete("/:id", async (c) => {
  const id = Number(c.req.param("id"));
  const s = store(c.env, c.get("account"));
  if (!Number.isInteger(id) || !(await s.byId(id))) return c.json(fail("e050", "No pickup order found"), 400);
  if (!(await s.cancel(id))) return c.json(fail("e051", "The pickup order is already cancelled"), 400);
  return c.json({ listOfResultCodes: [], pickupOrderID: String(id).padStart(11, "0") });
});
