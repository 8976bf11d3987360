// Buyer cancellation requests answered from Consign: "Accept cancellation" cancels the order on
// Amazon through the order acknowledgement feed (StatusCode Failure, every item CancelReason
// BuyerCanceled), the SP-API route Amazon offers for merchant-fulfilled orders, so the cancellation
// counts as the buyer's and stays out of the seller's cancellation rate. The feed is remembered per
// order: asking again while Amazon is still processing reads the same feed instead of sending a
// second one. Once Amazon's processing report accepts it, the order is cancelled in the document with
// the buyer's reason in its history; if Amazon is slow, the next import sees it cancelled.

import {
  activeShipment,
  ConsignError,
  ErrorCode,
  type Order,
  openCancellationRequest,
} from "@consign/domain";
import { createFeedsClient, type FeedOutcome, type FeedsClient } from "@consign/sp-api";
import { applyOrderAction, readOrder } from "@consign/sync";
import { deviceOf, type Identity } from "../auth/identity.ts";
import type { AmazonLink } from "./amazon.ts";
import type { RoomDoc } from "./label-runs.ts";

export interface AcceptedCancellation {
  orderId: string;
  /** "cancelled": Amazon accepted it and the order is cancelled; "processing": Amazon has not finished yet. */
  state: "cancelled" | "processing";
  feedId: string | null;
}

interface FeedRow extends Record<string, SqlStorageValue> {
  order_id: string;
  feed_id: string;
  submitted_at: number;
  state: string;
}

export class BuyerCancellations {
  private client: FeedsClient | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly amazon: AmazonLink,
    private readonly room: RoomDoc,
    /** How long to wait for Amazon's processing report before answering "processing". */
    private readonly waitMs = 12_000,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS cancellation_feeds (
      order_id TEXT PRIMARY KEY, feed_id TEXT NOT NULL, submitted_at INTEGER NOT NULL, state TEXT NOT NULL)`);
  }

  private feeds(): FeedsClient {
    this.client ??= createFeedsClient(this.amazon.sectionOptions());
    return this.client;
  }

  async accept(identity: Identity, orderId: string): Promise<AcceptedCancellation> {
    const order = readOrder(this.room.doc, orderId);
    if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
    if (order.state === "cancelled")
      return { orderId, state: "cancelled", feedId: this.row(orderId)?.feed_id ?? null };
    const pending = this.row(orderId);
    if (pending?.state !== "processing") this.check(order);
    const connection = this.amazon.vault.connection();
    if (!connection) {
      throw new ConsignError(
        ErrorCode.AmazonNotConnected,
        "Connect Amazon (Settings → Amazon) to cancel orders on Amazon.",
      );
    }
    let feedId = pending?.state === "processing" ? pending.feed_id : null;
    if (!feedId) {
      const submitted = await this.feeds().submitCancellations(connection.sellingPartnerId, [
        {
          amazonOrderId: order.orderId,
          items: order.items.map((i) => ({ orderItemId: i.orderItemId, reason: "BuyerCanceled" as const })),
        },
      ]);
      feedId = submitted.feedId;
      this.sql.exec(
        `INSERT INTO cancellation_feeds (order_id, feed_id, submitted_at, state) VALUES (?, ?, ?, 'processing')
         ON CONFLICT(order_id) DO UPDATE SET feed_id = excluded.feed_id, submitted_at = excluded.submitted_at, state = 'processing'`,
        orderId,
        feedId,
        Date.now(),
      );
    }
    const started = Date.now();
    let outcome: FeedOutcome = await this.feeds().feedOutcome(feedId);
    while (outcome.state === "processing" && Date.now() - started < this.waitMs) {
      await this.sleep(1_000);
      outcome = await this.feeds().feedOutcome(feedId);
    }
    if (outcome.state === "processing") return { orderId, state: "processing", feedId };
    const report = outcome.report;
    const refusal =
      report?.results.find((r) => r.code === "Error" && (r.amazonOrderId === orderId || r.messageId === 1)) ??
      (outcome.state === "failed" ? report?.results[0] : undefined);
    if (outcome.state === "failed" || refusal) {
      this.setState(orderId, "refused");
      const why =
        refusal?.description ??
        `the feed ended ${outcome.state === "failed" ? outcome.status : "with an error"}`;
      throw new ConsignError(ErrorCode.UpstreamRejected, `Amazon did not cancel order ${orderId}: ${why}`);
    }
    this.setState(orderId, "accepted");
    const reason = order.cancellationRequestReason;
    this.room.transact((d) =>
      applyOrderAction(
        d,
        orderId,
        { type: "cancel", by: "buyer", ...(reason ? { reason } : {}) },
        { at: Date.now(), by: identity.name, ...deviceOf(identity) },
      ),
    );
    return { orderId, state: "cancelled", feedId };
  }

  /** Only an open buyer request, on an order with no live label, is accepted. */
  private check(order: Order): void {
    if (!openCancellationRequest(order)) {
      throw new ConsignError(
        ErrorCode.IllegalTransition,
        order.state === "dispatched" || order.state === "confirmed"
          ? `Order ${order.orderId} has been dispatched: it can no longer be cancelled.`
          : `The buyer has not asked to cancel order ${order.orderId} (or the request was answered): a cancellation you make yourself counts against your cancellation rate, so Consign does not send one.`,
      );
    }
    if (activeShipment(order)) {
      throw new ConsignError(
        ErrorCode.IllegalTransition,
        `Order ${order.orderId} has a label: void it first (Void label), then accept the cancellation.`,
      );
    }
  }

  private row(orderId: string): FeedRow | undefined {
    return this.sql
      .exec<FeedRow>("SELECT * FROM cancellation_feeds WHERE order_id = ?", orderId)
      .toArray()[0];
  }

  private setState(orderId: string, state: string): void {
    this.sql.exec("UPDATE cancellation_feeds SET state = ? WHERE order_id = ?", state, orderId);
  }
}
