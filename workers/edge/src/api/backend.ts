// What the /api/v1 routes need from the seller's Durable Object. The SellerRoom implements these as
// RPC methods returning Result<T> (expected failures as values, see ../http/result.ts); tests use an
// in-memory test double. Every write goes through here, so it changes the same live document the
// PWA shows.

import type { ZplDpi } from "@consign/couriers";
import type { AccountMetrics, Order, ParcelPlan, ShippingRule } from "@consign/domain";
import type { Identity } from "../auth/identity.ts";
import type { Result } from "../http/result.ts";
import type { LabelDocuments } from "../labels/run-file.ts";
import type { AddressCorrectionInput } from "../room/address-correction.ts";
import type { ChangePage } from "../room/changes.ts";
import type { OrderDocumentKind } from "../room/documents.ts";
import type { ShippingOverride } from "../room/worked-out.ts";
import type { IdempotencyBegin, SavedResponse } from "./idempotency.ts";
import type { RateDecision } from "./rate-limit.ts";
import type { DispatchClock, FeedOrder, OrderPage, OrderQuery } from "./select.ts";
import type { NewWebhookEndpoint, WebhookEndpointRecord } from "./webhooks/endpoints.ts";
import type { WebhookDeliveryRecord, WebhookRetry } from "./webhooks/outbox.ts";

export type {
  IdempotencyBegin,
  NewWebhookEndpoint,
  OrderPage,
  OrderQuery,
  RateDecision,
  SavedResponse,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
  WebhookRetry,
};

type Backed<T> = Promise<Result<T>>;

export interface LabelRunStarted {
  runId: string;
  /** The orders the run will buy labels for. */
  orderIds: string[];
}

export interface LabelRunView {
  runId: string;
  state: "running" | "finished";
  startedAt: number;
  orders: {
    orderId: string;
    status: "queued" | "buying" | "bought" | "already_bought" | "failed";
    trackingNumber?: string;
    /** What the courier charged for the label, when it said. */
    cost?: { amount: string; currencyCode: string };
    error?: string;
  }[];
}

export interface LabelDocument {
  bytes: Uint8Array;
  contentType: string;
}

export interface DispatchOutcome {
  /** Marked dispatched; the confirmation to Amazon is queued. */
  queued: string[];
  refused: { orderId: string; reason: string }[];
}

export interface SellerBackend {
  /** A page of orders: implement with `selectOrders(orders, query, now)` from ./select.ts. */
  listOrders(query: OrderQuery, now: number): Backed<OrderPage>;
  getOrder(orderId: string): Backed<FeedOrder | null>;
  /** The seller's clock and dispatch cut-off, which ship-by buckets and late risk are read on. */
  dispatchClock(): Backed<DispatchClock>;
  /** Changes after revision `after`, oldest first (`OrderChanges.page` in ../room/changes.ts); 410 for a cursor past the kept window. */
  changesAfter(after: number, limit: number): Backed<ChangePage>;

