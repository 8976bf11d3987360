// Feeds API 2021-06-30 of the sandbox Amazon, for the order acknowledgement feed
// (POST_ORDER_ACKNOWLEDGEMENT_DATA) a seller sends to cancel merchant-fulfilled orders:
// createFeedDocument (a presigned upload URL, 5 minutes, bound to the declared content type),
// the upload itself (no SP-API token, like Amazon's storage), createFeed, getFeed (IN_QUEUE →
// IN_PROGRESS → DONE as the seller's clock moves on; the XML is checked against the XSDs, a broken
// document ends FATAL with a report saying why), getFeedDocument and the processing report's
// download. Cancellations land on the seller's orders in its Durable Object, so the Orders API shows
// them; GET /_sandbox/amazon/sellers/{id}/feeds lists feeds and the cancellations they made.
// Mounted by ../amazon/index.ts. Feed bookkeeping lives in the isolate's memory (as reports do).

import { Hono } from "hono";
import { sellerOf } from "../amazon/credentials.ts";
import {
  amazonErrors,
  amazonJson,
  invalidInput,
  iso,
  quotaExceeded,
  unauthorized,
} from "../amazon/responses.ts";
import type { SandboxEnv } from "../env.ts";
import { type AckOutcome, processingReportXml } from "./acknowledge.ts";
import { readOrderAcknowledgements } from "./xml.ts";

export const FEED_PLANS = {
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
} as const;
type FeedOp = keyof typeof FEED_PLANS;

export const SUPPORTED_FEEDS = ["POST_ORDER_ACKNOWLEDGEMENT_DATA"];
const URL_MS = 5 * 60_000;
const PROCESSING_MS = 1_500;

interface StoredDocument {
  feedDocumentId: string;
  contentType: string;
  createdRealMs: number;
  content?: string;
}
interface StoredFeed {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdMs: number;
  done?: { status: "DONE" | "FATAL"; resultFeedDocumentId: string; endMs: number; outcomes: AckOutcome[] };
}
interface SellerFeeds {
  documents: Map<string, StoredDocument>;
  feeds: Map<string, StoredFeed>;
  buckets: Map<string, { tokens: number; at: number; scale: number }>;
  sequence: number;
}
const sellers = new Map<string, SellerFeeds>();
function feedsOf(sellerId: string): SellerFeeds {
  let s = sellers.get(sellerId);
  if (!s) {
    s = { documents: new Map(), feeds: new Map(), buckets: new Map(), sequence: 0 };
    sellers.set(sellerId, s);
  }
  return s;
}

interface Ctx {
  sellerId: string;
  now: number;
  rateLimit: string;
  feeds: SellerFeeds;
  stub: DurableObjectStub<import("../amazon/state.ts").AmazonSellerState>;
}

/** Token, seller clock and usage plan, as every SP-API operation of the sandbox checks them. */
async function gate(
  request: Request,
  env: SandboxEnv,
  op: FeedOp,
  handle: (ctx: Ctx) => Response | Promise<Response>,
): Promise<Response> {
  const token = request.headers.get("x-amz-access-token");
  const sellerId = sellerOf(token);
  const plan = FEED_PLANS[op];
  if (!token || !sellerId) {
    return unauthorized("The access token you provided is revoked, malformed or invalid.", String(plan.rate));
  }
  const stub = env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(sellerId));
  const access = await stub.extraAccess(token, request.method, new URL(request.url).pathname);
  const now = Date.parse(access.now);
  const scale = access.faults.rateScale ?? 1;
  const rateLimit = String(plan.rate * scale);
  if (access.verdict === "expired")
    return unauthorized("The access token you provided has expired.", rateLimit);
  if (access.verdict !== "ok") {
    return unauthorized("The access token you provided is revoked, malformed or invalid.", rateLimit);
  }
  const feeds = feedsOf(sellerId);
  const b = feeds.buckets.get(op);
  let tokens =
    b && b.scale === scale
      ? Math.min(plan.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * plan.rate * scale)
      : plan.burst;
  if (tokens < 1) {
    feeds.buckets.set(op, { tokens, at: Math.max(now, b?.at ?? 0), scale });
    return quotaExceeded(rateLimit);
  }
  tokens -= 1;
  feeds.buckets.set(op, { tokens, at: Math.max(now, b?.at ?? 0), scale });
  return handle({ sellerId, now, rateLimit, feeds, stub });
}

async function jsonBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const v = (await request.json()) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const docUrl = (origin: string, sellerId: string, id: string) =>
  `${origin}/_sandbox/amazon/feed-documents/${encodeURIComponent(sellerId)}/${encodeURIComponent(id)}`;

