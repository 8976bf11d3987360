// Courier collections: POST /collections (book a driver for a day: courier, date, ready time,
// parcels and weight, which default to the labels waiting for that courier), GET /collections
// (today's and later), GET /collections/{collectionId} (as the courier has it now) and
// POST /collections/{collectionId}/cancel.
import { ConsignError, ErrorCode } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { CollectionRecord } from "../../room/collections.ts";
import { roomOf } from "../../stubs.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { errorResponses, idempotencyHeaders } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const collectionSchema = z
  .object({
    id: z.string(),
    courier: z.string(),
    courierCollectionId: z.string(),
    date: z.string().openapi({ example: "2026-12-07" }),
    readyAt: z.string().openapi({ example: "10:00" }),
    window: z.string().openapi({ description: "The window the courier gave.", example: "10:00–13:00" }),
    parcels: z.number().int(),
    weightKg: z.number(),
    state: z.enum(["booked", "collected", "cancelled", "unknown"]).openapi({
      description: "unknown: the courier no longer lists the booking.",
    }),
    bookedBy: z.string(),
    bookedAt: z.string(),
    cancelledAt: z.string().nullable(),
  })
  .openapi("Collection");

const newCollectionSchema = z
  .object({
    courier: z.enum(["evri", "dpd", "royal-mail", "amazon-shipping"]),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "give the day as YYYY-MM-DD"),
    readyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "give the UK time the parcels are ready as HH:MM"),
    parcels: z.number().int().min(1).max(999).optional().openapi({
      description: "Default: the labels of this courier bought and not yet dispatched.",
    }),
    weightKg: z.number().positive().max(30_000).optional(),
  })
  .strict()
  .openapi("NewCollection");

const params = z.object({
  collectionId: z
    .string()
    .regex(/^col_[0-9a-f-]{36}$/, "a collection id looks like col_ followed by a UUID")
    .openapi({ param: { name: "collectionId", in: "path" } }),
});

function present(c: CollectionRecord) {
  return {
    id: c.id,
    courier: c.courier,
    courierCollectionId: c.courierCollectionId,
    date: c.date,
    readyAt: c.readyAt,
    window: c.window,
    parcels: c.parcels,
    weightKg: c.weightKg,
    state: c.state,
    bookedBy: c.bookedBy,
    bookedAt: iso(c.bookedAt),
    cancelledAt: c.cancelledAt !== null ? iso(c.cancelledAt) : null,
  };
}

export function registerCollectionRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const book = createRoute({
    method: "post",
    path: "/collections",
    tags: ["End of day"],
    summary: "Book a courier collection",
    description:
      "From your dispatch address: Evri in a window from the ready time (10–13, 12–15 or 14–17), DPD from the ready time until 18:00.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { headers: idempotencyHeaders, body: { required: true, content: json(newCollectionSchema) } },
    responses: {
      201: { description: "Booked.", content: json(collectionSchema) },
      ...errorResponses(400, 409),
    },
  });
  api.openapi(book, async (c) => {
    const identity = c.get("identity");
    const body = c.req.valid("json");
    const booked = unwrap(
      await roomOf(c.env, identity.sellerId).bookCollection(identity, {
        courier: body.courier,
        date: body.date,
        readyAt: body.readyAt,
        ...(body.parcels !== undefined ? { parcels: body.parcels } : {}),
        ...(body.weightKg !== undefined ? { weightKg: body.weightKg } : {}),
      }),
    );
    return c.json(present(booked), 201);
  });

  const list = createRoute({
    method: "get",
    path: "/collections",
    tags: ["End of day"],
    summary: "Collections booked",
    description: "From the given day (default: every day kept), soonest first.",
    middleware: guard(backendFor, "read"),
    request: {
      query: z.object({
        from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
          .optional(),
      }),
    },
    responses: {
      200: {
        description: "The collections.",
        content: json(z.object({ collections: z.array(collectionSchema) })),
      },
      ...errorResponses(400),
    },
  });
  api.openapi(list, async (c) => {
    const { from } = c.req.valid("query");
    const rows = unwrap(await roomOf(c.env, c.get("identity").sellerId).listCollections(from));
    return c.json({ collections: rows.map(present) }, 200);
  });

  const one = createRoute({
    method: "get",
    path: "/collections/{collectionId}",
    tags: ["End of day"],
    summary: "One collection, as the courier has it now",
    middleware: guard(backendFor, "read"),
    request: { params },
    responses: {
      200: { description: "The collection.", content: json(collectionSchema) },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(one, async (c) => {
    const { collectionId } = c.req.valid("param");
    const found = unwrap(await roomOf(c.env, c.get("identity").sellerId).viewCollection(collectionId));
    if (!found) throw new ConsignError(ErrorCode.NotFound, `No collection ${collectionId} for this seller.`);
    return c.json(present(found), 200);
  });

  const cancel = createRoute({
    method: "post",
    path: "/collections/{collectionId}/cancel",
    tags: ["End of day"],
    summary: "Cancel a collection",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { params, headers: idempotencyHeaders },
    responses: {
      200: { description: "Cancelled with the courier.", content: json(collectionSchema) },
      ...errorResponses(404, 409),
    },
  });
  api.openapi(cancel, async (c) => {
    const { collectionId } = c.req.valid("param");
    return c.json(
      present(unwrap(await roomOf(c.env, c.get("identity").sellerId).cancelCollection(collectionId))),
      200,
    );
  });
}
