// Click & Drop manifests (specs/couriers/royalmail/click-and-drop-api-v1.yaml, tag Manifests),
// mounted under /royalmail/api/v1/manifests behind the same Bearer check as the orders:
//   POST /manifests                 201 with the PDF, or 202 when the PDF comes later; 400 with
//                                   {errors:[{code, description}]} when nothing is eligible
//   POST /manifests/retry/{n}       processes a "Failed" manifest's orders again
//   (a manifest whose orders could not be processed answers 202 with its number, no PDF; GET says
//   "Failed" and the orders stay cancellable until a retry processes them)
//   GET  /manifests/{n}             status (In Progress | Completed | Failed) and the PDF when ready
// Manifested orders can no longer be deleted (see DELETE /orders in royalmail.ts).
import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../env.ts";
import { courierAccount } from "./accounts.ts";
import { labelPdf, toBase64 } from "./pdf.ts";
import { ROYAL_MAIL_SERVICES } from "./rules.ts";
import type { SandboxManifest } from "./state.ts";

type Env = { Bindings: SandboxEnv; Variables: { account: string } };
export const royalMailManifests = new Hono<Env>();

const errors = (code: string, description: string) => ({ errors: [{ code, description }] });

const requestSchema = z.object({ carrierName: z.string().max(100).optional() }).strict();

async function manifestPdf(env: SandboxEnv, accountKey: string, m: SandboxManifest): Promise<Uint8Array> {
  const account = courierAccount(env, "royalmail", accountKey);
  const perService = new Map<string, number>();
  for (const id of m.shipmentIds) {
    const s = await account.byId(id);
    if (!s || s.voidedAt !== null) continue;
    const name = ROYAL_MAIL_SERVICES[s.service]?.name ?? s.service;
    perService.set(name, (perService.get(name) ?? 0) + 1);
  }
  const total = [...perService.values()].reduce((a, b) => a + b, 0);
  return labelPdf([
    { text: "Royal Mail", size: 22, bold: true },
    { text: `Manifest ${m.manifestNumber}`, size: 16, bold: true },
    { text: m.carrierName ?? "Click & Drop" },
    { text: `Created ${new Date(m.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC` },
    { text: `Items: ${total}`, size: 14, bold: true },
    ...[...perService].map(([name, n]) => ({ text: `${name}: ${n}` })),
    { text: "Hand this sheet to the Royal Mail driver with the items.", size: 8 },
  ]);
}

async function answer(
  c: { env: SandboxEnv; get: (k: "account") => string },
  m: SandboxManifest,
  withDetails: boolean,
) {
  const ready = m.status === "Completed";
  const pdf = ready ? toBase64(await manifestPdf(c.env, c.get("account"), m)) : undefined;
  return {
    manifestNumber: m.manifestNumber,
    ...(withDetails ? { status: m.status } : {}),
    ...(pdf ? { documentPdf: pdf } : {}),
  };
}

function manifestNumber(raw: string | undefined): number | null {
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

royalMailManifests.use("*", async (c, next) => {
  const account = courierAccount(c.env, "royalmail", c.get("account"));
  if (await account.takeServerError()) {
    return c.json(errors("InternalServerError", "An unexpected error occurred"), 500);
  }
  await next();
});

royalMailManifests.post("/", async (c) => {
  const text = (await c.req.text()).trim();
  let body: unknown = {};
  try {
    if (text) body = JSON.parse(text);
  } catch {
    body = null;
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    return c.json(errors("InvalidRequest", "The request body must be {carrierName?: string}"), 400);
  }
  const carrierName = parsed.data.carrierName ?? null;
  if (carrierName !== null && !/^Royal Mail/.test(carrierName)) {
    return c.json(errors("InvalidCarrier", `No carrier named '${carrierName}' on this account`), 400);
  }
  const m = await courierAccount(c.env, "royalmail", c.get("account")).manifestEligible(carrierName);
  if (!m) return c.json(errors("NoEligibleOrders", "There are no eligible orders to manifest"), 400);
  // A manifest whose orders failed still has its number (202, no PDF): GET shows "Failed"; retry it.
  return c.json(await answer(c, m, false), m.status === "Completed" ? 201 : 202);
});

royalMailManifests.post("/retry/:n", async (c) => {
  const n = manifestNumber(c.req.param("n"));
  if (n === null) return c.json(errors("InvalidManifestIdentifier", "The manifest number is not valid"), 400);
  const m = await courierAccount(c.env, "royalmail", c.get("account")).retryManifest(n);
  if (!m) return c.body(null, 404);
  return c.json(await answer(c, m, false), m.status === "Completed" ? 201 : 202);
});

royalMailManifests.get("/:n", async (c) => {
  const n = manifestNumber(c.req.param("n"));
  if (n === null) return c.json(errors("InvalidManifestIdentifier", "The manifest number is not valid"), 400);
  const m = await courierAccount(c.env, "royalmail", c.get("account")).checkManifest(n);
  if (!m) return c.body(null, 404);
  return c.json(await answer(c, m, true), 200);
});
