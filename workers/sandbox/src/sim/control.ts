// The month simulation's controls on the sandbox's Amazon (not part of Amazon), under /_sandbox/sim:
//
//   POST /_sandbox/sim/sellers/{id}/days    {day: "YYYY-MM-DD", seed, averagePerDay, peak?}
//        plans that day's orders (./world.ts); each appears when the seller's clock passes its time
//   GET  /_sandbox/sim/sellers/{id}/health  Amazon's account-health figures now, from what it received
//        (each parcel's delivery from its courier sandbox's scans for the confirmed tracking number)
//   GET  /_sandbox/sim/sellers/{id}/outcomes  every order's fate (confirmation, delivery, feedback…)
//   GET  /_sandbox/sim/volumes?from=YYYY-MM-DD&days=N&averagePerDay=N&peakDay=I
//        how many orders each of those days brings (the team's capacity is set from their average)
//
// The seller's clock moves with POST /_sandbox/amazon/sellers/{id}/clock, as the edge room's does.

import { Hono } from "hono";
import { z } from "zod";
import { isSellerId } from "../amazon/credentials.ts";
import type { SandboxEnv } from "../env.ts";
import { sellerOutcomes } from "./seller-outcomes.ts";
import { accountHealth, dayVolume, planDay } from "./world.ts";

export const simControl = new Hono<{ Bindings: SandboxEnv }>();

const seller = (env: SandboxEnv, id: string) => env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(id));

const DaySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day as YYYY-MM-DD"),
  seed: z.union([z.string(), z.number()]).default("month"),
  averagePerDay: z.number().int().min(1).max(5_000).default(1_000),
  peak: z.boolean().default(false),
  primeShare: z.number().min(0).max(1).optional(),
  cancelRequestShare: z.number().min(0).max(1).optional(),
  addressProblemShare: z.number().min(0).max(1).optional(),
});

const VolumesSchema = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day as YYYY-MM-DD"),
  days: z.coerce.number().int().min(1).max(366),
  averagePerDay: z.coerce.number().int().min(1).max(5_000),
  peakDay: z.coerce.number().int().min(0).optional(),
});

simControl.get("/_sandbox/sim/volumes", (c) => {
  const parsed = VolumesSchema.safeParse(c.req.query());
  if (!parsed.success) {
    return c.json(
      { error: parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; ") },
      400,
    );
  }
  const { from, days, averagePerDay, peakDay } = parsed.data;
  const start = Date.parse(`${from}T00:00:00Z`);
  if (Number.isNaN(start)) return c.json({ error: `from: ${from} is not a calendar day.` }, 400);
  const volumes = Array.from({ length: days }, (_, i) =>
    dayVolume(start + i * 86_400_000, averagePerDay, peakDay === i),
  );
  return c.json({ volumes, average: volumes.reduce((a, b) => a + b, 0) / days });
});

simControl.use("/_sandbox/sim/sellers/:id/*", async (c, next) => {
  if (!isSellerId(c.req.param("id"))) {
    return c.json({ error: "A selling partner id is 3–40 letters, digits, '-' or '_'." }, 400);
  }
  await next();
});

simControl.post("/_sandbox/sim/sellers/:id/days", async (c) => {
  const raw = await c.req.json().catch(() => null);
  const parsed = DaySchema.safeParse(raw ?? {});
  if (!parsed.success) {
    return c.json(
      { error: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") },
      400,
    );
  }
  const id = c.req.param("id");
  const { day, seed, averagePerDay, peak, ...shares } = parsed.data;
  const dayStartMs = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(dayStartMs)) return c.json({ error: `day: ${day} is not a calendar day.` }, 400);
  const plan = planDay({
    sellingPartnerId: id,
    dayStartMs,
    seed: String(seed),
    averagePerDay,
    peak,
    ...Object.fromEntries(Object.entries(shares).filter(([, v]) => v !== undefined)),
  });
  const added = await seller(c.env, id).simAddOrders(id, plan.orders);
  const traits = Object.values(plan.traits);
  return c.json({
    day,
    orders: added.added,
    prime: traits.filter((t) => t.prime).length,
    multiItem: traits.filter((t) => t.items > 1).length,
    cancelRequests: traits.filter((t) => t.cancelRequest).length,
    addressProblems: traits.filter((t) => t.addressProblem).length,
    skus: [...new Set(plan.orders.flatMap((o) => o.order.orderItems.map((i) => i.product.sellerSku)))].sort(),
    traits: plan.traits,
    sellerNow: added.now,
  });
});

simControl.get("/_sandbox/sim/sellers/:id/health", async (c) => {
  const { now, outcomes: all } = await sellerOutcomes(c.env, c.req.param("id"));
  return c.json(accountHealth(all, now));
});

simControl.get("/_sandbox/sim/sellers/:id/outcomes", async (c) => {
  const { now, outcomes: all, withdrawn } = await sellerOutcomes(c.env, c.req.param("id"));
  // `withdrawn`: orders the world planned that buyers could not place (the listing offered too few).
  return c.json({ now: new Date(now).toISOString(), outcomes: all, withdrawn });
});
