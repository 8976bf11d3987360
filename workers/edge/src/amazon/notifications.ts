// One poller for every seller's ORDER_CHANGE notifications: a Durable Object (one instance, named
// "orders") that long-polls the application's SQS queue with SigV4 (aws4fetch), routes each message
// to its seller's room by selling partner id, and deletes it only after the room has stored the
// change. Delivery is at least once: a NotificationId already applied is deleted without a second
// application; a message the room could not store stays on the queue and comes back after its
// visibility timeout, so a crash or restart mid-batch loses nothing. While a message is being
// applied its visibility is extended, and a second copy of a notification still being applied is
// deleted only once the first is stored (deleting it earlier lost the change when the first failed). The loop runs on the object's
// alarm (it survives restarts and deploys). The rooms' backup poll of searchOrders keeps running.
//
// Also here: the application's one SQS destination (grantless LWA token) made at the first connect,
// and the selling partner → seller table the routing uses. AWS credentials are Worker secrets.

import { DurableObject } from "cloudflare:workers";
import { ConsignError, ErrorCode } from "@consign/domain";
import {
  deleteOrderChangeSubscription,
  ensureSqsDestination,
  NOTIFICATIONS_SCOPE,
  type OrderChange,
  parseOrderChange,
  requestGrantlessToken,
} from "@consign/sp-api";
import { AwsClient } from "aws4fetch";
import type { Env } from "../env.ts";
import { capture, type Result, unwrap } from "../http/result.ts";

const SEEN_DAYS = 14;
const VISIBILITY_S = 60;

/** What became of one notification: stored in the room, not stored (it comes back), or no seller. */
type Outcome = "stored" | "failed" | "disconnected";

interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
}

export interface PollResult {
  received: number;
  applied: number;
  duplicates: number;
  unroutable: number;
  failed: number;
  /** Set when the queue could not be read (an outage): the rooms' backup poll carries on. */
  error?: string;
}

/** What disconnecting did to the seller's ORDER_CHANGE subscription at Amazon. */
export interface OrderChangeTeardown {
  /** deleted; none (no subscription was known); retrying (Amazon not reached: tried again later). */
  subscription: "deleted" | "none" | "retrying";
  message?: string;
}

export interface NotificationStats {
  configured: boolean;
  routes: number;
  applied: number;
  duplicates: number;
  lastPollAt: number | null;
  lastError: string | null;
  /** Subscriptions of disconnected sellers Amazon has not yet been told to delete. */
  pendingUnsubscribes: number;
}