  /**
   * Starts buying labels for these orders (answers before they are bought). The same
   * `idempotencyKey` must start at most one run. Unknown orders or orders that cannot take a label
   * now: fail with not_found / illegal_transition naming them in `fields` (path "orderIds.<i>").
   */
  startLabelRun(identity: Identity, orderIds: string[], idempotencyKey: string): Backed<LabelRunStarted>;
  getLabelRun(runId: string): Backed<LabelRunView | null>;
  /**
   * Every label of a run, unmerged, in the run's order (`collectLabels` in ../labels/run-file.ts;
   * the route merges them); `missing` names the run's orders without one. not_found for an unknown run.
   */
  runLabelsPdf(runId: string): Backed<LabelDocuments & { running: boolean }>;
  /**
   * The label documents of the orders named, unmerged, in that order (`collectLabels` in
   * ../labels/run-file.ts); `missing` names each order without one and why. The route merges them.
   */
  labelDocuments(orderIds: string[]): Backed<LabelDocuments>;
  /**
   * A pick list or packing slips (A4 PDF) for a run's orders or for the orders named
   * (`orderDocument` in ../room/documents.ts); unknown and cancelled orders are named in `missing`.
   * not_found for an unknown run or when no order is left; bad_request for none or over 500.
   */
  orderDocument(
    kind: OrderDocumentKind,
    source: { runId: string } | { orderIds: string[] },
  ): Backed<{ pdf: Uint8Array; included: string[]; missing: { orderId: string; reason: string }[] }>;
  /**
   * The active label's document, or null when the order has none (or the order is unknown): with
   * `zplDpi`, the courier's own ZPL (application/zpl) when its API gives one, else its PDF.
   */
  labelPdf(orderId: string, zplDpi?: ZplDpi): Backed<LabelDocument | null>;
  /** Voids the active label; fails not_found for an unknown order, illegal_transition when there is none to void. */
  voidLabel(identity: Identity, orderId: string): Backed<{ orderId: string; voidedShipmentId: string }>;
  /**
   * Accepts the buyer's cancellation request: cancels the order on Amazon with the order acknowledgement
   * feed (CancelReason BuyerCanceled). illegal_transition when the buyer has not asked, the order has
   * left or still has a label; upstream_rejected with Amazon's reason when Amazon refuses.
   */
  acceptCancellation(
    identity: Identity,
    orderId: string,
  ): Backed<{ orderId: string; state: "cancelled" | "processing"; feedId: string | null }>;
  /**
   * Sets (or hands back, with null) an order's own parcel and service before its label is bought:
   * `overrideShipping` in ../room/worked-out.ts. not_found, illegal_transition once labelled,
   * bad_request for a service its courier does not offer.
   */
  setOrderShipping(identity: Identity, orderId: string, change: ShippingOverride): Backed<Order>;
  /**
   * Splits an order into parcels (`splitIntoPackages` in @consign/domain; one parcel undoes it).
   * not_found; bad_request naming the fields when the units do not add up; conflict once labelled.
   */
  splitOrder(identity: Identity, orderId: string, parcels: ParcelPlan[]): Backed<Order>;
  /**
   * Sets (null: removes) the order's corrected delivery address, kept beside Amazon's. bad_request
   * naming the fields the courier would refuse; illegal_transition once labelled or sent.
   */
  correctAddress(identity: Identity, orderId: string, input: AddressCorrectionInput | null): Backed<Order>;
  /** Marks the orders dispatched and queues their confirmation to Amazon. */
  dispatch(identity: Identity, orderIds: string[]): Backed<DispatchOutcome>;

  metrics(now: number): Backed<AccountMetrics>;
  getRules(): Backed<ShippingRule[]>;
  putRules(identity: Identity, rules: ShippingRule[]): Backed<ShippingRule[]>;
  /** Orders purchased, or with a label bought, from `from` (inclusive) to `to` (exclusive): `ordersTouching` in ./select.ts. */
  exportOrders(from: number, to: number): Backed<Order[]>;

  /** Webhooks: implement with `WebhookOutbox` from ./webhooks/outbox.ts. */
  createWebhook(
    identity: Identity,
    input: NewWebhookEndpoint,
  ): Backed<WebhookEndpointRecord & { secret: string }>;
  listWebhooks(): Backed<WebhookEndpointRecord[]>;
  /** A new secret (shown once); the old one also signs for `graceMs`. Fails not_found for an unknown id. */
  rotateWebhookSecret(id: string, graceMs: number): Backed<WebhookEndpointRecord & { secret: string }>;
  /** Sends the endpoint's failed and waiting deliveries (or the one `messageId`) again now, same ids. */
  retryWebhook(id: string, messageId?: string): Backed<WebhookRetry>;
  /** Fails not_found for an unknown id. */
  deleteWebhook(id: string): Backed<true>;
  /** Newest first; null for an unknown endpoint. */
  webhookDeliveries(id: string, limit: number): Backed<WebhookDeliveryRecord[] | null>;

  /**
   * One request by caller `key` ("key:<apiKeyId>" or "session:<sessionId>"), counted as `cost`
   * requests (default 1; a labels file of many orders costs more): `RateLimiter` in ./rate-limit.ts.
   */
  consumeRate(key: string, now: number, cost?: number): Backed<RateDecision>;
  /** `IdempotencyStore` in ./idempotency.ts. */
  idempotencyBegin(scope: string, key: string, fingerprint: string, now: number): Backed<IdempotencyBegin>;
  idempotencyComplete(scope: string, key: string, response: SavedResponse): Backed<true>;
  idempotencyRelease(scope: string, key: string): Backed<true>;
}

export type BackendFor<E = unknown> = (env: E, sellerId: string) => SellerBackend;
