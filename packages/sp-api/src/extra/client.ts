// The SP-API calls behind account health, refunds, listing quantities and review requests. Takes a
// function that gives a current access token (the SpApiClient's `accessToken()`), so the Login with
// Amazon cache stays in one place; has its own usage-plan buckets, retries on 429/5xx with backoff
// and jitter, asks once for a fresh access token when Amazon says the one it sent is expired or
// unknown (as the orders client does), and parses every answer with a schema.

import type { z } from "zod";
import { SpApiError } from "../errors.ts";
import { callSpApi, type SectionClientOptions, sectionTransport } from "../transport.ts";
import type { UsagePlan } from "../usage-plans.ts";
import {
  CreateReportResponseSchema,
  type ListingsSubmission,
  ListingsSubmissionSchema,
  ListTransactionsResponseSchema,
  type Report,
  type ReportDocument,
  ReportDocumentSchema,
  ReportSchema,
  SolicitationActionsSchema,
  type Transaction,
} from "./schemas.ts";

export type HealthOperation =
  | "createReport"
  | "getReport"
  | "getReportDocument"
  | "listTransactions"
  | "patchListingsItem"
  | "getSolicitationActionsForOrder"
  | "createProductReviewAndSellerFeedbackSolicitation";

/** Default usage plans from the models' descriptions. */
export const HEALTH_USAGE_PLANS: Record<HealthOperation, UsagePlan> = {
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  listTransactions: { rate: 0.5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  getSolicitationActionsForOrder: { rate: 1, burst: 5 },
  createProductReviewAndSellerFeedbackSolicitation: { rate: 1, burst: 5 },
};

export type HealthClientOptions = SectionClientOptions;

export interface TransactionsQuery {
  postedAfter: string;
  postedBefore?: string;
  nextToken?: string;
}

export interface HealthClient {
  createReport(reportType: string, opts?: { dataStartTime?: string; dataEndTime?: string }): Promise<string>;
  getReport(reportId: string): Promise<Report>;
  getReportDocument(reportDocumentId: string): Promise<ReportDocument>;
  /** Downloads a document from its URL (no SP-API token; GZIP is unpacked). */
  downloadReportDocument(doc: ReportDocument): Promise<string>;
  listTransactions(q: TransactionsQuery): Promise<{ transactions: Transaction[]; nextToken?: string }>;
  /** Sets a merchant-fulfilled listing's quantity. Resolves with Amazon's verdict, ACCEPTED or INVALID. */
  setListingQuantity(
    sellerId: string,
    sku: string,
    quantity: number,
    productType?: string,
  ): Promise<ListingsSubmission>;
  /** Whether Amazon offers the review request for this order now. */
  canRequestReview(orderId: string): Promise<boolean>;
  requestReview(orderId: string): Promise<void>;
  /** Milliseconds until `op` may be called without waiting. */
  waitTime(op: HealthOperation): number;
}

interface Call<T> {
  op: HealthOperation;
  method: "GET" | "POST" | "PATCH";
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  schema?: z.ZodType<T>;
  what: string;
  /** Safe to send again after a dropped connection (default: GET and PATCH only). */
  idempotent?: boolean;
}

export function createHealthClient(options: HealthClientOptions): HealthClient {
  const { transport, marketplaceId, waitTime } = sectionTransport(options, HEALTH_USAGE_PLANS, {
    adaptToAmazon: true,
  });

  function call<T>(c: Call<T>): Promise<T> {
    return callSpApi(transport, { ...c, token: options.accessToken });
  }

  const market = () => new URLSearchParams({ marketplaceIds: marketplaceId });

  return {
    async createReport(reportType, opts = {}) {
      const r = await call({
        op: "createReport",
        method: "POST",
        path: "/reports/2021-06-30/reports",
        body: { reportType, marketplaceIds: [marketplaceId], ...opts },
        schema: CreateReportResponseSchema,
        what: "report request",
        // A second request after a lost answer only asks Amazon for one more report: safe to resend.
        idempotent: true,
      });
      return r.reportId;
    },
    getReport: (reportId) =>
      call({
        op: "getReport",
        method: "GET",
        path: `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}`,
        schema: ReportSchema,
        what: "report status",
      }),
    getReportDocument: (id) =>
      call({
        op: "getReportDocument",
        method: "GET",
        path: `/reports/2021-06-30/documents/${encodeURIComponent(id)}`,
        schema: ReportDocumentSchema,
        what: "report document",
      }),
    async downloadReportDocument(doc) {
      let res: Response;
      try {
        res = await options.fetch(doc.url, { method: "GET" });
      } catch (err) {
        throw new SpApiError(
          "upstream_unavailable",
          `Could not download Amazon's report (${(err as Error).message}).`,
          undefined,
        );
      }
      if (!res.ok) {
        throw new SpApiError(
          "upstream_rejected",
          `Amazon's report download answered HTTP ${res.status}; the link may have expired (it lasts 5 minutes).`,
          res.status,
        );
      }
      if (doc.compressionAlgorithm === "GZIP" && res.body) {
        return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
      }
      return res.text();
    },
    async listTransactions(q) {
      const query = new URLSearchParams({ postedAfter: q.postedAfter, marketplaceId });
      if (q.postedBefore) query.set("postedBefore", q.postedBefore);
      if (q.nextToken) query.set("nextToken", q.nextToken);
      const r = await call({
        op: "listTransactions",
        method: "GET",
        path: "/finances/2024-06-19/transactions",
        query,
        schema: ListTransactionsResponseSchema,
        what: "transactions",
      });
      const next = r.payload?.nextToken;
      return { transactions: r.payload?.transactions ?? [], ...(next ? { nextToken: next } : {}) };
    },
    setListingQuantity(sellerId, sku, quantity, productType = "PRODUCT") {
      return call({
        op: "patchListingsItem",
        method: "PATCH",
        path: `/listings/2021-08-01/items/${encodeURIComponent(sellerId)}/${encodeURIComponent(sku)}`,
        query: market(),
        body: {
          productType,
          patches: [
            {
              op: "replace",
              path: "/attributes/fulfillment_availability",
              value: [{ fulfillment_channel_code: "DEFAULT", quantity }],
            },
          ],
        },
        schema: ListingsSubmissionSchema,
        what: "listing quantity",
      });
    },
    async canRequestReview(orderId) {
      const r = await call({
        op: "getSolicitationActionsForOrder",
        method: "GET",
        path: `/solicitations/v1/orders/${encodeURIComponent(orderId)}`,
        query: market(),
        schema: SolicitationActionsSchema,
        what: "review request check",
      });
      return (r._links?.actions ?? []).some(
        (a) =>
          a.name === "productReviewAndSellerFeedback" || a.href.includes("productReviewAndSellerFeedback"),
      );
    },
    async requestReview(orderId) {
      await call({
        op: "createProductReviewAndSellerFeedbackSolicitation",
        method: "POST",
        path: `/solicitations/v1/orders/${encodeURIComponent(orderId)}/solicitations/productReviewAndSellerFeedback`,
        query: market(),
        what: "review request",
      });
    },
    waitTime,
  };
}