/** Processes the feed once its time has come: the XML checked, the cancellations made, the report written. */
async function settle(
  ctx: Pick<Ctx, "now" | "feeds" | "stub" | "sellerId">,
  feed: StoredFeed,
): Promise<void> {
  if (feed.done || ctx.now - feed.createdMs < PROCESSING_MS) return;
  const input = ctx.feeds.documents.get(feed.inputFeedDocumentId);
  const resultId = `amzn1.tortuga.4.eu.${crypto.randomUUID()}.T${feed.feedId}`;
  const endMs = feed.createdMs + PROCESSING_MS;
  let outcomes: AckOutcome[] = [];
  let fatal: string | undefined;
  try {
    const doc = readOrderAcknowledgements(input?.content ?? "");
    if (doc.merchantIdentifier !== ctx.sellerId) {
      throw new Error(
        `MerchantIdentifier "${doc.merchantIdentifier}" is not the seller this feed was sent for (${ctx.sellerId}).`,
      );
    }
    outcomes = await ctx.stub.acknowledgeOrders(feed.feedId, doc.messages);
  } catch (err) {
    fatal = (err as Error).message;
  }
  ctx.feeds.documents.set(resultId, {
    feedDocumentId: resultId,
    contentType: "text/xml; charset=UTF-8",
    createdRealMs: Date.now(),
    content: processingReportXml(ctx.sellerId, feed.feedId, outcomes, fatal),
  });
  feed.done = { status: fatal ? "FATAL" : "DONE", resultFeedDocumentId: resultId, endMs, outcomes };
}

function feedView(feed: StoredFeed, now: number) {
  const started = now - feed.createdMs >= PROCESSING_MS / 3;
  return {
    feedId: feed.feedId,
    feedType: feed.feedType,
    marketplaceIds: feed.marketplaceIds,
    createdTime: iso(feed.createdMs),
    processingStatus: feed.done?.status ?? (started ? "IN_PROGRESS" : "IN_QUEUE"),
    ...(started ? { processingStartTime: iso(feed.createdMs + PROCESSING_MS / 3) } : {}),
    ...(feed.done
      ? { processingEndTime: iso(feed.done.endMs), resultFeedDocumentId: feed.done.resultFeedDocumentId }
      : {}),
  };
}

export const amazonFeeds = new Hono<{ Bindings: SandboxEnv }>();

amazonFeeds.post("/feeds/2021-06-30/documents", async (c) => {
  const body = await jsonBody(c.req.raw);
  return gate(c.req.raw, c.env, "createFeedDocument", (ctx) => {
    if (typeof body?.contentType !== "string" || body.contentType.trim() === "") {
      return invalidInput(
        "Request is missing or has invalid parameters",
        ctx.rateLimit,
        "contentType is required.",
      );
    }
    ctx.feeds.sequence += 1;
    const id = `amzn1.tortuga.4.eu.${crypto.randomUUID()}.T${ctx.feeds.sequence}`;
    ctx.feeds.documents.set(id, {
      feedDocumentId: id,
      contentType: body.contentType,
      createdRealMs: Date.now(),
    });
    return amazonJson(
      { feedDocumentId: id, url: docUrl(new URL(c.req.url).origin, ctx.sellerId, id) },
      ctx.rateLimit,
      201,
    );
  });
});

/** The presigned upload: no token, the declared content type, within 5 minutes. */
amazonFeeds.put("/_sandbox/amazon/feed-documents/:sellerId/:documentId", async (c) => {
  const doc = feedsOf(c.req.param("sellerId")).documents.get(c.req.param("documentId"));
  const text = await c.req.text();
  if (!doc) return c.text("NoSuchKey: The specified key does not exist.", 404);
  if (Date.now() - doc.createdRealMs > URL_MS) return c.text("AccessDenied: Request has expired", 403);
  const sent = (c.req.header("content-type") ?? "").replace(/\s+/g, "").toLowerCase();
  if (sent !== doc.contentType.replace(/\s+/g, "").toLowerCase()) {
    return c.text(
      `SignatureDoesNotMatch: the upload's Content-Type "${c.req.header("content-type") ?? ""}" is not the one given to createFeedDocument ("${doc.contentType}").`,
      403,
    );
  }
  if (
    doc.content !== undefined &&
    [...feedsOf(c.req.param("sellerId")).feeds.values()].some(
      (f) => f.inputFeedDocumentId === doc.feedDocumentId,
    )
  ) {
    return c.text("AccessDenied: this document is already used by a feed.", 403);
  }
  doc.content = text;
  return c.body(null, 200);
});

