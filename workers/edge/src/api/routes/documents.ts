// Pick lists and packing slips as A4 PDFs: for a label run (GET /labels/runs/{runId}/pick-list.pdf,
// /packing-slips.pdf) and for any orders (GET /documents/pick-list.pdf?orderIds=…, and packing slips);
// and the labels of any orders in one PDF (GET /documents/labels.pdf?orderIds=…), which the app's
// print runs fetch a part at a time instead of one request a label.
// The room builds them (../../room/documents.ts); headers say which orders are on the file and how
// many asked for are not (Consign-Orders-Included, Consign-Orders-Missing, with the reasons in
// Consign-Orders-Missing-Reasons as JSON when there are any).
import { ConsignError, ErrorCode } from "@consign/domain";
import { labelsOnSheets } from "@consign/labels";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import { mergeLabels } from "../../labels/run-file.ts";
import type { OrderDocument, OrderDocumentKind } from "../../room/documents.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { errorResponses } from "../schemas/common.ts";
import { labelLayoutQuery, runIdParams } from "../schemas/ops.ts";

const pdf = { "application/pdf": { schema: z.string().openapi({ format: "binary" }) } };

const orderIdsQuery = z.object({
  orderIds: z
    .string()
    .min(1)
    .max(20_000)
    .openapi({
      param: { name: "orderIds", in: "query" },
      description: "Amazon order ids, comma-separated (at most 500).",
      example: "202-1234567-1234567,203-7654321-7654321",
    }),
});

const KINDS: { kind: OrderDocumentKind; file: string; title: string; what: string }[] = [
  {
    kind: "pick-list",
    file: "pick-list.pdf",
    title: "Pick list",
    what: "every SKU still to send, with the total quantity and the orders that want it, sorted by SKU (one walk round the shelves)",
  },
  {
    kind: "packing-slips",
    file: "packing-slips.pdf",
    title: "Packing slips",
    what: "one A4 slip per order with the delivery address and each item's SKU, title and quantity",
  },
];

function pdfResponse(file: OrderDocument, name: string): Response {
  return new Response(file.pdf, {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Consign-Orders-Included": String(file.included.length),
      "Consign-Orders-Missing": String(file.missing.length),
      ...(file.missing.length
        ? { "Consign-Orders-Missing-Reasons": headerJson(file.missing.slice(0, 50)) }
        : {}),
    },
  });
}

/** The order ids of `?orderIds=`, each one named when it is not an order id. */
export function parseOrderIds(text: string): string[] {
  const ids = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id));
  if (ids.length === 0 || bad.length > 0) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      ids.length === 0 ? "Name at least one order in orderIds." : "Some order ids are not valid.",
      ids.length === 0
        ? [{ path: "orderIds", message: "at least one order id, comma-separated" }]
        : bad.slice(0, 50).map(({ id, i }) => ({
            path: `orderIds.${i}`,
            message: `"${id.slice(0, 70)}" is not an order id`,
          })),
    );
  }
  return ids;
}

/** Most orders in one labels file: a print part (50) with room, and a file the Worker merges quickly. */
export const LABELS_FILE_MAX_ORDERS = 100;
/** A labels file counts against the rate limit as one request for every 10 labels it asks for. */
export const LABELS_PER_REQUEST = 10;
const labelsFileCost = (c: { req: { query(name: string): string | undefined } }) =>
  Math.ceil(
    Math.max(1, (c.req.query("orderIds") ?? "").split(",").filter((s) => s.trim()).length) /
      LABELS_PER_REQUEST,
  );

/** JSON for a header: anything outside printable ASCII written as \\u escapes (still the same JSON). */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

