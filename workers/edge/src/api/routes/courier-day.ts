// The courier day: POST /manifests (close the day with Royal Mail), GET /manifests,
// GET /manifests/{manifestId}, GET /manifests/{manifestId}/document, POST /manifests/{manifestId}/retry,
// GET/PATCH /settings/courier-day (automatic close time, failover), GET /couriers/health and
// POST /couriers/{courier}/up (failover: which courier is down, what was reconciled).
import { ConsignError, type CourierId, ErrorCode } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ManifestRecord } from "../../room/manifests.ts";
import { roomOf } from "../../stubs.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { errorResponses, idempotencyHeaders } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const manifestSchema = z
  .object({
    id: z.string(),
    courier: z.literal("royal-mail"),
    manifestNumber: z.number().nullable().openapi({ description: "Royal Mail's manifest number." }),
    state: z.enum(["closing", "in_progress", "completed", "failed", "refused", "uncertain"]).openapi({
      description:
        "closing: Royal Mail is being asked; in_progress: manifested, paperwork not ready yet; completed: paperwork ready; failed: Royal Mail could not process it (retry); refused: Royal Mail said no (see error); uncertain: Royal Mail did not answer.",
    }),
    requestedBy: z.string(),
    requestedAt: z.string(),
    automatic: z.boolean(),
    labels: z.number().int(),
    labelIds: z.array(z.string()),
    documentReady: z.boolean(),
    completedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi("Manifest");

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** One courier's times; named apart for answers and requests (the document keeps the two apart). */
const courierTimesNamed = (name: string) =>
  z
    .object({
      cutoff: z.string().regex(HHMM, "give the cut-off as a UK time HH:MM (24-hour), e.g. 16:30").openapi({
        description:
          "UK time HH:MM: orders labelled and packed by then go with today's collection. An order going with this courier is read against it (shipBy.risk).",
        example: "16:30",
      }),
      handoverAt: z
        .string()
        .regex(HHMM, "give the collection or drop-off time as a UK time HH:MM (24-hour), e.g. 17:00")
        .openapi({
          description: "UK time HH:MM the courier collects, or the parcels must be at the drop-off point.",
          example: "17:00",
        }),
      handover: z.enum(["collection", "drop_off"]).openapi({
        description:
          "collection: the courier's van collects from you; drop_off: you take the parcels to them.",
      }),
    })
    .openapi(name);
const courierTimes = courierTimesNamed("CourierHandover");
const courierTimesInput = courierTimesNamed("CourierHandoverInput");

const courierIds = ["royal-mail", "dpd", "evri", "amazon-shipping"] as const;

const courierDaySchema = z
  .object({
    autoCloseAt: z
      .string()
      .nullable()
      .openapi({ description: "UK time HH:MM, or null for never.", example: "18:30" }),
    failover: z.boolean(),
    couriers: z
      .object({
        "royal-mail": courierTimes,
        dpd: courierTimes,
        evri: courierTimes,
        "amazon-shipping": courierTimes,
      })
      .openapi({
        description:
          "Each courier's cut-off and collection or drop-off time (UK defaults until the owner sets them: Royal Mail 17:00/17:30, DPD 16:30/17:00, Evri 16:00/16:30, Amazon Shipping 15:00/15:30).",
      }),
  })
  .openapi("CourierDaySettings");

const courierDayPatch = z
  .object({
    autoCloseAt: z.string().regex(HHMM, "give a UK time as HH:MM, e.g. 18:30").nullable().optional(),
    failover: z.boolean().optional(),
    couriers: z
      .partialRecord(z.enum(courierIds), courierTimesInput)
      .optional()
      .openapi({
        description:
          "The couriers whose times change, each with all three fields; couriers left out keep theirs. A cut-off after its courier's collection is refused.",
        example: { dpd: { cutoff: "15:30", handoverAt: "16:00", handover: "collection" } },
      }),
  })
  .strict();

const manifestParams = z.object({
  manifestId: z
    .string()
    .regex(/^mf_[0-9a-f-]{36}$/, "a manifest id looks like mf_ followed by a UUID")
    .openapi({ param: { name: "manifestId", in: "path" } }),
});

function present(m: ManifestRecord) {
  return {
    id: m.id,
    courier: m.courier,
    manifestNumber: m.manifestNumber ?? null,
    state: m.state,
    requestedBy: m.requestedBy,
    requestedAt: iso(m.requestedAt),
    automatic: m.auto,
    labels: m.labels,
    labelIds: m.labelIds,
    documentReady: m.documentReady,
    completedAt: m.completedAt !== undefined ? iso(m.completedAt) : null,
    error: m.error ?? null,
  };
}

export function registerCourierDayRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const close = createRoute({
    method: "post",
    path: "/manifests",
    tags: ["End of day"],
    summary: "Close the day with Royal Mail",
    description:
      "Puts every Royal Mail label bought since the last manifest on one Click & Drop manifest. Those labels can no longer be voided. The paperwork may come later: follow GET /manifests/{manifestId} until documentReady.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { headers: idempotencyHeaders },
    responses: {
      201: { description: "Manifested; see state and documentReady.", content: json(manifestSchema) },
      ...errorResponses(409),
    },
  });
  api.openapi(close, async (c) => {
    const identity = c.get("identity");
    return c.json(present(unwrap(await roomOf(c.env, identity.sellerId).closeDay(identity))), 201);
  });

  const list = createRoute({
    method: "get",
    path: "/manifests",
    tags: ["End of day"],
    summary: "Recent manifests",
    middleware: guard(backendFor, "read"),
    responses: {
      200: { description: "Newest first.", content: json(z.object({ manifests: z.array(manifestSchema) })) },
      ...errorResponses(),
    },
  });
  api.openapi(list, async (c) => {
    const manifests = unwrap(await roomOf(c.env, c.get("identity").sellerId).listManifests(30));
    return c.json({ manifests: manifests.map(present) }, 200);
  });

  const one = createRoute({
    method: "get",
    path: "/manifests/{manifestId}",
    tags: ["End of day"],
    summary: "One manifest",
    middleware: guard(backendFor, "read"),
    request: { params: manifestParams },
    responses: {
      200: { description: "The manifest.", content: json(manifestSchema) },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(one, async (c) => {
    const { manifestId } = c.req.valid("param");
    const m = unwrap(await roomOf(c.env, c.get("identity").sellerId).getManifest(manifestId));
    if (!m) throw new ConsignError(ErrorCode.NotFound, `No manifest ${manifestId} for this seller.`);
    return c.json(present(m), 200);
  });

  const document = createRoute({
    method: "get",
    path: "/manifests/{manifestId}/document",
    tags: ["End of day"],
    summary: "The printable manifest",
    description: "Royal Mail's manifest PDF, to print and hand to the driver.",
    middleware: guard(backendFor, "read"),
    request: { params: manifestParams },
    responses: {
      200: {
        description: "The manifest PDF.",
        content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
      },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(document, async (c) => {
    const { manifestId } = c.req.valid("param");
    const room = roomOf(c.env, c.get("identity").sellerId);
    const bytes = unwrap(await room.manifestDocument(manifestId));
    if (!bytes) {
      const m = unwrap(await room.getManifest(manifestId));
      throw new ConsignError(
        ErrorCode.NotFound,
        m
          ? `Royal Mail has not made the paperwork for manifest ${m.manifestNumber ?? manifestId} yet; Consign asks again every 30 seconds.`
          : `No manifest ${manifestId} for this seller.`,
      );
    }
    return new Response(bytes, {
      status: 200,
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `inline; filename="manifest-${manifestId}.pdf"`,
      },
    });
  });

  const retry = createRoute({
    method: "post",
    path: "/manifests/{manifestId}/retry",
    tags: ["End of day"],
    summary: "Retry a manifest",
    description:
      "A failed manifest is retried with Royal Mail; a refused or uncertain one closes the day again.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { params: manifestParams, headers: idempotencyHeaders },
    responses: {
      200: { description: "The manifest now.", content: json(manifestSchema) },
      ...errorResponses(404, 409),
    },
  });
  api.openapi(retry, async (c) => {
    const identity = c.get("identity");
    const { manifestId } = c.req.valid("param");
    return c.json(
      present(unwrap(await roomOf(c.env, identity.sellerId).retryManifest(identity, manifestId))),
      200,
    );
  });

  const getSettings = createRoute({
    method: "get",
    path: "/settings/courier-day",
    tags: ["End of day"],
    summary: "End-of-day settings",
    middleware: guard(backendFor, "read"),
    responses: {
      200: { description: "The settings.", content: json(courierDaySchema) },
      ...errorResponses(),
    },
  });
  api.openapi(getSettings, async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).courierDaySettings()), 200);
  });

  const patchSettings = createRoute({
    method: "patch",
    path: "/settings/courier-day",
    tags: ["End of day"],
    summary: "Change the end-of-day settings",
    description:
      "autoCloseAt: the UK time the day closes by itself (Royal Mail manifest), null for never. failover: send new label runs to the next service the rules allow while a courier is down.",
    middleware: guard(backendFor, "manage"),
    request: { body: { required: true, content: json(courierDayPatch) } },
    responses: {
      200: { description: "The settings now.", content: json(courierDaySchema) },
      ...errorResponses(400),
    },
  });
  api.openapi(patchSettings, async (c) => {
    const patch = c.req.valid("json");
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).patchCourierDay(patch)), 200);
  });

  const courierState = z
    .object({
      courier: z.enum(["royal-mail", "amazon-shipping", "dpd", "evri"]),
      down: z.boolean(),
      since: z.string().nullable(),
      reason: z.string().nullable().openapi({ example: "Royal Mail is not answering" }),
    })
    .openapi("CourierHealth");
  const health = createRoute({
    method: "get",
    path: "/couriers/health",
    tags: ["Couriers"],
    summary: "Which couriers are down",
    description:
      "A courier is down after three purchases in a row got no answer, or twenty were refused in a row; label runs then use the next service the shipping rules allow. `reconciled` lists purchases the down courier may have made, and what Consign found (and cancelled) when it answered again.",
    middleware: guard(backendFor, "read"),
    responses: {
      200: {
        description: "Each courier, and the reconciliations.",
        content: json(
          z.object({
            couriers: z.array(courierState),
            reconciled: z.array(
              z.object({
                labelKey: z.string(),
                orderId: z.string(),
                courier: z.string(),
                state: z.enum(["pending", "nothing_bought", "cancelled", "cancel_failed"]),
                note: z.string().nullable(),
              }),
            ),
          }),
        ),
      },
      ...errorResponses(),
    },
  });
  api.openapi(health, async (c) => {
    const h = unwrap(await roomOf(c.env, c.get("identity").sellerId).courierHealth());
    return c.json(
      {
        couriers: h.couriers.map((s) => ({
          courier: s.courier,
          down: s.down,
          since: s.since !== undefined ? iso(s.since) : null,
          reason: s.reason ?? null,
        })),
        reconciled: h.reconciled.map((r) => ({ ...r, note: r.note ?? null })),
      },
      200,
    );
  });

  const up = createRoute({
    method: "post",
    path: "/couriers/{courier}/up",
    tags: ["Couriers"],
    summary: "Mark a courier back up",
    description: "The owner knows the courier is back: label runs use it again at once.",
    middleware: guard(backendFor, "manage", { idempotent: true }),
    request: {
      params: z.object({
        courier: z
          .enum(["royal-mail", "amazon-shipping", "dpd", "evri"])
          .openapi({ param: { name: "courier", in: "path" } }),
      }),
      headers: idempotencyHeaders,
    },
    responses: {
      200: { description: "Each courier now.", content: json(z.object({ couriers: z.array(courierState) })) },
      ...errorResponses(400),
    },
  });
  api.openapi(up, async (c) => {
    const { courier } = c.req.valid("param");
    const states = unwrap(
      await roomOf(c.env, c.get("identity").sellerId).markCourierUp(courier as CourierId),
    );
    return c.json(
      {
        couriers: states.map((s) => ({
          courier: s.courier,
          down: s.down,
          since: s.since !== undefined ? iso(s.since) : null,
          reason: s.reason ?? null,
        })),
      },
      200,
    );
  });

  const spend = createRoute({
    method: "get",
    path: "/spend",
    tags: ["Couriers"],
    summary: "The day's spend",
    description:
      "Labels bought in a UK day, one line per courier and service, costed at each service's list price for the parcel (couriers bill on account and send no price per label); voided labels are counted but cost nothing; costPence is null where a price is not known (Amazon Shipping).",
    middleware: guard(backendFor, "read"),
    request: {
      query: z.object({
        day: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, "give a day as yyyy-mm-dd, e.g. 2026-12-05")
          .optional()
          .openapi({ description: "The UK day; today when absent." }),
      }),
    },
    responses: {
      200: {
        description: "The day's lines.",
        content: json(
          z.object({
            day: z.string(),
            labels: z.number().int(),
            costPence: z.number().int().nullable(),
            lines: z.array(
              z.object({
                courier: z.string(),
                serviceCode: z.string(),
                service: z.string(),
                labels: z.number().int(),
                voided: z.number().int(),
                costPence: z.number().int().nullable(),
              }),
            ),
          }),
        ),
      },
      ...errorResponses(400),
    },
  });
  api.openapi(spend, async (c) => {
    const room = roomOf(c.env, c.get("identity").sellerId);
    // Today is the seller's day on the room's clock (a simulation moves it), in UK time.
    const day =
      c.req.valid("query").day ??
      new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(
        unwrap(await room.dispatchClock()).now,
      );
    const s = unwrap(await room.daySpend(day));
    return c.json({ day: s.day, labels: s.labels, costPence: s.costPence, lines: s.lines }, 200);
  });
}
