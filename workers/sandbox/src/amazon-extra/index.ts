// Extra SP-API operations of the sandbox: Reports 2021-06-30, Finances 2024-06-19, Listings Items
// 2021-08-01 and Solicitations v1, with their usage plans and control switches. Mounted by
// ../amazon/index.ts with `amazon.route("/", amazonExtra)`.

import { Hono } from "hono";
import type { SandboxEnv } from "../env.ts";
import { extraControl } from "./control.ts";
import { listTransactions } from "./finances.ts";
import { gate } from "./gate.ts";
import { patchListingsItem } from "./listings.ts";
import { createReport, downloadDocument, getReport, getReportDocument } from "./reports.ts";
import { createSolicitation, getSolicitationActionsForOrder } from "./solicitations.ts";

export const amazonExtra = new Hono<{ Bindings: SandboxEnv }>();

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

amazonExtra.post("/reports/2021-06-30/reports", async (c) => {
  const body = await jsonBody(c.req.raw);
  return gate(c.req.raw, c.env, "createReport", (ctx) => createReport(ctx, body));
});
amazonExtra.get("/reports/2021-06-30/reports/:reportId", (c) =>
  gate(c.req.raw, c.env, "getReport", (ctx) => getReport(ctx, c.req.param("reportId"))),
);
amazonExtra.get("/reports/2021-06-30/documents/:documentId", (c) =>
  gate(c.req.raw, c.env, "getReportDocument", (ctx) =>
    getReportDocument(ctx, c.req.param("documentId"), new URL(c.req.url).origin),
  ),
);
amazonExtra.get("/_sandbox/amazon/report-documents/:sellerId/:documentId", async (c) => {
  const sellerId = c.req.param("sellerId");
  const summary = (await c.env.AMAZON_SELLER.get(
    c.env.AMAZON_SELLER.idFromName(sellerId),
  ).summary()) as unknown as {
    now: string;
  };
  return downloadDocument(sellerId, c.req.param("documentId"), new URL(c.req.url), Date.parse(summary.now));
});

amazonExtra.get("/finances/2024-06-19/transactions", (c) =>
  gate(c.req.raw, c.env, "listTransactions", (ctx) => listTransactions(ctx, new URL(c.req.url))),
);

amazonExtra.patch("/listings/2021-08-01/items/:sellerId/:sku", async (c) => {
  const body = await jsonBody(c.req.raw);
  return gate(c.req.raw, c.env, "patchListingsItem", (ctx) =>
    patchListingsItem(ctx, c.req.param("sellerId"), c.req.param("sku"), new URL(c.req.url), body),
  );
});

amazonExtra.get("/solicitations/v1/orders/:orderId", (c) =>
  gate(c.req.raw, c.env, "getSolicitationActionsForOrder", (ctx) =>
    getSolicitationActionsForOrder(ctx, c.req.param("orderId"), new URL(c.req.url)),
  ),
);
amazonExtra.post("/solicitations/v1/orders/:orderId/solicitations/productReviewAndSellerFeedback", (c) =>
  gate(c.req.raw, c.env, "createProductReviewAndSellerFeedbackSolicitation", (ctx) =>
    createSolicitation(ctx, c.req.param("orderId"), new URL(c.req.url)),
  ),
);

amazonExtra.route("/", extraControl);