export function registerDocumentRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
  const labelsFile = createRoute({
    method: "get",
    path: "/documents/labels.pdf",
    operationId: "getLabelsPdf",
    tags: ["Labels"],
    summary: "The labels of any orders in one PDF",
    description: `Every active label of the orders named (at most ${LABELS_FILE_MAX_ORDERS}), in the order named, each as the courier issued it (a split order's parcels one after another): one request instead of one per order, whichever run, device or integration bought them. Against the rate limit a file counts as one request for every ${LABELS_PER_REQUEST} orders named (50 orders: 5), so a print run of 1,000 labels fits in a device's burst. Consign-Labels-Included counts the labels in the file; Consign-Labels-Missing counts the orders named that are not in it, and Consign-Labels-Missing-Reasons says which and why as JSON ([{"orderId","reason","code"}]), code being no_label (no active label: none bought, or voided; asking again changes nothing until one is bought), not_live (not in the live list), unreadable (the stored label is not a PDF) or failed (could not be read just now: asking again may give it). 404 when none of them has a label.`,
    middleware: guard(backendFor, "read", { cost: labelsFileCost }),
    request: {
      query: z.object({
        orderIds: orderIdsQuery.shape.orderIds.openapi({
          description: `Amazon order ids, comma-separated (at most ${LABELS_FILE_MAX_ORDERS}).`,
        }),
        layout: labelLayoutQuery,
      }),
    },
    responses: {
      200: { description: "The labels, in the order named.", content: pdf },
      ...errorResponses(400, 404),
    },
  });
  api.openapi(labelsFile, async (c) => {
    const query = c.req.valid("query");
    const orderIds = parseOrderIds(query.orderIds);
    if (orderIds.length > LABELS_FILE_MAX_ORDERS) {
      throw new ConsignError(
        ErrorCode.BadRequest,
        `Ask for at most ${LABELS_FILE_MAX_ORDERS} labels in one file; ${orderIds.length} were named. Split them into several requests.`,
        [{ path: "orderIds", message: `at most ${LABELS_FILE_MAX_ORDERS} order ids` }],
      );
    }
    if (new Set(orderIds).size !== orderIds.length) {
      const seen = new Set<string>();
      const twice = orderIds.filter((id) => seen.has(id) || !seen.add(id));
      throw new ConsignError(
        ErrorCode.BadRequest,
        "An order is named twice: each label goes in the file once.",
        twice.slice(0, 50).map((id) => ({ path: "orderIds", message: `${id} is named more than once` })),
      );
    }
    const collected = unwrap(await backendFor(c.env, c.get("identity").sellerId).labelDocuments(orderIds));
    // Merged here, not in the seller's room: the room only read the documents.
    const file = await mergeLabels(collected);
    if (file.included.length === 0) {
      throw new ConsignError(
        ErrorCode.NotFound,
        orderIds.length === 1
          ? `Order ${orderIds[0]} has no label to download: ${file.missing[0]?.reason ?? "buy one first"}.`
          : "None of these orders has a label to download.",
        file.missing.slice(0, 50).map((m) => ({ path: m.orderId, message: m.reason })),
      );
    }
    const sheets = await labelsOnSheets(file.pdf, query.layout);
    return new Response(sheets, {
      status: 200,
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": 'attachment; filename="labels.pdf"',
        "Consign-Layout": query.layout,
        "Consign-Labels-Included": String(file.included.length),
        "Consign-Labels-Missing": String(file.missing.length),
        ...(file.missing.length ? { "Consign-Labels-Missing-Reasons": headerJson(file.missing) } : {}),
      },
    });
  });

  for (const d of KINDS) {
    const forRun = createRoute({
      method: "get",
      path: `/labels/runs/{runId}/${d.file}`,
      operationId: d.kind === "pick-list" ? "getRunPickList" : "getRunPackingSlips",
      tags: ["Labels"],
      summary: `${d.title} for a label run`,
      description: `A4 PDF: ${d.what}, for the orders the run was started with. Cancelled orders are left out and counted in Consign-Orders-Missing.`,
      middleware: guard(backendFor, "read"),
      request: { params: runIdParams },
      responses: {
        200: { description: `The run's ${d.title.toLowerCase()}.`, content: pdf },
        ...errorResponses(404),
      },
    });
    api.openapi(forRun, async (c) => {
      const { runId } = c.req.valid("param");
      const file = unwrap(
        await backendFor(c.env, c.get("identity").sellerId).orderDocument(d.kind, { runId }),
      );
      return pdfResponse(file, `${d.kind}-${runId}.pdf`);
    });

    const forOrders = createRoute({
      method: "get",
      path: `/documents/${d.file}`,
      operationId: d.kind === "pick-list" ? "getPickList" : "getPackingSlips",
      tags: ["Labels"],
      summary: `${d.title} for any orders`,
      description: `A4 PDF: ${d.what}, for the orders named (live or archived). Orders that are unknown or cancelled are left out and counted in Consign-Orders-Missing (reasons in Consign-Orders-Missing-Reasons); 404 when none is left.`,
      middleware: guard(backendFor, "read"),
      request: { query: orderIdsQuery },
      responses: {
        200: { description: `The ${d.title.toLowerCase()}.`, content: pdf },
        ...errorResponses(400, 404),
      },
    });
    api.openapi(forOrders, async (c) => {
      const orderIds = parseOrderIds(c.req.valid("query").orderIds);
      const file = unwrap(
        await backendFor(c.env, c.get("identity").sellerId).orderDocument(d.kind, { orderIds }),
      );
      return pdfResponse(file, `${d.kind}.pdf`);
    });
  }
}
