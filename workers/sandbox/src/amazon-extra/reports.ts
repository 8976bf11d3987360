// Reports API 2021-06-30: createReport (202), getReport (IN_QUEUE → IN_PROGRESS → DONE as the
// seller's clock moves on), getReportDocument (a short-lived URL) and the document download itself,
// which the sandbox serves like Amazon's presigned storage URL (no SP-API token needed).

import { amazonErrors, amazonJson, invalidInput, iso } from "../amazon/responses.ts";
import type { CallContext } from "./gate.ts";
import { feedbackReport, performanceReport } from "./performance-report.ts";
import { nextId, sellerExtra } from "./world.ts";

export const SUPPORTED_REPORTS = ["GET_V2_SELLER_PERFORMANCE_REPORT", "GET_SELLER_FEEDBACK_DATA"];
const URL_SECONDS = 300;

export async function createReport(ctx: CallContext, body: unknown): Promise<Response> {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.reportType !== "string" || b.reportType === "") {
    return invalidInput(
      "Request is missing or has invalid parameters",
      ctx.rateLimit,
      "reportType is required.",
    );
  }
  const ids = b.marketplaceIds;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > 25 ||
    !ids.every((m) => typeof m === "string")
  ) {
    return invalidInput(
      "Request is missing or has invalid parameters",
      ctx.rateLimit,
      "marketplaceIds must list 1 to 25 marketplace ids.",
    );
  }
  if (!SUPPORTED_REPORTS.includes(b.reportType)) {
    return invalidInput(
      `Invalid reportType ${b.reportType}.`,
      ctx.rateLimit,
      `The sandbox serves ${SUPPORTED_REPORTS.join(", ")}.`,
    );
  }
  const orders = await ctx.orders();
  const events = await ctx.buyerEvents();
  const performance = b.reportType === "GET_V2_SELLER_PERFORMANCE_REPORT";
  const reportId = nextId(ctx.extra, "");
  ctx.extra.reports.set(reportId, {
    reportId,
    reportType: b.reportType,
    marketplaceIds: ids as string[],
    createdMs: ctx.now,
    documentId: `amzn1.spdoc.1.4.eu.${crypto.randomUUID()}.T${reportId}`,
    document: performance
      ? JSON.stringify(performanceReport(orders, events, ctx.now))
      : feedbackReport(events),
    contentType: performance ? "application/json" : "text/tab-separated-values;charset=UTF-8",
  });
  return amazonJson({ reportId }, ctx.rateLimit, 202);
}

export function getReport(ctx: CallContext, reportId: string): Response {
  const r = ctx.extra.reports.get(reportId);
  if (!r)
    return amazonErrors(
      404,
      "NotFound",
      "The requested report was not found.",
      `reportId ${reportId}`,
      ctx.rateLimit,
    );
  const took = ctx.extra.faults.reportProcessingMs ?? 2_000;
  const age = ctx.now - r.createdMs;
  const status = age >= took ? "DONE" : age >= took / 3 ? "IN_PROGRESS" : "IN_QUEUE";
  return amazonJson(
    {
      reportType: r.reportType,
      reportId: r.reportId,
      marketplaceIds: r.marketplaceIds,
      createdTime: iso(r.createdMs),
      processingStatus: status,
      ...(status !== "IN_QUEUE" ? { processingStartTime: iso(r.createdMs + took / 3) } : {}),
      ...(status === "DONE"
        ? { processingEndTime: iso(r.createdMs + took), reportDocumentId: r.documentId }
        : {}),
      dataStartTime: iso(r.createdMs),
      dataEndTime: iso(r.createdMs),
    },
    ctx.rateLimit,
  );
}

export function getReportDocument(ctx: CallContext, documentId: string, origin: string): Response {
  const r = [...ctx.extra.reports.values()].find(
    (x) =>
      x.documentId === documentId && ctx.now - x.createdMs >= (ctx.extra.faults.reportProcessingMs ?? 2_000),
  );
  if (!r)
    return amazonErrors(
      404,
      "NotFound",
      "The requested report document was not found.",
      `reportDocumentId ${documentId}`,
      ctx.rateLimit,
    );
  const url = new URL(
    `/_sandbox/amazon/report-documents/${encodeURIComponent(ctx.sellerId)}/${encodeURIComponent(documentId)}`,
    origin,
  );
  url.searchParams.set("X-Amz-Expires", String(URL_SECONDS));
  url.searchParams.set("X-Amz-Date", String(ctx.now));
  return amazonJson({ reportDocumentId: documentId, url: url.toString() }, ctx.rateLimit);
}

/** The download behind a report document URL (S3-like: 403 AccessDenied once it has expired). */
export function downloadDocument(sellerId: string, documentId: string, url: URL, now: number): Response {
  const r = [...sellerExtra(sellerId).reports.values()].find((x) => x.documentId === documentId);
  const issued = Number(url.searchParams.get("X-Amz-Date"));
  if (!r)
    return new Response("<Error><Code>NoSuchKey</Code></Error>", {
      status: 404,
      headers: { "content-type": "application/xml" },
    });
  if (!Number.isFinite(issued) || now > issued + URL_SECONDS * 1000) {
    return new Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", {
      status: 403,
      headers: { "content-type": "application/xml" },
    });
  }
  return new Response(r.document, { status: 200, headers: { "content-type": r.contentType } });
}
