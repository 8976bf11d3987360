// The sandbox's control API under /_sandbox/amazon (not part of Amazon): seed a seller, flip fault
// switches, expire or revoke its tokens, move its clock, and list the confirmations it received.

import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { queueObject } from "../notifications/sqs.ts";
import { isSellerId } from "./credentials.ts";
import { FaultSwitchesSchema } from "./faults.ts";
import { APP_ROLES } from "./roles.ts";
import { appState } from "./state.ts";

export const SeedSchema = z.object({
  // Issue 23 measures 50,000 open orders: one account holds that many (the import pages through them).
  orders: z.number().int().min(0).max(50_000),
  historyDays: z.number().int().min(1).max(730).default(90),
  seed: z.union([z.string(), z.number()]).default("demo"),
  unshipped: z.number().int().min(0).optional(),
  arrivalsPerHour: z.number().min(0).max(600).optional(),
  arrivalHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .optional(),
});

export const DEMO_SEED = { orders: 1500, historyDays: 90, unshipped: 60, seed: "demo", arrivalsPerHour: 12 };

export const control = new Hono<{ Bindings: SandboxEnv }>();

control.use("/_sandbox/amazon/sellers/:id/*", async (c, next) => {
  if (!isSellerId(c.req.param("id"))) {
    return c.json({ error: "A selling partner id is 3–40 letters, digits, '-' or '_'." }, 400);
  }
  await next();
});

const seller = (env: SandboxEnv, id: string) => env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(id));

async function body<T>(
  req: Request,
  schema: z.ZodType<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    raw = {};
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    };
  }
  return { ok: true, value: parsed.data };
}

control.post("/_sandbox/amazon/sellers/:id/seed", async (c) => {
  const parsed = await body(c.req.raw, SeedSchema);
  if (!parsed.ok) return c.json({ error: parsed.error }, 400);
  const id = c.req.param("id");
  const { unshipped, arrivalsPerHour, arrivalHours, ...rest } = parsed.value;
  const result = await seller(c.env, id).seed(id, {
    ...rest,
    ...(unshipped !== undefined ? { unshipped } : {}),
    ...(arrivalsPerHour !== undefined ? { arrivalsPerHour } : {}),
    ...(arrivalHours !== undefined ? { arrivalHours } : {}),
  });
  return c.json(result);
});

control.get("/_sandbox/amazon/sellers/:id", async (c) =>
  c.json(await seller(c.env, c.req.param("id")).summary()),
);

control.get("/_sandbox/amazon/sellers/:id/faults", async (c) =>
  c.json(await seller(c.env, c.req.param("id")).faults()),
);

for (const method of ["post", "put"] as const) {
  control[method]("/_sandbox/amazon/sellers/:id/faults", async (c) => {
    const parsed = await body(c.req.raw, FaultSwitchesSchema);
    if (!parsed.ok) return c.json({ error: parsed.error }, 400);
    const id = c.req.param("id");
    return c.json(await seller(c.env, id).setFaults(id, parsed.value, method === "post"));
  });
}

control.delete("/_sandbox/amazon/sellers/:id/faults", async (c) => {
  const id = c.req.param("id");
  return c.json(await seller(c.env, id).setFaults(id, {}, false));
});

control.post("/_sandbox/amazon/sellers/:id/expire-access-tokens", async (c) =>
  c.json(await seller(c.env, c.req.param("id")).expireAccessTokens()),
);

control.post("/_sandbox/amazon/sellers/:id/revoke", async (c) =>
  c.json(await seller(c.env, c.req.param("id")).revoke()),
);

control.post("/_sandbox/amazon/sellers/:id/clock", async (c) => {
  const parsed = await body(c.req.raw, z.object({ advanceMs: z.number().int().min(0) }));
  if (!parsed.ok) return c.json({ error: parsed.error }, 400);
  return c.json(await seller(c.env, c.req.param("id")).advanceClock(parsed.value.advanceMs));
});

control.get("/_sandbox/amazon/sellers/:id/confirmations", async (c) => {
  const all = await seller(c.env, c.req.param("id")).confirmations();
  const accepted = all.filter((r) => r.accepted);
  const perPackage: Record<string, number> = {};
  for (const r of accepted) {
    const key = `${r.orderId}#${r.packageReferenceId}`;
    perPackage[key] = (perPackage[key] ?? 0) + 1;
  }
  return c.json({
    accepted: accepted.length,
    refused: all.length - accepted.length,
    /** Packages Amazon accepted more than once (must be empty: the sandbox refuses a second one). */
    acceptedTwice: Object.entries(perPackage)
      .filter(([, n]) => n > 1)
      .map(([k]) => k),
    confirmations: all.map((r) => ({ ...r, body: JSON.parse(r.body) as unknown })),
  });
});

// The roles an app is approved for decide which personal data it sees (roles.ts). One switch per
// app (its LWA client_id); unset means every role.
control.get("/_sandbox/amazon/apps/:clientId/roles", async (c) =>
  c.json({ roles: await appState(c.env, c.req.param("clientId")).appRoles() }),
);

control.put("/_sandbox/amazon/apps/:clientId/roles", async (c) => {
  const parsed = await body(c.req.raw, z.object({ roles: z.array(z.enum(APP_ROLES)) }));
  if (!parsed.ok) return c.json({ error: parsed.error }, 400);
  const roles = [...new Set(parsed.value.roles)];
  return c.json({ roles: await appState(c.env, c.req.param("clientId")).setAppRoles(roles) });
});

// A buyer placing an order now, and a buyer asking to cancel one: both send ORDER_CHANGE to the
// seller's subscription (what the latency benchmark and the notification tests drive).
control.post("/_sandbox/amazon/sellers/:id/orders", async (c) => {
  const id = c.req.param("id");
  return c.json(await seller(c.env, id).createOrderNow(id), 201);
});

// Which notifications Amazon would send this selling partner's orders to (null: none).
control.get("/_sandbox/amazon/sellers/:id/subscriptions", async (c) =>
  c.json({ ORDER_CHANGE: await seller(c.env, c.req.param("id")).publicSubscriptionOf("ORDER_CHANGE") }),
);

control.post("/_sandbox/amazon/sellers/:id/orders/:orderId/cancel-request", async (c) => {
  const r = await seller(c.env, c.req.param("id")).requestCancellation(c.req.param("orderId"));
  return r.ok ? c.json(r) : c.json({ error: "No unshipped order with that id for this seller." }, 404);
});

// The sandbox's SQS queues: contents and fault switches (duplicates, delays, outages).
const QueueFaultsSchema = z.object({
  duplicates: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).max(900_000).optional(),
  outage: z.number().int().min(0).optional(),
  down: z.boolean().optional(),
});

control.put("/_sandbox/sqs/queues/:name", async (c) => {
  const name = c.req.param("name");
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
    return c.json({ error: "A queue name is 1-80 letters, digits, '-' or '_'." }, 400);
  await queueObject(c.env, name).sqsCreate(name);
  return c.json(await queueObject(c.env, name).sqsStats());
});

control.get("/_sandbox/sqs/queues/:name", async (c) =>
  c.json(await queueObject(c.env, c.req.param("name")).sqsStats()),
);

control.put("/_sandbox/sqs/queues/:name/faults", async (c) => {
  const parsed = await body(c.req.raw, QueueFaultsSchema);
  if (!parsed.ok) return c.json({ error: parsed.error }, 400);
  return c.json(await queueObject(c.env, c.req.param("name")).sqsFaults(parsed.value));
});
