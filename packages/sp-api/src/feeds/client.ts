// The Feeds API 2021-06-30, for the one feed Consign sends: the order acknowledgement feed that
// cancels a merchant-fulfilled order (Amazon's route for a buyer-requested cancellation:
// StatusCode Failure with CancelReason BuyerCanceled keeps it out of the seller's cancellation
// rate). createFeedDocument → upload the XML to the presigned URL → createFeed → getFeed until DONE →
// getFeedDocument → download the processing report. Same transport as the other clients: usage plans,
// retries with backoff, one fresh token, every answer parsed with a schema.

import { SpApiError } from "../errors.ts";
import { callSpApi, type SectionClientOptions, sectionTransport } from "../transport.ts";
import type { UsagePlan } from "../usage-plans.ts";
import {
  CreateFeedDocumentResponseSchema,
  CreateFeedResponseSchema,
  type Feed,
  type FeedDocument,
  FeedDocumentSchema,
  FeedSchema,
} from "./schemas.ts";
import {
  type OrderCancellation,
  orderAcknowledgementFeed,
  type ProcessingReport,
  parseProcessingReport,
} from "./xml.ts";

export type FeedsOperation = "createFeedDocument" | "createFeed" | "getFeed" | "getFeedDocument";

/** Default usage plans from the model's descriptions. */
export const FEEDS_USAGE_PLANS: Record<FeedsOperation, UsagePlan> = {
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
};

export const ORDER_ACKNOWLEDGEMENT_FEED = "POST_ORDER_ACKNOWLEDGEMENT_DATA";
export const FEED_CONTENT_TYPE = "text/xml; charset=UTF-8";

export type FeedsClientOptions = SectionClientOptions;

export interface SubmittedFeed {
  feedId: string;
  feedDocumentId: string;
}

/** Where a feed stands: still with Amazon, or finished with its processing report. */
export type FeedOutcome =
  | { state: "processing"; feedId: string; status: "IN_QUEUE" | "IN_PROGRESS" }
  | { state: "done"; feedId: string; report: ProcessingReport }
  | { state: "failed"; feedId: string; status: "FATAL" | "CANCELLED"; report?: ProcessingReport };

export interface FeedsClient {
  createFeedDocument(contentType: string): Promise<{ feedDocumentId: string; url: string }>;
  /** Uploads the document's content to the presigned URL (no SP-API token). */
  uploadFeedDocument(url: string, content: string, contentType: string): Promise<void>;
  createFeed(feedType: string, inputFeedDocumentId: string): Promise<string>;
  getFeed(feedId: string): Promise<Feed>;
  getFeedDocument(feedDocumentId: string): Promise<FeedDocument>;
  /** Downloads a result document (GZIP unpacked). */
  downloadFeedDocument(doc: FeedDocument): Promise<string>;
  /** Sends the order acknowledgement feed cancelling these orders; answers at once with the feed's id. */
  submitCancellations(
    merchantId: string,
    cancellations: readonly OrderCancellation[],
  ): Promise<SubmittedFeed>;
  /** Where the feed stands; once DONE, its processing report read. */
  feedOutcome(feedId: string): Promise<FeedOutcome>;
  waitTime(op: FeedsOperation): number;
}

export function createFeedsClient(options: FeedsClientOptions): FeedsClient {
  const { transport, marketplaceId, waitTime } = sectionTransport(options, FEEDS_USAGE_PLANS, {
    adaptToAmazon: false,
  });

  async function plainFetch(url: string, init: RequestInit, doing: string): Promise<Response> {
    let res: Response;
    try {
      res = await options.fetch(url, init);
    } catch (err) {
      throw new SpApiError(
        "upstream_unavailable",
        `Could not ${doing} (${(err as Error).message}).`,
        undefined,
      );
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => "")).slice(0, 200);
      throw new SpApiError(
        "upstream_rejected",
        `Amazon's document storage answered HTTP ${res.status} when we tried to ${doing}; the link lasts 5 minutes${detail ? ` (${detail})` : ""}.`,
        res.status,
      );
    }
    return res;
  }

  const client: FeedsClient = {
    createFeedDocument: (contentType) =>
      callSpApi(transport, {
        op: "createFeedDocument",
        method: "POST",
        path: "/feeds/2021-06-30/documents",
        body: { contentType },
        schema: CreateFeedDocumentResponseSchema,
        what: "the feed document",
        token: options.accessToken,
      }),
    async uploadFeedDocument(url, content, contentType) {
      await plainFetch(
        url,
        { method: "PUT", headers: { "content-type": contentType }, body: content },
        "upload the feed document",
      );
    },
    async createFeed(feedType, inputFeedDocumentId) {
      const r = await callSpApi(transport, {
        op: "createFeed",
        method: "POST",
        path: "/feeds/2021-06-30/feeds",
        body: { feedType, marketplaceIds: [marketplaceId], inputFeedDocumentId },
        schema: CreateFeedResponseSchema,
        what: "the feed",
        token: options.accessToken,
      });
      return r.feedId;
    },
    getFeed: (feedId) =>
      callSpApi(transport, {
        op: "getFeed",
        method: "GET",
        path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`,
        schema: FeedSchema,
        what: "the feed's status",
        token: options.accessToken,
      }),
    getFeedDocument: (id) =>
      callSpApi(transport, {
        op: "getFeedDocument",
        method: "GET",
        path: `/feeds/2021-06-30/documents/${encodeURIComponent(id)}`,
        schema: FeedDocumentSchema,
        what: "the feed's result document",
        token: options.accessToken,
      }),
    async downloadFeedDocument(doc) {
      const res = await plainFetch(doc.url, { method: "GET" }, "download the feed's processing report");
      if (doc.compressionAlgorithm === "GZIP" && res.body) {
        return new Response(res.body.pipeThrough(new DecompressionStream("gzip"))).text();
      }
      return res.text();
    },
    async submitCancellations(merchantId, cancellations) {
      const xml = orderAcknowledgementFeed(merchantId, cancellations);
      const doc = await client.createFeedDocument(FEED_CONTENT_TYPE);
      await client.uploadFeedDocument(doc.url, xml, FEED_CONTENT_TYPE);
      const feedId = await client.createFeed(ORDER_ACKNOWLEDGEMENT_FEED, doc.feedDocumentId);
      return { feedId, feedDocumentId: doc.feedDocumentId };
    },
    async feedOutcome(feedId) {
      const feed = await client.getFeed(feedId);
      const status = feed.processingStatus;
      if (status === "IN_QUEUE" || status === "IN_PROGRESS") return { state: "processing", feedId, status };
      let report: ProcessingReport | undefined;
      if (feed.resultFeedDocumentId) {
        const doc = await client.getFeedDocument(feed.resultFeedDocumentId);
        const text = await client.downloadFeedDocument(doc);
        try {
          report = parseProcessingReport(text);
        } catch (err) {
          throw new SpApiError(
            "upstream_malformed",
            `Amazon's processing report for feed ${feedId} could not be read: ${(err as Error).message}`,
            undefined,
          );
        }
      }
      if (status === "DONE") {
        if (!report) {
          throw new SpApiError(
            "upstream_malformed",
            `Amazon finished feed ${feedId} without a processing report.`,
            undefined,
          );
        }
        return { state: "done", feedId, report };
      }
      return { state: "failed", feedId, status, ...(report ? { report } : {}) };
    },
    waitTime,
  };
  return client;
}
