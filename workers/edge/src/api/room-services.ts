// The API's state inside the SellerRoom, over the room's one SQLite: rate buckets, idempotency
// keys and webhooks. The room builds this once in its constructor and its RPC methods delegate:
//
//   consumeRate(key, now)            → capture(() => this.api.rate.consume(key, now))
//   idempotencyBegin(s, k, fp, now)  → capture(() => this.api.idempotency.begin(s, k, fp, now))
//   createWebhook(identity, input)   → captureAsync(() => this.api.webhooks.endpoints.create(input, identity.userId, Date.now()))
//   on an event: this.api.emit(event) then setAlarm(this.api.webhooks.nextDueAt())
//   in alarm(): next = await this.api.webhooks.deliverDue(Date.now(), fetch)
import type { Order } from "@consign/domain";
import { IdempotencyStore } from "./idempotency.ts";
import { presentOrder } from "./present.ts";
import { policyForCaller, RateLimiter, type RatePolicy, SqlBucketStore } from "./rate-limit.ts";
import type { DispatchClock } from "./select.ts";
import type { WebhookEvent, WebhookEventType } from "./webhooks/events.ts";
import { type OutboxOptions, WebhookOutbox } from "./webhooks/outbox.ts";

export class ApiRoomServices {
  readonly rate: RateLimiter;
  readonly buckets: SqlBucketStore;
  readonly idempotency: IdempotencyStore;
  readonly webhooks: WebhookOutbox;

  constructor(
    sql: SqlStorage,
    credentialsKey: string,
    webhookOptions: OutboxOptions = {},
    policyFor: (key: string) => RatePolicy = policyForCaller,
  ) {
    this.buckets = new SqlBucketStore(sql);
    this.rate = new RateLimiter(this.buckets, policyFor);
    this.idempotency = new IdempotencyStore(sql);
    this.webhooks = new WebhookOutbox(sql, credentialsKey, webhookOptions);
  }

  /** Queues an event; returns when the room's alarm should next fire for webhooks (null: no need). */
  emit(event: WebhookEvent): number | null {
    this.webhooks.enqueue(event);
    return this.webhooks.nextDueAt();
  }

  /** Housekeeping for an occasional alarm: old idempotency answers, idle rate buckets, the webhook log past 30 days. */
  prune(now: number): void {
    this.idempotency.prune(now);
    this.buckets.prune(now - 60 * 60 * 1000);
    this.webhooks.prune(now);
  }
}

/** The webhook event for something that happened to an order: `data` is the order as GET /orders/{id} shows it. */
/** The order as GET /orders/{id} shows it at that moment: the same clock, the team's and each courier's cut-off. */
export function orderEvent(type: WebhookEventType, order: Order, at: DispatchClock): WebhookEvent {
  return { type, occurredAt: at.now, data: presentOrder(order, at.now, at.cutoff, at.couriers) };
}