/** Whether this deployment reads ORDER_CHANGE from SQS (a queue and AWS credentials configured). */
export function notificationsConfigured(env: Env): boolean {
  return !!(env.SQS_QUEUE_URL && env.SQS_QUEUE_ARN && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
}

export const notificationsPoller = (env: Env) =>
  env.AMAZON_NOTIFICATIONS.get(env.AMAZON_NOTIFICATIONS.idFromName("orders"));

export class AmazonNotifications extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private aws: AwsClient | null = null;
  /** Notifications being applied right now, each with its outcome (two copies are applied once). */
  private readonly applying = new Map<string, Promise<Outcome>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS routes (partner TEXT PRIMARY KEY, seller_id TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS seen (notification_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS unsubscribes (
        subscription_id TEXT PRIMARY KEY, partner TEXT NOT NULL, tries INTEGER NOT NULL,
        next_at INTEGER NOT NULL, last_error TEXT NOT NULL);
    `);
  }

  private get<T>(key: string): T | undefined {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  private set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  private count(key: string, by: number): void {
    if (by > 0) this.set(key, (this.get<number>(key) ?? 0) + by);
  }

  /**
   * At connect: remembers which seller a selling partner is, makes sure the application's destination
   * exists, starts the loop, and returns the destination for the seller's subscription.
   */
  register(partner: string, sellerId: string): Promise<Result<{ destinationId: string } | null>> {
    // A Result, not a throw: Amazon refusing the destination is expected and crosses RPC as a value.
    return capture(() => this.registerNow(partner, sellerId));
  }

  private async registerNow(partner: string, sellerId: string): Promise<{ destinationId: string } | null> {
    this.sql.exec(
      "INSERT INTO routes (partner, seller_id, at) VALUES (?, ?, ?) ON CONFLICT(partner) DO UPDATE SET seller_id = excluded.seller_id, at = excluded.at",
      partner,
      sellerId,
      Date.now(),
    );
    // Connected again before Amazon was told to delete the old subscription: the connect reuses it.
    this.sql.exec("DELETE FROM unsubscribes WHERE partner = ?", partner);
    if (!notificationsConfigured(this.env)) return null;
    const destinationId = await this.destination();
    await this.startLoop();
    return { destinationId };
  }

  /**
   * At disconnect: notifications for this selling partner stop reaching the seller's room at once,
   * and Amazon is told to delete the seller's ORDER_CHANGE subscription (deleteSubscriptionById,
   * grantless). When Amazon cannot be reached the deletion is kept and tried again with backoff;
   * meanwhile whatever Amazon still sends for the seller is deleted unread.
   */
  async unsubscribe(
    partner: string,
    sellerId: string,
    subscriptionId: string | undefined,
  ): Promise<OrderChangeTeardown> {
    this.sql.exec("DELETE FROM routes WHERE partner = ? AND seller_id = ?", partner, sellerId);
    if (!subscriptionId) return { subscription: "none" };
    try {
      // Already gone at Amazon (deleted before) is as good as deleted now.
      await this.deleteSubscription(subscriptionId);
      return { subscription: "deleted" };
    } catch (e) {
      const why = (e as Error).message;
      this.sql.exec(
        `INSERT INTO unsubscribes (subscription_id, partner, tries, next_at, last_error) VALUES (?, ?, 1, ?, ?)
         ON CONFLICT(subscription_id) DO UPDATE SET tries = tries + 1, next_at = excluded.next_at, last_error = excluded.last_error`,
        subscriptionId,
        partner,
        Date.now() + 60_000,
        why,
      );
      await this.armFor(Date.now() + 60_000);
      console.warn(`[notifications] ORDER_CHANGE subscription ${subscriptionId} not deleted yet: ${why}`);
      return {
        subscription: "retrying",
        message: `Amazon was not told to stop sending this seller's order notifications (${why}). Consign tries again every few minutes and ignores them meanwhile.`,
      };
    }
  }

  /** Deletions of subscriptions Amazon could not be told about yet, tried again when due. */
  async retryUnsubscribes(now = Date.now()): Promise<{ deleted: number; waiting: number }> {
    const due = this.sql
      .exec<{ subscription_id: string; tries: number }>(
        "SELECT subscription_id, tries FROM unsubscribes WHERE next_at <= ? ORDER BY next_at LIMIT 10",
        now,
      )
      .toArray();
    let deleted = 0;
    for (const row of due) {
      try {
        await this.deleteSubscription(row.subscription_id);
        this.sql.exec("DELETE FROM unsubscribes WHERE subscription_id = ?", row.subscription_id);
        deleted++;
      } catch (e) {
        const wait = Math.min(6 * 3_600_000, 60_000 * 2 ** Math.min(row.tries, 8));
        this.sql.exec(
          "UPDATE unsubscribes SET tries = tries + 1, next_at = ?, last_error = ? WHERE subscription_id = ?",
          now + wait,
          (e as Error).message,
          row.subscription_id,
        );
      }
    }
    const waiting = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM unsubscribes").one().n;
    return { deleted, waiting };
  }

  private async deleteSubscription(subscriptionId: string): Promise<"deleted" | "absent"> {
    const token = await requestGrantlessToken({
      fetch: (input, init) => fetch(input, init),
      lwaTokenUrl: this.env.LWA_TOKEN_URL,
      clientId: this.env.SPAPI_CLIENT_ID,
      clientSecret: this.env.SPAPI_CLIENT_SECRET,
      scope: NOTIFICATIONS_SCOPE,
      timeoutMs: 15_000,
    });
    return deleteOrderChangeSubscription({
      fetch: (input, init) => fetch(input, init),
      baseUrl: this.env.SPAPI_BASE_URL,
      token: token.accessToken,
      subscriptionId,
      timeoutMs: 15_000,
    });
  }

  /** The alarm at `at` at the latest (the poll loop's own alarm is usually sooner). */
  private async armFor(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private nextUnsubscribeAt(): number | null {
    return (
      this.sql.exec<{ at: number | null }>("SELECT min(next_at) AS at FROM unsubscribes").one().at ?? null
    );
  }

  private async destination(): Promise<string> {
    const known = this.get<string>("destinationId");
    if (known) return known;
    const token = await requestGrantlessToken({
      fetch: (input, init) => fetch(input, init),
      lwaTokenUrl: this.env.LWA_TOKEN_URL,
      clientId: this.env.SPAPI_CLIENT_ID,
      clientSecret: this.env.SPAPI_CLIENT_SECRET,
      scope: NOTIFICATIONS_SCOPE,
      timeoutMs: 15_000,
    });
    const destinationId = await ensureSqsDestination({
      fetch: (input, init) => fetch(input, init),
      baseUrl: this.env.SPAPI_BASE_URL,
      token: token.accessToken,
      arn: this.env.SQS_QUEUE_ARN as string,
      name: "consign-order-change",
      timeoutMs: 15_000,
    });
    this.set("destinationId", destinationId);
    return destinationId;
  }

  private async startLoop(): Promise<void> {
    if (this.env.SQS_POLL === "manual") return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm(): Promise<void> {
    if (this.nextUnsubscribeAt() !== null) await this.retryUnsubscribes();
    if (!notificationsConfigured(this.env) || this.env.SQS_POLL === "manual") {
      const next = this.nextUnsubscribeAt();
      if (next !== null) await this.ctx.storage.setAlarm(next);
      return;
    }
    // Several long polls at once: one batch of 10 waits for its rooms' getOrder calls, and 1,000
    // notifications a minute need more than one batch in flight.
    const width = Math.max(1, Math.min(10, Number(this.env.SQS_PARALLEL ?? 4)));
    const results = await Promise.all(Array.from({ length: width }, () => this.pollOnce()));
    const down = results.every((r) => r.error);
    // Straight back to the queue while it answers; back off while it is down (the backup poll covers).
    const failures = down ? (this.get<number>("failures") ?? 0) + 1 : 0;
    this.set("failures", failures);
    const delay = down ? Math.min(60_000, 1_000 * 2 ** Math.min(failures, 6)) : 0;
    await this.ctx.storage.setAlarm(Date.now() + delay);
  }

  private client(): AwsClient {
    this.aws ??= new AwsClient({
      accessKeyId: this.env.AWS_ACCESS_KEY_ID as string,
      secretAccessKey: this.env.AWS_SECRET_ACCESS_KEY as string,
      service: "sqs",
      region: this.env.AWS_REGION ?? "eu-west-1",
      // Retries are the alarm's business (with backoff), not a loop inside one poll.
      retries: 0,
    });
    return this.aws;
  }

  private async sqs<T>(action: string, input: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const url = this.env.SQS_QUEUE_URL as string;
    const res = await this.client().fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${action}` },
      body: JSON.stringify({ QueueUrl: url, ...input }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // AWS answers application/x-amz-json-1.0, which workerd's .text() warns about: decode it ourselves.
    const text = new TextDecoder().decode(await res.arrayBuffer());
    if (!res.ok) {
      let why = text.slice(0, 200);
      try {
        const e = JSON.parse(text) as { __type?: string; message?: string };
        why = `${(e.__type ?? "").split("#").pop()}: ${e.message ?? ""}`;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(
        `SQS ${action} answered HTTP ${res.status} (${why}) [request id ${res.headers.get("x-amzn-RequestId") ?? "none"}]`,
      );
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /**
   * One long poll and the messages it brought. `stopAfter` ends the batch after that many messages,
   * leaving the rest undeleted, as a crash would (tests).
   */
  async pollOnce(opts: { stopAfter?: number; visibilitySeconds?: number } = {}): Promise<PollResult> {
    const result: PollResult = { received: 0, applied: 0, duplicates: 0, unroutable: 0, failed: 0 };
    if (!notificationsConfigured(this.env))
      return { ...result, error: "SQS is not configured for this deployment." };
    const wait = Math.max(0, Math.min(20, Number(this.env.SQS_WAIT_SECONDS ?? 20)));
    let messages: SqsMessage[];
    try {
      const got = await this.sqs<{ Messages?: SqsMessage[] }>(
        "ReceiveMessage",
        {
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: wait,
          VisibilityTimeout: opts.visibilitySeconds ?? VISIBILITY_S,
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
        },
        (wait + 10) * 1000,
      );
      messages = got.Messages ?? [];
    } catch (e) {
      const error = `The notification queue could not be read: ${(e as Error).message}. Orders still arrive by the regular poll.`;
      this.set("lastError", error);
      this.set("lastPollAt", Date.now());
      console.warn(`[notifications] ${error}`);
      return { ...result, error };
    }
    this.set("lastPollAt", Date.now());
    this.set("lastError", null);
    result.received = messages.length;
    const batch = opts.stopAfter === undefined ? messages : messages.slice(0, opts.stopAfter);
    const visibilityS = opts.visibilitySeconds ?? VISIBILITY_S;
    await Promise.all(batch.map((m) => this.handle(m, result, visibilityS)));
    this.count("applied", result.applied);
    this.count("duplicates", result.duplicates);
    if (Date.now() % 50 === 0) {
      this.sql.exec("DELETE FROM seen WHERE at < ?", Date.now() - SEEN_DAYS * 86_400_000);
    }
    return result;
  }

  private async handle(m: SqsMessage, result: PollResult, visibilityS: number): Promise<void> {
    const change = parseOrderChange(m.Body);
    if (!change) {
      console.warn(`[notifications] message ${m.MessageId} is not an ORDER_CHANGE notification: deleted`);
      result.unroutable++;
      await this.delete(m);
      return;
    }
    if (this.seen(change.notificationId)) {
      result.duplicates++;
      await this.delete(m);
      return;
    }
    const inFlight = this.applying.get(change.notificationId);
    if (inFlight) {
      // Another copy of this notification is being applied (SQS delivered it twice, or it came
      // back while the first copy was slow). This copy is deleted only once that one is stored; if
      // it is not, this copy stays on the queue too and comes back, so the change is never lost.
      const first = await this.holding(m, visibilityS, inFlight);
      if (first === "failed") {
        result.failed++;
        return;
      }
      if (first === "stored") result.duplicates++;
      else result.unroutable++;
      await this.delete(m);
      return;
    }
    const route = this.sql
      .exec<{ seller_id: string }>("SELECT seller_id FROM routes WHERE partner = ?", change.sellerId)
      .toArray()[0];
    if (!route) {
      console.warn(
        `[notifications] ${change.notificationId}: no Consign seller for ${change.sellerId}: deleted`,
      );
      result.unroutable++;
      await this.delete(m);
      return;
    }
    const applying = this.applyOnce(route.seller_id, change);
    this.applying.set(change.notificationId, applying);
    let outcome: Outcome;
    try {
      outcome = await this.holding(m, visibilityS, applying);
    } finally {
      this.applying.delete(change.notificationId);
    }
    if (outcome === "failed") {
      // Left on the queue: it comes back after its visibility timeout.
      result.failed++;
      return;
    }
    if (outcome === "disconnected") {
      result.unroutable++;
      await this.delete(m);
      return;
    }
    result.applied++;
    await this.delete(m);
  }

  /**
   * Applies one notification in the seller's room and remembers it as applied once the room has
   * stored it. Never throws: the outcome says whether the message may be deleted.
   */
  private async applyOnce(sellerId: string, change: OrderChange): Promise<Outcome> {
    try {
      await this.apply(sellerId, change);
    } catch (e) {
      if (e instanceof ConsignError && e.code === ErrorCode.AmazonNotConnected) {
        // The seller disconnected Amazon after the notification was sent: nothing to store it in.
        this.sql.exec("DELETE FROM routes WHERE partner = ? AND seller_id = ?", change.sellerId, sellerId);
        console.warn(
          `[notifications] ${change.notificationId}: ${sellerId} has disconnected Amazon: deleted`,
        );
        return "disconnected";
      }
      const why = e instanceof ConsignError ? e.message : (e as Error).message;
      console.warn(
        `[notifications] ${change.notificationId} for ${change.amazonOrderId} not stored yet: ${why}`,
      );
      return "failed";
    }
    this.sql.exec(
      "INSERT INTO seen (notification_id, at) VALUES (?, ?) ON CONFLICT(notification_id) DO NOTHING",
      change.notificationId,
      Date.now(),
    );
    return "stored";
  }

  /**
   * Keeps the message hidden from other receivers while `work` runs (ChangeMessageVisibility every
   * half timeout), so a slow room does not make SQS hand the same message out again mid-apply.
   */
  private async holding<T>(m: SqsMessage, visibilityS: number, work: Promise<T>): Promise<T> {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const every = Math.max(250, visibilityS * 500);
    const tick = () => {
      timer = setTimeout(async () => {
        if (!active) return;
        try {
          await this.sqs(
            "ChangeMessageVisibility",
            { ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: visibilityS },
            10_000,
          );
        } catch (e) {
          console.warn(`[notifications] could not keep ${m.MessageId} hidden: ${(e as Error).message}`);
        }
        if (active) tick();
      }, every);
    };
    tick();
    try {
      return await work;
    } finally {
      active = false;
      clearTimeout(timer);
    }
  }

  private async apply(sellerId: string, change: OrderChange): Promise<void> {
    const room = this.env.SELLER_ROOM.get(this.env.SELLER_ROOM.idFromName(sellerId));
    unwrap(await room.amazonOrderChanged(change));
  }

  private seen(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM seen WHERE notification_id = ?", id).toArray().length > 0;
  }

  private async delete(m: SqsMessage): Promise<void> {
    try {
      await this.sqs("DeleteMessage", { ReceiptHandle: m.ReceiptHandle }, 10_000);
    } catch (e) {
      // Not deleted: it comes back and is then seen as a duplicate.
      console.warn(`[notifications] delete of ${m.MessageId} failed: ${(e as Error).message}`);
    }
  }

  stats(): NotificationStats {
    return {
      pendingUnsubscribes: this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM unsubscribes").one().n,
      configured: notificationsConfigured(this.env),
      routes: this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM routes").one().n,
      applied: this.get<number>("applied") ?? 0,
      duplicates: this.get<number>("duplicates") ?? 0,
      lastPollAt: this.get<number>("lastPollAt") ?? null,
      lastError: this.get<string | null>("lastError") ?? null,
    };
  }
}

/**
 * At connect: the seller's route, the application's destination and the seller's ORDER_CHANGE
 * subscription. Never fails the connect: without live updates the backup poll still imports.
 */
export async function setUpOrderChange(env: Env, sellerId: string, partner: string): Promise<string | null> {
  try {
    const registered = unwrap(await notificationsPoller(env).register(partner, sellerId));
    if (!registered) return null;
    const room = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId));
    return unwrap(await room.amazonSubscribe(registered.destinationId));
  } catch (e) {
    console.warn(`[notifications] live order updates not set up for ${sellerId}: ${(e as Error).message}`);
    return null;
  }
}

/**
 * At disconnect (after the room forgot the credentials): stop routing the seller's notifications
 * and delete the seller's ORDER_CHANGE subscription at Amazon. Never fails the disconnect.
 */
export async function tearDownOrderChange(
  env: Env,
  sellerId: string,
  gone: { sellingPartnerId?: string; subscriptionId?: string },
): Promise<OrderChangeTeardown> {
  if (!gone.sellingPartnerId) return { subscription: "none" };
  try {
    return await notificationsPoller(env).unsubscribe(gone.sellingPartnerId, sellerId, gone.subscriptionId);
  } catch (e) {
    console.warn(`[notifications] live order updates not torn down for ${sellerId}: ${(e as Error).message}`);
    return {
      subscription: "retrying",
      message:
        "Amazon was not told to stop sending this seller's order notifications; Consign ignores any that still arrive.",
    };
  }
}
