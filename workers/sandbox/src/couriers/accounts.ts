// Reaching one sandbox courier account, and the fault switches tests flip under /_sandbox/couriers.
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";

export type SandboxCourier = "royalmail" | "royalmail-pro" | "amazon-shipping" | "dpd" | "evri";

export function courierAccount(env: SandboxEnv, courier: SandboxCourier, account: string) {
  return env.COURIER_ACCOUNT.get(env.COURIER_ACCOUNT.idFromName(`${courier}:${account}`));
}

export type CourierAccount = ReturnType<typeof courierAccount>;

/** Holds a purchase answer when a timeout fault is armed: the shipment already exists by then. */
export async function holdIfArmed(account: CourierAccount): Promise<void> {
  const ms = await account.takeDelay();
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

const faultsSchema = z.object({
  timeoutMs: z.number().int().min(0).max(120_000).optional(),
  timeouts: z.number().int().min(0).optional(),
  serverErrors: z.number().int().min(0).optional(),
  rejectPostcodes: z.array(z.string()).optional(),
  disabledServices: z.array(z.string()).optional(),
  down: z.boolean().optional(),
  manifestFailures: z.number().int().min(0).optional(),
  manifestPdfPending: z.number().int().min(0).optional(),
  callsPerSecond: z.number().int().min(1).max(1000).optional(),
  malformedAnswers: z.number().int().min(0).optional(),
});

const courierParam = z.enum(["royalmail", "royalmail-pro", "amazon-shipping", "dpd", "evri"]);

/** Test switches: faults, the purchase counter and "deliver this parcel". */
export const sandboxSwitches = new Hono<{ Bindings: SandboxEnv }>();

function target(c: { req: { param: (k: string) => string | undefined } }) {
  const courier = courierParam.safeParse(c.req.param("courier"));
  return courier.success ? { courier: courier.data, account: c.req.param("account") ?? "" } : null;
}

sandboxSwitches.put("/:courier/accounts/:account/faults", async (c) => {
  const t = target(c);
  const body = faultsSchema.safeParse(await c.req.json().catch(() => null));
  if (!t || !body.success) return c.json({ error: "unknown courier or bad fault switches" }, 400);
  return c.json(await courierAccount(c.env, t.courier, t.account).setFaults(body.data));
});

sandboxSwitches.get("/:courier/accounts/:account/faults", async (c) => {
  const t = target(c);
  if (!t) return c.json({ error: "unknown courier" }, 400);
  return c.json(await courierAccount(c.env, t.courier, t.account).faults());
});

sandboxSwitches.get("/:courier/accounts/:account/purchases", async (c) => {
  const t = target(c);
  if (!t) return c.json({ error: "unknown courier" }, 400);
  const account = courierAccount(c.env, t.courier, t.account);
  return c.json({
    purchases: await account.purchaseCount(),
    purchaseRequests: await account.purchaseRequests(),
  });
});

// The account's clock, moved forward as the seller's room and Amazon's are in a simulation, so that
// its parcels are collected and delivered on the simulated days: {"advanceMs": n} (0 reads it).
sandboxSwitches.post("/:courier/accounts/:account/clock", async (c) => {
  const t = target(c);
  const body = (await c.req.json().catch(() => null)) as { advanceMs?: unknown } | null;
  const ms = body?.advanceMs;
  if (!t || typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
    return c.json({ error: "unknown courier, or advanceMs is not a number of milliseconds ≥ 0" }, 400);
  const account = courierAccount(c.env, t.courier, t.account);
  const offsetMs = await account.advanceClock(ms);
  return c.json({ offsetMs, now: new Date(await account.now()).toISOString() });
});

sandboxSwitches.post("/:courier/accounts/:account/deliver/:trackingNumber", async (c) => {
  const t = target(c);
  if (!t) return c.json({ error: "unknown courier" }, 400);
  // Optional body {"at": "<ISO time>"}: delivered then (tests of late and on-time deliveries).
  const body = (await c.req.json().catch(() => ({}))) as { at?: unknown };
  const account = courierAccount(c.env, t.courier, t.account);
  const at = typeof body.at === "string" ? Date.parse(body.at) : await account.now();
  if (Number.isNaN(at)) return c.json({ error: "at must be an ISO date-time" }, 400);
  const ok = await account.deliver(c.req.param("trackingNumber"), at);
  return ok ? c.json({ delivered: true }) : c.json({ error: "no such parcel" }, 404);
});
