// Pick lists and packing slips as A4 PDFs: for a label run (GET /labels/runs/{runId}/pick-list.pdf,
// /packing-slips.pdf) and for any orders (GET /documents/pick-list.pdf?orderIds=…, and packing slips).
// The room builds them (../../room/documents.ts); headers say which orders are on the file and how
// many asked for are not (Consign-Orders-Included, Consign-Orders-Missing, with the reasons in
// Consign-Orders-Missing-Reasons as JSON when there are any).
import { ConsignError, ErrorCode } from "@consign/domain";
import { createRoute, z } from "@hono/zod-openapi";
import { unwrap } from "../../http/result.ts";
import type { OrderDocument, OrderDocumentKind } from "../../room/documents.ts";
import type { ApiRouter } from "../index.ts";
import { type BackendForEnv, guard } from "../middleware.ts";
import { errorResponses } from "../schemas/common.ts";
import { runIdParams } from "../schemas/ops.ts";

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
        ? { "Consign-Orders-Missing-Reasons": JSON.stringify(file.missing.slice(0, 50)) }
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

export function registerDocumentRoutes(api: ApiRouter, backendFor: BackendForEnv): void {
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
