// Control switches for the extra operations (not part of Amazon), under /_sandbox/amazon/sellers/{id}/extra.
// POST …/extra/faults merges switches, PUT replaces, DELETE clears; GET …/extra/listings and
// GET …/extra/solicitations show what Amazon received (and refused); GET …/extra/buyer-events shows the
// feedback, claims, chargebacks and refunds behind the reports and Finances.

import { Hono } from "hono";
import { z } from "zod";
import { isSellerId } from "../amazon/credentials.ts";
import type { SandboxEnv } from "../env.ts";
import { sellerWorld } from "./gate.ts";
import { type ExtraFaults, type SeededInfo, sellerExtra } from "./world.ts";

const OPERATIONS = [
  "createReport",
  "getReport",
  "getReportDocument",
  "listTransactions",
  "patchListingsItem",
  "getSolicitationActionsForOrder",
  "createProductReviewAndSellerFeedbackSolicitation",
] as const;

const ExtraFaultsSchema = z.object({
  throttle: z
    .object({ next: z.number().int().min(0), operations: z.array(z.enum(OPERATIONS)).optional() })
    .optional(),
  serverErrors: z
    .object({
      next: z.number().int().min(0),
      status: z.union([z.literal(500), z.literal(503)]).optional(),
      operations: z.array(z.enum(OPERATIONS)).optional(),
    })
    .optional(),
  lostAnswers: z
    .object({ next: z.number().int().min(0), operations: z.array(z.enum(OPERATIONS)).optional() })
    .optional(),
  lostRequests: z
    .object({ next: z.number().int().min(0), operations: z.array(z.enum(OPERATIONS)).optional() })
    .optional(),
  refuseSkus: z.record(z.string(), z.string()).optional(),
  reportProcessingMs: z.number().int().min(0).max(3_600_000).optional(),
  financesPageSize: z.number().int().min(1).max(100).optional(),
});

export const extraControl = new Hono<{ Bindings: SandboxEnv }>();

extraControl.use("/_sandbox/amazon/sellers/:id/extra/*", async (c, next) => {
  if (!isSellerId(c.req.param("id"))) {
    return c.json({ error: "A selling partner id is 3–40 letters, digits, '-' or '_'." }, 400);
  }
  await next();
});

extraControl.get("/_sandbox/amazon/sellers/:id/extra/faults", (c) =>
  c.json(sellerExtra(c.req.param("id")).faults),
);

for (const method of ["post", "put"] as const) {
  extraControl[method]("/_sandbox/amazon/sellers/:id/extra/faults", async (c) => {
    let raw: unknown = {};
    try {
      raw = await c.req.json();
    } catch {
      raw = {};
    }
    const parsed = ExtraFaultsSchema.safeParse(raw);
    if (!parsed.success) {
      return c.json(
        { error: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") },
        400,
      );
    }
    const s = sellerExtra(c.req.param("id"));
    s.faults = (method === "post" ? { ...s.faults, ...parsed.data } : parsed.data) as ExtraFaults;
    return c.json(s.faults);
  });
}

extraControl.delete("/_sandbox/amazon/sellers/:id/extra/faults", (c) => {
  const s = sellerExtra(c.req.param("id"));
  s.faults = {};
  return c.json(s.faults);
});

extraControl.get("/_sandbox/amazon/sellers/:id/extra/listings", (c) =>
  c.json(Object.fromEntries(sellerExtra(c.req.param("id")).listings)),
);

extraControl.get("/_sandbox/amazon/sellers/:id/extra/solicitations", (c) => {
  const s = sellerExtra(c.req.param("id"));
  const sent = [...s.solicitations].map(([orderId, at]) => ({ orderId, sentAt: new Date(at).toISOString() }));
  const refused = s.refusedSolicitations.map((r) => ({
    orderId: r.orderId,
    at: new Date(r.at).toISOString(),
    reason: r.reason,
  }));
  return c.json({ sent, refused });
});

extraControl.get("/_sandbox/amazon/sellers/:id/extra/buyer-events", async (c) => {
  const id = c.req.param("id");
  const summary = (await c.env.AMAZON_SELLER.get(
    c.env.AMAZON_SELLER.idFromName(id),
  ).summary()) as unknown as {
    now: string;
    seeded: SeededInfo | null;
    simulated: boolean;
  };
  return c.json(await sellerWorld(c.env, id, Date.parse(summary.now), summary).events());
});
