// Returns labels: POST /orders/{orderId}/returns (a label the buyer uses to send a sent order
// back, from Royal Mail Tracked Returns, DPD or Evri: a PDF to email, or Evri's QR code for a
// ParcelShop), GET /returns (newest first, or
// one order's), GET /returns/{returnId} and GET /returns/{returnId}/label.
import { ConsignError, ErrorCode } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { ReturnRecord } from "../../room/returns.ts";
import { roomOf } from "../../stubs.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { errorResponses, idempotencyHeaders, orderIdParams } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

const returnSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    courier: z.string(),
    courierReturnId: z.string().openapi({ description: "The courier's id for the return." }),
    trackingNumber: z
      .string()
      .nullable()
      .openapi({ description: "The returning parcel's own tracking number." }),
    originalTrackingNumber: z
      .string()
      .nullable()
      .openapi({ description: "The tracking number of the parcel sent to the buyer." }),
    format: z.enum(["pdf", "qr"]),
    reason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    labelUrl: z.string().openapi({ description: "The label (PDF) or QR code (PNG) to send the buyer." }),
  })
  .openapi("Return");

const newReturnSchema = z
  .object({
    courier: z.enum(["evri", "royal-mail", "dpd", "amazon-shipping"]).default("evri").openapi({
      description:
        "Who carries the return, whoever carried the parcel: royal-mail (Tracked Returns, posted at a Post Office), dpd (dropped at a DPD Pickup shop) or evri (a ParcelShop). The courier's account must be connected; amazon-shipping makes no returns labels.",
    }),
    format: z.enum(["pdf", "qr"]).default("pdf").openapi({
      description: "pdf: a label the buyer prints; qr: a code shown at an Evri ParcelShop (Evri only).",
    }),
    reason: z.string().trim().max(200, "keep the reason under 200 characters").optional(),
  })
  .strict()
  .openapi("NewReturn");

const returnParams = z.object({
  returnId: z
    .string()
    .regex(/^rt_[0-9a-f-]{36}$/, "a return id looks like rt_ followed by a UUID")
    .openapi({ param: { name: "returnId", in: "path" } }),
});

function present(r: ReturnRecord) {
  return {
    id: r.id,
    orderId: r.orderId,
    courier: r.courier,
    courierReturnId: r.courierReturnId,
    trackingNumber: r.trackingNumber,
    originalTrackingNumber: r.originalTrackingNumber,
    format: r.format,
    reason: r.reason,
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt),
    labelUrl: `/api/v1/returns/${r.id}/label`,
  };
}

export function registerReturnRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const create = createRoute({
    method: "post",
    path: "/orders/{orderId}/returns",
    tags: ["Returns"],
    summary: "Buy a returns label for a sent order",
    description:
      "A label the buyer uses to send the order back to your dispatch address, linked to the order and the parcel sent, with the return's own tracking number.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: {
      params: orderIdParams,
      headers: idempotencyHeaders,
      body: { required: false, content: json(newReturnSchema) },
    },
    responses: {
      201: { description: "The return and where its label is.", content: json(returnSchema) },
      ...errorResponses(400, 404, 409, 502),
    },
  });
  api.openapi(create, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const body = newReturnSchema.parse((await c.req.json().catch(() => ({}))) ?? {});
    const made = unwrap(
      await roomOf(c.env, identity.sellerId).createReturn(identity, orderId, {
        courier: body.courier,
        format: body.format,
        ...(body.reason ? { reason: body.reason } : {}),
      }),
    );
    return c.json(present(made), 201);
  });

  const list = createRoute({
    method: "get",
    path: "/returns",
    tags: ["Returns"],
    summary: "Returns labels",
    description: "Newest first; with orderId, that order's returns in the order they were made.",
    middleware: guard(backendFor, "read"),
    request: { query: z.object({ orderId: z.string().max(64).optional() }) },
    responses: {
      200: { description: "The returns.", content: json(z.object({ returns: z.array(returnSchema) })) },
      ...errorResponses(400),
    },
  });
  api.openapi(list, async (c) => {
    const { orderId } = c.req.valid("query");
    const rows = unwrap(await roomOf(c.env, c.get("identity").sellerId).listReturns(orderId));
    return c.json({ returns: rows.map(present) }, 200);
  });

  const one = createRoute({
    method: "get",
    path: "/returns/{returnId}",
    tags: ["Returns"],
    summary: "One return",
    middleware: guard(backendFor, "read"),
    request: { params: returnParams },
    responses: {
      200: { description: "The return.", content: json(returnSchema) },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(one, async (c) => {
    const { returnId } = c.req.valid("param");
    const r = unwrap(await roomOf(c.env, c.get("identity").sellerId).getReturn(returnId));
    if (!r) throw new ConsignError(ErrorCode.NotFound, `No return ${returnId} for this seller.`);
    return c.json(present(r), 200);
  });

  const label = createRoute({
    method: "get",
    path: "/returns/{returnId}/label",
    tags: ["Returns"],
    summary: "The returns label to send the buyer",
    middleware: guard(backendFor, "read"),
    request: { params: returnParams },
    responses: {
      200: {
        description: "The label PDF, or the QR code PNG.",
        content: {
          "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
          "image/png": { schema: z.string().openapi({ format: "binary" }) },
        },
      },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(label, async (c) => {
    const { returnId } = c.req.valid("param");
    const doc = unwrap(await roomOf(c.env, c.get("identity").sellerId).returnDocument(returnId));
    if (!doc) throw new ConsignError(ErrorCode.NotFound, `No return ${returnId} for this seller.`);
    const ext = doc.contentType === "image/png" ? "png" : "pdf";
    return new Response(doc.bytes, {
      status: 200,
      headers: {
        "Content-Type": doc.contentType,
        "Content-Disposition": `inline; filename="return-${returnId}.${ext}"`,
      },
    });
  });
}
