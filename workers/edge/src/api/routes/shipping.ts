// Labels and dispatch: POST /labels/runs, GET /labels/runs/{runId}, GET /orders/{orderId}/label,
// POST /orders/{orderId}/void-label, POST /dispatch.
import { ConsignError, ErrorCode } from "@consign/domain";
import { labelsOnSheets } from "@consign/labels";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import { mergeLabels } from "../../labels/run-file.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { iso } from "../present.ts";
import { errorResponses, idempotencyHeaders, orderIdParams } from "../schemas/common.ts";
import {
  dispatchOutcomeSchema,
  labelLayoutQuery,
  labelRunSchema,
  labelRunStartedSchema,
  orderIdsBodySchema,
  runIdParams,
  voidedSchema,
} from "../schemas/ops.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });

export function registerShippingRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const buy = createRoute({
    method: "post",
    path: "/labels/runs",
    tags: ["Labels"],
    summary: "Buy labels",
    description:
      "Starts buying a label for each order with the service its shipping rule chose. Answers at once; follow progress with GET /labels/runs/{runId}. Send an Idempotency-Key: a repeat with the same key buys nothing twice.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { headers: idempotencyHeaders, body: { required: true, content: json(orderIdsBodySchema) } },
    responses: {
      202: { description: "The run has started.", content: json(labelRunStartedSchema) },
      ...errorResponses(400, 404, 409, 422),
    },
  });
  api.openapi(buy, async (c) => {
    const identity = c.get("identity");
    const { orderIds } = c.req.valid("json");
    const key = c.req.valid("header")["Idempotency-Key"] ?? `auto_${crypto.randomUUID()}`;
    const started = unwrap(await backendFor(c.env, identity.sellerId).startLabelRun(identity, orderIds, key));
    return c.json(started, 202);
  });

  const run = createRoute({
    method: "get",
    path: "/labels/runs/{runId}",
    tags: ["Labels"],
    summary: "Label run progress",
    middleware: guard(backendFor, "read"),
    request: { params: runIdParams },
    responses: {
      200: { description: "Each order's label so far.", content: json(labelRunSchema) },
      ...errorResponses(404),
    },
  });
  api.openapi(run, async (c) => {
    const { runId } = c.req.valid("param");
    const view = unwrap(await backendFor(c.env, c.get("identity").sellerId).getLabelRun(runId));
    if (!view) throw new ConsignError(ErrorCode.NotFound, `No label run ${runId} for this seller.`);
    return c.json(
      {
        runId: view.runId,
        state: view.state,
        startedAt: iso(view.startedAt),
        totals: {
          boughtNow: view.orders.filter((o) => o.status === "bought").length,
          alreadyBought: view.orders.filter((o) => o.status === "already_bought").length,
          failed: view.orders.filter((o) => o.status === "failed").length,
          pending: view.orders.filter((o) => o.status === "queued" || o.status === "buying").length,
        },
        orders: view.orders.map((o) => ({
          orderId: o.orderId,
          status: o.status,
          trackingNumber: o.trackingNumber ?? null,
          cost: o.cost ?? null,
          error: o.error ?? null,
        })),
      },
      200,
    );
  });

  const runFile = createRoute({
    method: "get",
    path: "/labels/runs/{runId}/labels.pdf",
    tags: ["Labels"],
    summary: "Every label of a run in one PDF",
    description:
      "The labels of the run (bought by it or before it), in the order the run was started with, each as the courier issued it: one request instead of one per order. Consign-Labels-Included counts the labels in the file; Consign-Labels-Missing counts the run's orders without one (still buying, failed, voided: GET /labels/runs/{runId} says which and why); Consign-Run-State says running or finished.",
    middleware: guard(backendFor, "read"),
    request: {
      params: runIdParams,
      query: z.object({
        layout: labelLayoutQuery,
      }),
    },
    responses: {
      200: {
        description: "The run's labels.",
        content: { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } },
      },
      ...errorResponses(404, 409),
    },
  });
  api.openapi(runFile, async (c) => {
    const { runId } = c.req.valid("param");
    const { layout } = c.req.valid("query");
    const collected = unwrap(await backendFor(c.env, c.get("identity").sellerId).runLabelsPdf(runId));
    // Merged here, not in the seller's room: the room only read the documents.
    const file = { ...(await mergeLabels(collected)), running: collected.running };
    if (file.included.length === 0) {
      throw new ConsignError(
        ErrorCode.Conflict,
        `Run ${runId} has no label to download yet${file.running ? ": it is still buying, try again shortly" : ""}.`,
        file.missing.slice(0, 50).map((m) => ({ path: m.orderId, message: m.reason })),
      );
    }
    // The same sheets the app prints on (labelsOnSheets in @consign/labels).
    const pdf = await labelsOnSheets(file.pdf, layout);
    return new Response(pdf, {
      status: 200,
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="labels-${runId}.pdf"`,
        "Consign-Layout": layout,
        "Consign-Labels-Included": String(file.included.length),
        "Consign-Labels-Missing": String(file.missing.length),
        "Consign-Run-State": file.running ? "running" : "finished",
      },
    });
  });

  const label = createRoute({
    method: "get",
    path: "/orders/{orderId}/label",
    tags: ["Labels"],
    summary: "Download the label",
    description:
      "The active label of the order as the courier issued it: its PDF, or with printer=zpl203 or zpl300 the courier's own ZPL for a thermal printer at that resolution where the courier's API gives one (Amazon Shipping). Couriers whose API gives PDF only (Royal Mail Click & Drop, DPD, Evri) answer their PDF then: the Content-Type says which (application/zpl or application/pdf). A split order's parcels come one after another in one document.",
    middleware: guard(backendFor, "read"),
    request: {
      params: orderIdParams,
      query: z.object({
        printer: z
          .enum(["zpl203", "zpl300"])
          .optional()
          .openapi({
            param: { name: "printer", in: "query" },
            description:
              "The printer the label is for: a ZPL thermal printer at 203 or 300 dpi. The courier's ZPL is sent unchanged where it has one; otherwise its PDF.",
          }),
      }),
    },
    responses: {
      200: {
        description:
          "The label document: PDF, or the courier's ZPL when printer= asks for it and the courier has one.",
        content: {
          "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
          "application/zpl": { schema: z.string() },
        },
      },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(label, async (c) => {
    const { orderId } = c.req.valid("param");
    const { printer } = c.req.valid("query");
    const dpi = printer === "zpl300" ? 300 : printer === "zpl203" ? 203 : undefined;
    const doc = unwrap(await backendFor(c.env, c.get("identity").sellerId).labelPdf(orderId, dpi));
    if (!doc)
      throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} has no label to download: buy one first.`);
    const zpl = doc.contentType === "application/zpl";
    return new Response(doc.bytes, {
      status: 200,
      headers: {
        "Content-Type": zpl ? "application/zpl; charset=utf-8" : doc.contentType,
        "Content-Disposition": `inline; filename="label-${orderId}.${zpl ? "zpl" : "pdf"}"`,
      },
    });
  });

  const voidLabel = createRoute({
    method: "post",
    path: "/orders/{orderId}/void-label",
    tags: ["Labels"],
    summary: "Void the label",
    description: "Cancels the active label with the courier so a new one can be bought.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { params: orderIdParams, headers: idempotencyHeaders },
    responses: {
      200: { description: "The label is void.", content: json(voidedSchema) },
      ...errorResponses(400, 404, 409, 422),
    },
  });
  api.openapi(voidLabel, async (c) => {
    const identity = c.get("identity");
    const { orderId } = c.req.valid("param");
    const backend = backendFor(c.env, identity.sellerId);
    return c.json(unwrap(await backend.voidLabel(identity, orderId)), 200);
  });

  const dispatch = createRoute({
    method: "post",
    path: "/dispatch",
    tags: ["Dispatch"],
    summary: "Mark orders dispatched",
    description:
      "Marks each order dispatched and queues its confirmation to Amazon; poll GET /orders/{orderId}/confirmation for the result.",
    middleware: guard(backendFor, "work", { idempotent: true }),
    request: { headers: idempotencyHeaders, body: { required: true, content: json(orderIdsBodySchema) } },
    responses: {
      202: {
        description:
          "At least one order was marked dispatched and its confirmation queued; `results` answers each order (some may be refused).",
        content: json(dispatchOutcomeSchema),
      },
      ...errorResponses(400, 409, 422),
    },
  });
  api.openapi(dispatch, async (c) => {
    const identity = c.get("identity");
    const { orderIds } = c.req.valid("json");
    const outcome = unwrap(await backendFor(c.env, identity.sellerId).dispatch(identity, orderIds));
    const why = new Map(outcome.refused.map((r) => [r.orderId, r.reason]));
    const results = orderIds.map((orderId) => ({
      orderId,
      status: why.has(orderId) ? ("refused" as const) : ("queued" as const),
      reason: why.get(orderId) ?? null,
    }));
    if (outcome.queued.length === 0) {
      // Nothing was done: not a success.
      throw new ConsignError(
        ErrorCode.IllegalTransition,
        orderIds.length === 1
          ? `Order ${orderIds[0]} was not dispatched: ${why.get(orderIds[0]!) ?? "refused"}`
          : `None of these ${orderIds.length} orders was dispatched: each field says why.`,
        orderIds.map((id, i) => ({ path: `orderIds.${i}`, message: why.get(id) ?? "refused" })),
      );
    }
    return c.json({ ...outcome, results }, 202);
  });
}