amazonFeeds.get("/_sandbox/amazon/feed-documents/:sellerId/:documentId", (c) => {
  const doc = feedsOf(c.req.param("sellerId")).documents.get(c.req.param("documentId"));
  if (!doc || doc.content === undefined) return c.text("NoSuchKey: The specified key does not exist.", 404);
  return c.body(doc.content, 200, { "content-type": doc.contentType });
});

amazonFeeds.post("/feeds/2021-06-30/feeds", async (c) => {
  const body = await jsonBody(c.req.raw);
  return gate(c.req.raw, c.env, "createFeed", (ctx) => {
    const bad = (details: string) =>
      invalidInput("Request is missing or has invalid parameters", ctx.rateLimit, details);
    if (!body) return bad("The request body must be a JSON object.");
    if (typeof body.feedType !== "string" || body.feedType === "") return bad("feedType is required.");
    if (!SUPPORTED_FEEDS.includes(body.feedType)) {
      return invalidInput(
        `Invalid feedType ${body.feedType}.`,
        ctx.rateLimit,
        `The sandbox takes ${SUPPORTED_FEEDS.join(", ")}.`,
      );
    }
    const ids = body.marketplaceIds;
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.length > 25 ||
      !ids.every((m) => typeof m === "string")
    ) {
      return bad("marketplaceIds must list 1 to 25 marketplace ids.");
    }
    if (typeof body.inputFeedDocumentId !== "string") return bad("inputFeedDocumentId is required.");
    const doc = ctx.feeds.documents.get(body.inputFeedDocumentId);
    if (!doc) return bad(`No feed document ${body.inputFeedDocumentId}: create one with createFeedDocument.`);
    if (doc.content === undefined) {
      return bad(
        `Feed document ${body.inputFeedDocumentId} has no content: upload it to its URL before createFeed.`,
      );
    }
    if ([...ctx.feeds.feeds.values()].some((f) => f.inputFeedDocumentId === doc.feedDocumentId)) {
      return bad(`Feed document ${doc.feedDocumentId} is already used by another feed.`);
    }
    ctx.feeds.sequence += 1;
    const feedId = String(50_000_000_000 + ctx.feeds.sequence * 7919);
    ctx.feeds.feeds.set(feedId, {
      feedId,
      feedType: body.feedType,
      marketplaceIds: ids as string[],
      inputFeedDocumentId: doc.feedDocumentId,
      createdMs: ctx.now,
    });
    return amazonJson({ feedId }, ctx.rateLimit, 202);
  });
});

amazonFeeds.get("/feeds/2021-06-30/feeds/:feedId", (c) =>
  gate(c.req.raw, c.env, "getFeed", async (ctx) => {
    const feed = ctx.feeds.feeds.get(c.req.param("feedId"));
    if (!feed) {
      return amazonErrors(
        404,
        "NotFound",
        "The requested feed was not found.",
        `feedId ${c.req.param("feedId")}`,
        ctx.rateLimit,
      );
    }
    await settle(ctx, feed);
    return amazonJson(feedView(feed, ctx.now), ctx.rateLimit);
  }),
);

amazonFeeds.get("/feeds/2021-06-30/documents/:documentId", (c) =>
  gate(c.req.raw, c.env, "getFeedDocument", (ctx) => {
    const doc = ctx.feeds.documents.get(c.req.param("documentId"));
    if (!doc || doc.content === undefined) {
      return amazonErrors(
        404,
        "NotFound",
        "The requested feed document was not found.",
        `feedDocumentId ${c.req.param("documentId")}`,
        ctx.rateLimit,
      );
    }
    return amazonJson(
      {
        feedDocumentId: doc.feedDocumentId,
        url: docUrl(new URL(c.req.url).origin, ctx.sellerId, doc.feedDocumentId),
      },
      ctx.rateLimit,
    );
  }),
);

/** Control (not Amazon): the seller's feeds, each processed if its time has come, and the cancellations made. */
amazonFeeds.get("/_sandbox/amazon/sellers/:id/feeds", async (c) => {
  const sellerId = c.req.param("id");
  const stub = c.env.AMAZON_SELLER.get(c.env.AMAZON_SELLER.idFromName(sellerId));
  const summary = await stub.summary();
  const now = Date.parse(summary.now);
  const feeds = feedsOf(sellerId);
  for (const feed of feeds.feeds.values()) await settle({ now, feeds, stub, sellerId }, feed);
  return c.json({
    feeds: [...feeds.feeds.values()].map((f) => ({
      ...feedView(f, now),
      document: feeds.documents.get(f.inputFeedDocumentId)?.content ?? null,
      results: f.done?.outcomes ?? [],
    })),
    cancellations: await stub.feedCancellations(),
  });
});
