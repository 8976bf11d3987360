import { DurableObject } from "cloudflare:workers";
import { accessVerdict, type ExtraAccess } from "../amazon-extra/access.ts";
import type { SeededInfo } from "../amazon-extra/world.ts";
import {
  type AckOutcome,
  applyAcknowledgements,
  CANCELLATIONS_SETTING,
  type FeedCancellation,
} from "../amazon-feeds/acknowledge.ts";
import type { AckMessage } from "../amazon-feeds/xml.ts";
import type { SandboxEnv } from "../env.ts";
import { grantlessToken, type Json } from "../notifications/api.ts";
import { type OrderChangeType, orderChangeNotification } from "../notifications/payload.ts";
import { DEFAULT_VISIBILITY_S, type QueueFaults, QueueStore } from "../notifications/queue.ts";
import {
  bounded,
  queueNameOfArn,
  queueObject,
  type SqsAnswer,
  type SqsReply,
  sqsFail,
} from "../notifications/sqs.ts";
import { newCredential, type RdtScope, rdtCovers } from "./credentials.ts";
import { generateOrders, type SeedOptions } from "./demo-data.ts";
import { type FaultSwitches, rollFault, type SandboxOperation } from "./faults.ts";
import { getOrder, searchOrders } from "./orders-api.ts";
import {
  amazonErrors,
  amazonJson,
  dropMarker,
  invalidInput,
  iso,
  quotaExceeded,
  unauthorized,
} from "./responses.ts";
import { type AppRole, DEFAULT_ROLES, isRestrictedPath, refusedDataElements } from "./roles.ts";
import { confirmShipment, updateShipmentStatus } from "./shipments-api.ts";
import { type OrderRow, type ReceivedConfirmation, SellerStore } from "./store.ts";
import type { SandboxOrder } from "./wire.ts";

/** Set once the month simulation adds orders: the seller's buyers are the simulated world's (../sim). */
const SIMULATED = "simulated";

/** Usage plans from the models (rate per second, burst). */
export const PLANS: Record<SandboxOperation, { rate: number; burst: number }> = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  updateShipmentStatus: { rate: 5, burst: 15 },
  createRestrictedDataToken: { rate: 1, burst: 10 },
};

const ACCESS_TOKEN_SECONDS = 3600;
/** Seller time up to which the order world's changes have gone out as ORDER_CHANGE. */
const NOTIFIED_THROUGH = "orderChangeNotifiedThroughMs";
/** Orders and cancellation requests notified on the spot (control) ahead of that time. */
const NOTIFIED_AHEAD = "orderChangeNotifiedAhead";
const CODE_SECONDS = 300;

interface Route {
  op: SandboxOperation;
  orderId?: string;
}

const ROUTES: { method: string; pattern: RegExp; op: SandboxOperation }[] = [
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders$/, op: "searchOrders" },
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders\/([^/]+)$/, op: "getOrder" },
  { method: "POST", pattern: /^\/orders\/v0\/orders\/([^/]+)\/shipmentConfirmation$/, op: "confirmShipment" },
  { method: "POST", pattern: /^\/orders\/v0\/orders\/([^/]+)\/shipment$/, op: "updateShipmentStatus" },
  { method: "POST", pattern: /^\/tokens\/2021-03-01\/restrictedDataToken$/, op: "createRestrictedDataToken" },
];

export function routeOf(method: string, path: string): Route | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = path.match(r.pattern);
    if (m) return m[1] ? { op: r.op, orderId: decodeURIComponent(m[1]) } : { op: r.op };
  }
  return undefined;
}

/** One sandbox selling partner: its orders, tokens and rate-limit buckets. */
export class AmazonSellerState extends DurableObject<SandboxEnv> {
  private readonly store: SellerStore;

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    this.store = new SellerStore(ctx.storage.sql);
  }

  private sellerId(): string {
    return this.store.getSetting<string>("sellerId") ?? "unknown";
  }

  /** Real time plus the offset a test or the demo may have added with the clock switch. */
  private now(): number {
    return Date.now() + (this.store.getSetting<number>("clockOffsetMs") ?? 0);
  }

  // control (not part of Amazon) ----------------------------------------------------------------
  async seed(sellerId: string, opts: Omit<SeedOptions, "sellingPartnerId" | "now">) {
    this.store.setSetting("sellerId", sellerId);
    const now = this.now();
    const orders = generateOrders({ ...opts, sellingPartnerId: sellerId, now });
    this.store.replaceOrders(orders);
    this.store.resetBuckets();
    this.store.setSetting("seeded", { at: now, ...opts });
    // The seeded history happened before anyone subscribed; what arrives from now on is notified.
    this.store.setSetting(NOTIFIED_THROUGH, now);
    await this.armOrderWorld();
    return {
      sellingPartnerId: sellerId,
      seededAt: new Date(now).toISOString(),
      ...this.store.orderCounts(now),
    };
  }

  isSeeded(): boolean {
    return this.store.getSetting("seeded") !== undefined;
  }

  summary() {
    const now = this.now();
    this.store.advance(now);
    return {
      sellingPartnerId: this.sellerId(),
      now: new Date(now).toISOString(),
      seeded: this.store.getSetting("seeded") ?? null,
      faults: this.faults(),
      orders: this.store.orderCounts(now),
      simulated: this.store.getSetting<boolean>(SIMULATED) === true,
    };
  }

  /** Checks an access token for an extra operation (Reports, Finances…) and returns the seller's clock and seed. */
  extraAccess(token: string, method: string, path: string): ExtraAccess {
    const summary = this.summary();
    return {
      verdict: accessVerdict(this.store.credential(token), Date.parse(summary.now), method, path),
      now: summary.now,
      seeded: (summary.seeded as SeededInfo | null) ?? null,
      faults: summary.faults,
      simulated: summary.simulated,
    };
  }

  faults(): FaultSwitches {
    return this.store.getSetting<FaultSwitches>("faults") ?? {};
  }

  setFaults(sellerId: string, switches: FaultSwitches, merge: boolean): FaultSwitches {
    this.store.setSetting("sellerId", this.store.getSetting("sellerId") ?? sellerId);
    const next = merge ? { ...this.faults(), ...switches } : switches;
    this.store.setSetting("faults", next);
    if (switches.rateScale !== undefined) this.store.resetBuckets();
    return next;
  }

  expireAccessTokens(): { expired: number } {
    return { expired: this.store.expireAccessTokens(this.now()) };
  }

  revoke(): { revoked: number } {
    return { revoked: this.store.revokeAll() };
  }

  async advanceClock(
    ms: number,
  ): Promise<{ now: string; notified: WorldNotification[]; withdrawn: { orderId: string; sku: string }[] }> {
    this.store.setSetting("clockOffsetMs", (this.store.getSetting<number>("clockOffsetMs") ?? 0) + ms);
    this.store.resetBuckets();
    // What the order world did in the time that passed is notified, as Amazon would have.
    const notified = await this.emitOrderWorld();
    return {
      now: new Date(this.now()).toISOString(),
      notified,
      // Orders the listings' quantities kept buyers from placing (the simulation stops waiting for them).
      withdrawn: this.store.withdrawnOrders().map(({ orderId, sku }) => ({ orderId, sku })),
    };
  }

  /** A quantity the seller pushed for a SKU (patchListingsItem accepted): what buyers can order from now on. */
  setListingQuantity(sku: string, quantity: number): void {
    this.store.setListingQuantity(sku, quantity, this.now());
  }

  confirmations(): ReceivedConfirmation[] {
    return this.store.confirmations();
  }

  // the month simulation (../sim, not part of Amazon) ---------------------------------------------
  /** Adds orders the simulation planned; each becomes visible when the seller's clock passes its time. */
  async simAddOrders(sellerId: string, orders: SandboxOrder[]): Promise<{ added: number; now: string }> {
    this.store.setSetting("sellerId", this.store.getSetting("sellerId") ?? sellerId);
    // From now on the seller's buyers are the simulated world's: reports and Finances follow them.
    this.store.setSetting(SIMULATED, true);
    for (const o of orders) this.store.saveOrder(o);
    // Each is notified when its time comes, as the demo's arrivals are.
    await this.armOrderWorld();
    return { added: orders.length, now: new Date(this.now()).toISOString() };
  }

  /** Every order, every confirmation received and the seller's clock (the simulation's report). */
  simSnapshot(): {
    now: number;
    rows: OrderRow[];
    confirmations: ReceivedConfirmation[];
    withdrawn: { orderId: string; createdMs: number; sku: string }[];
  } {
    const now = this.now();
    this.store.advance(now);
    return {
      now,
      rows: this.store.allOrders(),
      confirmations: this.store.confirmations(),
      withdrawn: this.store.withdrawnOrders(),
    };
  }

  // Feeds API: an order acknowledgement feed's messages acted on (see ../amazon-feeds) ----------
  acknowledgeOrders(feedId: string, messages: AckMessage[]): AckOutcome[] {
    const now = this.now();
    this.store.advance(now);
    return applyAcknowledgements(this.store, feedId, messages, now);
  }

  feedCancellations(): FeedCancellation[] {
    return this.store.getSetting<FeedCancellation[]>(CANCELLATIONS_SETTING) ?? [];
  }

  // an SQS queue (the object named `sqs:<queue name>`; notifications/sqs.ts) -------------------------
  private queueStore?: QueueStore;
  private get queue(): QueueStore {
    this.queueStore ??= new QueueStore(this.ctx.storage.sql);
    return this.queueStore;
  }

  sqsCreate(name: string): void {
    this.store.setSetting("sqsQueue", name);
    void this.queue;
  }

  sqsExists(): boolean {
    return this.store.getSetting<string>("sqsQueue") !== undefined;
  }

  sqsSend(body: string): { MessageId: string; MD5OfMessageBody: string } {
    return this.queue.send(body, Date.now());
  }

  sqsFaults(faults?: QueueFaults): QueueFaults {
    return faults === undefined ? this.queue.faults() : this.queue.setFaults(faults);
  }

  sqsStats() {
    return {
      queue: this.store.getSetting<string>("sqsQueue") ?? null,
      ...this.queue.stats(Date.now()),
      faults: this.queue.faults(),
    };
  }

  /** One SQS action on this queue (validation as SQS does it; ReceiveMessage long-polls). */
  async sqsCall(action: string, input: Record<string, unknown>): Promise<SqsReply> {
    const r = await this.sqsCallBody(action, input);
    return r.error
      ? { status: r.status, error: r.error }
      : { status: r.status, body: JSON.stringify(r.body ?? {}) };
  }

  private async sqsCallBody(action: string, input: Record<string, unknown>): Promise<SqsAnswer> {
    if (!this.sqsExists()) {
      return sqsFail(
        400,
        "QueueDoesNotExist",
        "The specified queue does not exist.",
        "AWS.SimpleQueueService.NonExistentQueue",
      );
    }
    if (this.queue.takeOutage())
      return sqsFail(500, "InternalError", "We encountered an internal error. Please try again.");
    const receipt = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);
    switch (action) {
      case "SendMessage": {
        const body = input.MessageBody;
        if (typeof body !== "string" || body.length === 0 || body.length > 262_144) {
          return sqsFail(400, "InvalidParameterValue", "MessageBody must be 1 to 262,144 characters.");
        }
        return { status: 200, body: this.queue.send(body, Date.now()) };
      }
      case "ReceiveMessage": {
        const max = bounded(input.MaxNumberOfMessages, "MaxNumberOfMessages", 1, 10, 1);
        const wait = bounded(input.WaitTimeSeconds, "WaitTimeSeconds", 0, 20, 0);
        const vis = bounded(input.VisibilityTimeout, "VisibilityTimeout", 0, 43_200, DEFAULT_VISIBILITY_S);
        for (const v of [max, wait, vis]) if (typeof v !== "number") return v;
        const until = Date.now() + (wait as number) * 1000;
        for (;;) {
          const got = this.queue.receive(max as number, vis as number, Date.now());
          if (got.length > 0 || Date.now() >= until)
            return { status: 200, body: got.length ? { Messages: got } : {} };
          await scheduler.wait(Math.min(100, until - Date.now()));
        }
      }
      case "DeleteMessage": {
        const r = receipt(input.ReceiptHandle);
        if (!r || !this.queue.delete(r)) {
          return sqsFail(
            400,
            "ReceiptHandleIsInvalid",
            `The input receipt handle "${String(input.ReceiptHandle)}" is not a valid receipt handle.`,
          );
        }
        return { status: 200, body: {} };
      }
      case "DeleteMessageBatch": {
        const entries = Array.isArray(input.Entries)
          ? (input.Entries as { Id?: unknown; ReceiptHandle?: unknown }[])
          : [];
        if (entries.length === 0 || entries.length > 10) {
          return sqsFail(
            400,
            entries.length ? "TooManyEntriesInBatchRequest" : "EmptyBatchRequest",
            "A batch holds 1 to 10 entries.",
          );
        }
        const Successful: { Id: string }[] = [];
        const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
        for (const e of entries) {
          const id = String(e.Id ?? "");
          const r = receipt(e.ReceiptHandle);
          if (r && this.queue.delete(r)) Successful.push({ Id: id });
          else
            Failed.push({
              Id: id,
              SenderFault: true,
              Code: "ReceiptHandleIsInvalid",
              Message: "The receipt handle is not valid.",
            });
        }
        return { status: 200, body: { Successful, Failed } };
      }
      case "ChangeMessageVisibility": {
        const vis = bounded(input.VisibilityTimeout, "VisibilityTimeout", 0, 43_200, 0);
        if (typeof vis !== "number") return vis;
        const r = receipt(input.ReceiptHandle);
        if (!r || !this.queue.changeVisibility(r, vis, Date.now())) {
          return sqsFail(
            400,
            "MessageNotInflight",
            "The message referred to is not in flight.",
            "AWS.SimpleQueueService.MessageNotInflight",
          );
        }
        return { status: 200, body: {} };
      }
      case "GetQueueAttributes": {
        const st = this.queue.stats(Date.now());
        const name = this.store.getSetting<string>("sqsQueue") as string;
        return {
          status: 200,
          body: {
            Attributes: {
              ApproximateNumberOfMessages: String(st.visible),
              ApproximateNumberOfMessagesNotVisible: String(st.inFlight),
              ApproximateNumberOfMessagesDelayed: String(st.delayed),
              VisibilityTimeout: String(DEFAULT_VISIBILITY_S),
              QueueArn: `arn:aws:sqs:eu-west-1:123456789012:${name}`,
            },
          },
        };
      }
      default:
        return sqsFail(
          400,
          "UnsupportedOperation",
          `The sandbox queue does not offer ${action}.`,
          "AWS.SimpleQueueService.UnsupportedOperation",
        );
    }
  }

  // the app's Notifications API state (object `app:<client_id>`): grantless tokens, destinations ----
  grantlessIssue(clientId: string): { token: string; expiresIn: number } {
    const token = grantlessToken(clientId);
    this.store.issue(token, "access", this.now(), ACCESS_TOKEN_SECONDS, { clientId, grantless: true });
    return { token, expiresIn: ACCESS_TOKEN_SECONDS };
  }

  grantlessCheck(token: string): "ok" | "expired" | "unknown" {
    const c = this.store.credential(token);
    if (!c || c.revoked || c.kind !== "access" || !(c.scope ?? "").includes('"grantless":true'))
      return "unknown";
    return c.expiresMs !== null && c.expiresMs < this.now() ? "expired" : "ok";
  }

  private appDestinations(): Destination[] {
    return this.store.getSetting<Destination[]>("destinations") ?? [];
  }

  destinations(): Destination[] {
    return this.appDestinations();
  }

  private async createDestinationBody(text: string): Promise<{ status: number; body: Json }> {
    let raw: unknown = null;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = null;
    }
    const body = (typeof raw === "object" && raw !== null ? raw : {}) as {
      name?: unknown;
      resourceSpecification?: { sqs?: { arn?: unknown }; eventBridge?: unknown };
    };
    const invalid = (details: string) => ({
      status: 400,
      body: {
        errors: [
          {
            code: "InvalidInput",
            message: "Request has missing or invalid parameters and cannot be parsed.",
            details,
          },
        ],
      },
    });
    if (typeof body.name !== "string" || body.name.length === 0 || body.name.length > 256) {
      return invalid("name is required (1-256 characters).");
    }
    const arn = body.resourceSpecification?.sqs?.arn;
    if (typeof arn !== "string") {
      return invalid(
        "resourceSpecification.sqs.arn is required: ORDER_CHANGE is delivered only to an Amazon SQS queue.",
      );
    }
    const queue = queueNameOfArn(arn);
    if (!queue || !(await queueObject(this.env, queue).sqsExists())) {
      return invalid(
        `Amazon cannot reach the queue ${arn}: check that it exists and that its policy lets Amazon send messages.`,
      );
    }
    const all = this.appDestinations();
    if (all.some((d) => d.resource.sqs.arn === arn)) {
      return {
        status: 409,
        body: {
          errors: [
            { code: "Conflict", message: "A destination with this resource already exists.", details: arn },
          ],
        },
      };
    }
    const d: Destination = {
      name: body.name,
      destinationId: crypto.randomUUID(),
      resource: { sqs: { arn } },
    };
    this.store.setSetting("destinations", [...all, d]);
    return { status: 200, body: { payload: d } };
  }

  private destinationByIdBody(id: string): { status: number; body: Json } {
    const d = this.appDestinations().find((x) => x.destinationId === id);
    return d
      ? { status: 200, body: { payload: d } }
      : {
          status: 404,
          body: { errors: [{ code: "NotFound", message: "Destination not found.", details: id }] },
        };
  }

  private deleteDestinationBody(id: string): { status: number; body: Json } {
    const all = this.appDestinations();
    if (!all.some((d) => d.destinationId === id)) return this.destinationByIdBody(id);
    this.store.setSetting(
      "destinations",
      all.filter((d) => d.destinationId !== id),
    );
    return { status: 200, body: {} };
  }

  registerSubscription(subscriptionId: string, sellerId: string): void {
    const index = this.store.getSetting<Record<string, string>>("subscriptions") ?? {};
    index[subscriptionId] = sellerId;
    this.store.setSetting("subscriptions", index);
  }

  private sellerOfSubscription(id: string) {
    const sellerId = (this.store.getSetting<Record<string, string>>("subscriptions") ?? {})[id];
    return sellerId ? this.env.AMAZON_SELLER.get(this.env.AMAZON_SELLER.idFromName(sellerId)) : undefined;
  }

  private async subscriptionByIdBody(type: string, id: string): Promise<{ status: number; body: Json }> {
    const seller = this.sellerOfSubscription(id);
    const sub = seller ? await seller.subscriptionOf(type) : null;
    if (!sub || sub.subscriptionId !== id) {
      return {
        status: 404,
        body: { errors: [{ code: "NotFound", message: "Subscription not found.", details: id }] },
      };
    }
    return { status: 200, body: { payload: publicSubscription(sub) } };
  }

  private async deleteSubscriptionByIdBody(
    type: string,
    id: string,
  ): Promise<{ status: number; body: Json }> {
    const seller = this.sellerOfSubscription(id);
    if (!seller || !(await seller.dropSubscription(type, id))) {
      return {
        status: 404,
        body: { errors: [{ code: "NotFound", message: "Subscription not found.", details: id }] },
      };
    }
    const index = this.store.getSetting<Record<string, string>>("subscriptions") ?? {};
    delete index[id];
    this.store.setSetting("subscriptions", index);
    return { status: 200, body: {} };
  }

  /** RPC face of createDestinationBody: the answer's body as JSON text. */
  async createDestination(text: string): Promise<Reply> {
    const r = await this.createDestinationBody(text);
    return { status: r.status, body: JSON.stringify(r.body) };
  }

  /** RPC face of destinationByIdBody: the answer's body as JSON text. */
  async destinationById(id: string): Promise<Reply> {
    const r = await this.destinationByIdBody(id);
    return { status: r.status, body: JSON.stringify(r.body) };
  }

  /** RPC face of deleteDestinationBody: the answer's body as JSON text. */
  async deleteDestination(id: string): Promise<Reply> {
    const r = await this.deleteDestinationBody(id);
    return { status: r.status, body: JSON.stringify(r.body) };
  }

  /** RPC face of subscriptionByIdBody: the answer's body as JSON text. */
  async subscriptionById(type: string, id: string): Promise<Reply> {
    const r = await this.subscriptionByIdBody(type, id);
    return { status: r.status, body: JSON.stringify(r.body) };
  }

  /** RPC face of deleteSubscriptionByIdBody: the answer's body as JSON text. */
  async deleteSubscriptionById(type: string, id: string): Promise<Reply> {
    const r = await this.deleteSubscriptionByIdBody(type, id);
    return { status: r.status, body: JSON.stringify(r.body) };
  }

  /** RPC face of subscriptionCallBody: the answer's body as JSON text. */
  async subscriptionCall(token: string, type: string, raw: unknown, create: boolean): Promise<Reply> {
    const r = await this.subscriptionCallBody(token, type, raw, create);
    return { status: r.status, body: JSON.stringify(r.body) };
  }

  // a seller's subscriptions and the ORDER_CHANGE notifications its orders send ---------------------
  subscriptionOf(type: string): SellerSubscription | null {
    return this.store.getSetting<SellerSubscription>(`subscription:${type}`) ?? null;
  }

  /** The subscription as Amazon shows it (control: what the tests and the demo check). */
  publicSubscriptionOf(
    type: string,
  ): { subscriptionId: string; destinationId: string; payloadVersion: string } | null {
    const sub = this.subscriptionOf(type);
    return sub
      ? {
          subscriptionId: sub.subscriptionId,
          destinationId: sub.destinationId,
          payloadVersion: sub.payloadVersion,
        }
      : null;
  }

  dropSubscription(type: string, id: string): boolean {
    const sub = this.subscriptionOf(type);
    if (!sub || sub.subscriptionId !== id) return false;
    this.store.setSetting(`subscription:${type}`, undefined);
    return true;
  }

  /** createSubscription (create) or getSubscription, with the seller's own access token. */
  private async subscriptionCallBody(
    token: string,
    type: string,
    raw: unknown,
    create: boolean,
  ): Promise<{ status: number; body: Json }> {
    const err = (status: number, code: string, message: string, details = "") => ({
      status,
      body: { errors: [{ code, message, details }] },
    });
    const cred = this.store.credential(token);
    if (!cred || cred.revoked || cred.kind !== "access") {
      return err(
        403,
        "Unauthorized",
        "Access to requested resource is denied.",
        "The access token you provided is revoked, malformed or invalid.",
      );
    }
    if (cred.expiresMs !== null && cred.expiresMs < this.now()) {
      return err(
        403,
        "Unauthorized",
        "Access to requested resource is denied.",
        "The access token you provided has expired.",
      );
    }
    if (type !== "ORDER_CHANGE") {
      return err(400, "InvalidInput", `The sandbox delivers ORDER_CHANGE only; ${type} is not offered here.`);
    }
    const existing = this.subscriptionOf(type);
    if (!create) {
      return existing
        ? { status: 200, body: { payload: publicSubscription(existing) } }
        : err(
            404,
            "NotFound",
            "Subscription not found.",
            `No ${type} subscription for this selling partner and application.`,
          );
    }
    if (existing) {
      return err(
        409,
        "Conflict",
        "A subscription with this notification type already exists for this application and selling partner.",
        existing.subscriptionId,
      );
    }
    const body = (typeof raw === "object" && raw !== null ? raw : {}) as {
      payloadVersion?: unknown;
      destinationId?: unknown;
      processingDirective?: { eventFilter?: { eventFilterType?: unknown; orderChangeTypes?: unknown } };
    };
    if (body.payloadVersion !== "1.0")
      return err(400, "InvalidInput", 'payloadVersion must be "1.0" for ORDER_CHANGE.');
    if (typeof body.destinationId !== "string") return err(400, "InvalidInput", "destinationId is required.");
    const filter = body.processingDirective?.eventFilter;
    let orderChangeTypes: OrderChangeType[] | undefined;
    if (filter) {
      if (filter.eventFilterType !== "ORDER_CHANGE")
        return err(400, "InvalidInput", "eventFilter.eventFilterType must be ORDER_CHANGE.");
      if (filter.orderChangeTypes !== undefined) {
        const list = filter.orderChangeTypes;
        const allowed = ["BuyerRequestedChange", "DeliveryTipChange", "OrderStatusChange"];
        if (!Array.isArray(list) || list.some((t) => !allowed.includes(t as string))) {
          return err(
            400,
            "InvalidInput",
            `eventFilter.orderChangeTypes must list values of ${allowed.join(", ")}.`,
          );
        }
        orderChangeTypes = list as OrderChangeType[];
      }
    }
    let clientId = this.env.SANDBOX_CLIENT_ID;
    try {
      const c = (JSON.parse(cred.scope ?? "{}") as { clientId?: unknown }).clientId;
      if (typeof c === "string") clientId = c;
    } catch {
      // the sandbox's own app
    }
    const app = this.env.AMAZON_SELLER.get(this.env.AMAZON_SELLER.idFromName(`app:${clientId}`));
    const dest = await app.destinationById(body.destinationId);
    if (dest.status !== 200)
      return err(
        400,
        "InvalidInput",
        "The destinationId is not one of this application's destinations.",
        body.destinationId,
      );
    const queue = queueNameOfArn(
      (JSON.parse(dest.body) as { payload: Destination }).payload.resource.sqs.arn,
    ) as string;
    const sub: SellerSubscription = {
      subscriptionId: crypto.randomUUID(),
      payloadVersion: "1.0",
      destinationId: body.destinationId,
      ...(body.processingDirective ? { processingDirective: JSON.stringify(body.processingDirective) } : {}),
      ...(orderChangeTypes ? { orderChangeTypes } : {}),
      clientId,
      queue,
    };
    this.store.setSetting(`subscription:${type}`, sub);
    this.store.setSetting("sellerId", this.store.getSetting("sellerId") ?? "unknown");
    // Notified from now on: what happens in the order world after the subscription.
    this.store.setSetting(NOTIFIED_THROUGH, this.now());
    await this.armOrderWorld();
    await app.registerSubscription(sub.subscriptionId, this.sellerId());
    return { status: 200, body: { payload: publicSubscription(sub) } };
  }

  /** Sends ORDER_CHANGE for an order to the subscribed queue (when the subscription's filter allows). */
  private async notify(
    orderId: string,
    changeType: OrderChangeType,
    reason: string,
    buyerRequestedCancel = false,
  ) {
    const sub = this.subscriptionOf("ORDER_CHANGE");
    if (!sub) return null;
    if (sub.orderChangeTypes && !sub.orderChangeTypes.includes(changeType)) return null;
    const now = this.now();
    const row = this.store.getOrder(orderId, now);
    if (!row) return null;
    const n = orderChangeNotification({
      row,
      sellerId: this.sellerId(),
      changeType,
      reason,
      applicationId: sub.clientId,
      subscriptionId: sub.subscriptionId,
      now,
      buyerRequestedCancel,
    });
    await queueObject(this.env, sub.queue).sqsSend(n.body);
    return n.notificationId;
  }

  /**
   * ORDER_CHANGE for what the order world did since the last time: orders whose time came (the seeded
   * arrivals) and buyers' cancellation requests that came due, oldest first, then the alarm for the
   * next. Sent only while subscribed; at least once (the cursor moves after each is sent).
   */
  private emitting: Promise<WorldNotification[]> | null = null;
  emitOrderWorld(): Promise<WorldNotification[]> {
    this.emitting ??= this.emitOrderWorldNow().finally(() => {
      this.emitting = null;
    });
    return this.emitting;
  }

  private async emitOrderWorldNow(): Promise<WorldNotification[]> {
    const now = this.now();
    // Orders due now are placed against the listings' quantities first: one the offer could not
    // fill was never placed, so no notification goes out for it.
    this.store.advance(now);
    const since = this.store.getSetting<number>(NOTIFIED_THROUGH);
    if (!this.subscriptionOf("ORDER_CHANGE") || since === undefined) {
      this.store.setSetting(NOTIFIED_THROUGH, now);
      this.store.setSetting(NOTIFIED_AHEAD, undefined);
      return [];
    }
    const sent: WorldNotification[] = [];
    const ahead =
      this.store.getSetting<{ orderId: string; kind: string; at: number }[]>(NOTIFIED_AHEAD) ?? [];
    const already = new Set(ahead.map((a) => `${a.kind}:${a.orderId}`));
    let cursor = since;
    for (;;) {
      const due = this.store.eventsBetween(cursor, now);
      for (const e of due) {
        if (already.has(`${e.kind}:${e.orderId}`)) continue;
        const notificationId =
          e.kind === "placed"
            ? await this.notify(e.orderId, "OrderStatusChange", "NewOrder")
            : await this.notify(e.orderId, "BuyerRequestedChange", "Buyer Requested Cancel", true);
        if (notificationId) sent.push({ orderId: e.orderId, kind: e.kind, notificationId });
        // A crash from here sends again from this moment on: at least once, never skipped.
        this.store.setSetting(NOTIFIED_THROUGH, e.at - 1);
      }
      if (due.length < 500) break;
      const last = (due[due.length - 1] as { at: number }).at;
      cursor = last - 1 > cursor ? last - 1 : last;
    }
    this.store.setSetting(NOTIFIED_THROUGH, now);
    // Those notified on the spot up to now are behind the cursor: no longer needed.
    const later = ahead.filter((a) => a.at > now);
    this.store.setSetting(NOTIFIED_AHEAD, later.length ? later : undefined);
    await this.armOrderWorld();
    return sent;
  }

  /** An event notified on the spot (control), so the order world's catch-up does not send it again. */
  private notifiedAhead(orderId: string, kind: WorldNotification["kind"], at: number): void {
    const list = this.store.getSetting<{ orderId: string; kind: string; at: number }[]>(NOTIFIED_AHEAD) ?? [];
    this.store.setSetting(NOTIFIED_AHEAD, [...list, { orderId, kind, at }]);
  }

  /** The Durable Object's alarm at the next order or cancellation request (seller time → real time). */
  private async armOrderWorld(): Promise<void> {
    if (!this.subscriptionOf("ORDER_CHANGE")) return;
    const now = this.now();
    const next = this.store.nextEventAfter(
      Math.max(now, this.store.getSetting<number>(NOTIFIED_THROUGH) ?? now),
    );
    if (next === null) return;
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, next - now));
  }

  override async alarm(): Promise<void> {
    await this.emitOrderWorld();
  }

  /** A buyer places an order now (control): it is searchable at once and ORDER_CHANGE goes out. */
  async createOrderNow(
    sellerId: string,
  ): Promise<{ orderId: string; createdAt: string; notificationId: string | null }> {
    this.store.setSetting("sellerId", this.store.getSetting("sellerId") ?? sellerId);
    // What came due before it is notified first, so this order is notified once, here.
    await this.emitOrderWorld();
    const now = this.now();
    let order: ReturnType<typeof generateOrders>[number] | undefined;
    for (let i = 0; !order || this.store.getOrder(order.order.orderId, Number.MAX_SAFE_INTEGER); i++) {
      order = generateOrders({
        sellingPartnerId: this.sellerId(),
        orders: 1,
        unshipped: 1,
        historyDays: 3,
        arrivalsPerHour: 0,
        seed: `${now}:${i}:${Math.random()}`,
        now,
      })[0];
    }
    const o = order as ReturnType<typeof generateOrders>[number];
    o.createdMs = now - 1000;
    o.updatedMs = now - 1000;
    delete o.cancelRequestMs;
    o.order.createdTime = iso(o.createdMs);
    o.order.lastUpdatedTime = iso(o.updatedMs);
    this.store.saveOrder(o);
    this.notifiedAhead(o.order.orderId, "placed", o.createdMs);
    const notificationId = await this.notify(o.order.orderId, "OrderStatusChange", "NewOrder");
    return { orderId: o.order.orderId, createdAt: o.order.createdTime, notificationId };
  }

  /** The buyer asks to cancel an unshipped order now (control): flagged and ORDER_CHANGE goes out. */
  async requestCancellation(orderId: string): Promise<{ ok: boolean; notificationId: string | null }> {
    await this.emitOrderWorld();
    const now = this.now();
    const row = this.store.getOrder(orderId, now);
    if (
      !row ||
      !["UNSHIPPED", "PARTIALLY_SHIPPED", "PENDING"].includes(row.order.fulfillment.fulfillmentStatus)
    ) {
      return { ok: false, notificationId: null };
    }
    this.store.saveOrder({ ...row, cancelRequestMs: now - 1, updatedMs: now - 1 });
    this.notifiedAhead(orderId, "cancelRequest", now - 1);
    return {
      ok: true,
      notificationId: await this.notify(orderId, "BuyerRequestedChange", "Buyer Requested Cancel", true),
    };
  }

  // an app's approved roles (kept in the Durable Object named `app:<client_id>`) -------------------
  appRoles(): AppRole[] {
    return this.store.getSetting<AppRole[]>("appRoles") ?? DEFAULT_ROLES;
  }

  setAppRoles(roles: AppRole[]): AppRole[] {
    this.store.setSetting("appRoles", roles);
    return roles;
  }

  /** The roles of the app a credential was issued to (its client_id is kept with the token). */
  private async rolesOf(scope: string | null): Promise<AppRole[]> {
    let clientId = this.env.SANDBOX_CLIENT_ID;
    try {
      const parsed = JSON.parse(scope ?? "{}") as { clientId?: unknown };
      if (typeof parsed.clientId === "string") clientId = parsed.clientId;
    } catch {
      // an older token without its app: the sandbox's own app
    }
    return appState(this.env, clientId).appRoles();
  }

  // Seller Central consent and Login with Amazon ---------------------------------------------------
  issueAuthorizationCode(sellerId: string): string {
    this.store.setSetting("sellerId", sellerId);
    const code = newCredential("code", sellerId);
    this.store.issue(code, "code", this.now(), CODE_SECONDS);
    return code;
  }

  /** The LWA grant for this seller, after the front Worker has checked client_id/secret. */
  lwaGrant(
    grantType: "refresh_token" | "authorization_code",
    credential: string,
    clientId?: string,
  ): { status: number; body: string } {
    const now = this.now();
    const c = this.store.credential(credential);
    const field = grantType === "refresh_token" ? "refresh_token" : "code";
    const invalid = {
      status: 400,
      body: JSON.stringify({
        error: "invalid_grant",
        error_description: `The request has an invalid grant parameter : ${field}`,
      }),
    };
    if (!c || c.revoked || c.kind !== (grantType === "refresh_token" ? "refresh" : "code")) return invalid;
    if (c.expiresMs !== null && c.expiresMs < now) return invalid;
    let refreshToken = credential;
    if (grantType === "authorization_code") {
      if (c.used) return invalid;
      this.store.markUsed(credential);
      refreshToken = newCredential("refresh", this.sellerId());
      this.store.issue(refreshToken, "refresh", now, null);
    }
    const accessToken = newCredential("access", this.sellerId());
    this.store.issue(
      accessToken,
      "access",
      now,
      ACCESS_TOKEN_SECONDS,
      clientId !== undefined ? { clientId } : undefined,
    );
    return {
      status: 200,
      body: JSON.stringify({
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: "bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
      }),
    };
  }

  // the SP-API -----------------------------------------------------------------------------------
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const route = routeOf(request.method, url.pathname);
    if (!route) return amazonErrors(404, "NotFound", "The requested resource does not exist.");
    // Read the body before any early answer (workerd refuses to read it after a response).
    const body = request.method === "POST" ? await jsonBody(request) : undefined;
    const faults = this.faults();
    const scale = faults.rateScale ?? 1;
    const plan = PLANS[route.op];
    const rateLimit = String(plan.rate * scale);
    if (faults.delayMs) await scheduler.wait(faults.delayMs);
    const now = this.now();

    // Who is calling: an access token, or a Restricted Data Token for this very path.
    const token = request.headers.get("x-amz-access-token");
    const cred = token ? this.store.credential(token) : undefined;
    if (!cred || cred.revoked || (cred.kind !== "access" && cred.kind !== "rdt")) {
      return unauthorized("The access token you provided is revoked, malformed or invalid.", rateLimit);
    }
    if (cred.expiresMs !== null && cred.expiresMs < now) {
      return unauthorized("The access token you provided has expired.", rateLimit);
    }
    if (cred.kind === "rdt") {
      const covered = rdtCovers(
        JSON.parse(cred.scope ?? '{"resources":[]}') as RdtScope,
        request.method,
        url.pathname,
      );
      if (!covered) {
        return unauthorized("The Restricted Data Token does not cover this resource.", rateLimit);
      }
    }
    const roles = await this.rolesOf(cred.scope);

    if (!this.store.takeToken(route.op, plan.rate * scale, plan.burst, now)) {
      return quotaExceeded(rateLimit);
    }
    const rolled = rollFault(faults, route.op, this.store.getSetting<number>("die") ?? 0);
    this.store.setSetting("die", rolled.dieState);
    if (rolled.fault) this.store.setSetting("faults", faults);
    if (rolled.fault === "throttle") {
      return quotaExceeded(rateLimit);
    }
    if (rolled.fault === "serverError") {
      const status = faults.serverErrors?.status ?? 503;
      return status === 500
        ? amazonErrors(
            500,
            "InternalFailure",
            "We encountered an internal error. Please try again.",
            "",
            rateLimit,
          )
        : amazonErrors(
            503,
            "ServiceUnavailable",
            "Service temporarily unavailable. Please try again.",
            "",
            rateLimit,
          );
    }
    if (
      rolled.fault === "malformed" &&
      route.op !== "confirmShipment" &&
      route.op !== "updateShipmentStatus"
    ) {
      return malformedAnswer(route.op, rateLimit);
    }

    if (rolled.fault === "lostRequest") return dropMarker();

    this.store.advance(now);
    const answer = this.answer(route, url, body, roles, cred.scope, now, rateLimit);
    if (route.op === "confirmShipment" && answer.status === 204) {
      await this.notify(route.orderId as string, "OrderStatusChange", "ShipmentConfirmed");
    }
    if (rolled.fault === "lostAnswer") {
      await answer.body?.cancel();
      return dropMarker();
    }
    return answer;
  }

  private answer(
    route: Route,
    url: URL,
    body: unknown,
    roles: readonly AppRole[],
    scope: string | null,
    now: number,
    rateLimit: string,
  ): Response {
    switch (route.op) {
      case "searchOrders":
        return searchOrders(this.store, url, roles, now, rateLimit);
      case "getOrder":
        return getOrder(this.store, route.orderId as string, url, roles, now, rateLimit);
      case "confirmShipment":
        return confirmShipment(this.store, route.orderId as string, body, now, rateLimit);
      case "updateShipmentStatus":
        return updateShipmentStatus(this.store, route.orderId as string, body, now, rateLimit);
      case "createRestrictedDataToken":
        return this.createRdt(body, now, rateLimit, roles, scope);
    }
  }

  private createRdt(
    raw: unknown,
    now: number,
    rateLimit: string,
    roles: readonly AppRole[],
    appScope: string | null,
  ): Response {
    const body = (typeof raw === "object" && raw !== null ? raw : {}) as { restrictedResources?: unknown };
    const list = body.restrictedResources;
    if (!Array.isArray(list) || list.length === 0 || list.length > 50) {
      return amazonErrors(
        400,
        "InvalidRequest",
        "Request is missing or has invalid parameters",
        "Resource not provided.",
        rateLimit,
      );
    }
    const resources: RdtScope["resources"] = [];
    for (const r of list as { method?: unknown; path?: unknown; dataElements?: unknown }[]) {
      if (
        typeof r.method !== "string" ||
        !["GET", "PUT", "POST", "DELETE"].includes(r.method) ||
        typeof r.path !== "string" ||
        !r.path.startsWith("/")
      ) {
        return amazonErrors(
          400,
          "InvalidRequest",
          "Request is missing or has invalid parameters",
          "Resource not provided.",
          rateLimit,
        );
      }
      if (r.dataElements !== undefined && !Array.isArray(r.dataElements)) {
        return invalidInput("dataElements must be a list.", rateLimit);
      }
      resources.push({
        method: r.method,
        path: r.path,
        ...(Array.isArray(r.dataElements) ? { dataElements: r.dataElements.map(String) } : {}),
      });
    }
    // Amazon refuses an RDT for a path that needs none (Orders API 2026-01-01 among them).
    if (resources.some((r) => !isRestrictedPath(r.method, r.path.split("?")[0] as string))) {
      return invalidInput("Application do not have access to some or all requested resource", rateLimit);
    }
    const refused = refusedDataElements(
      resources.flatMap((r) => r.dataElements ?? []),
      roles,
    );
    if (refused.length > 0) {
      return invalidInput(
        `Application does not have access to one or more requested data elements: [${[...new Set(refused)].join(", ")}]`,
        rateLimit,
      );
    }
    const rdt = newCredential("rdt", this.sellerId());
    let clientId: unknown;
    try {
      clientId = (JSON.parse(appScope ?? "{}") as { clientId?: unknown }).clientId;
    } catch {
      clientId = undefined;
    }
    this.store.issue(rdt, "rdt", now, ACCESS_TOKEN_SECONDS, {
      resources,
      ...(typeof clientId === "string" ? { clientId } : {}),
    });
    return amazonJson({ restrictedDataToken: rdt, expiresIn: ACCESS_TOKEN_SECONDS }, rateLimit);
  }
}

type Reply = { status: number; body: string };

/** One ORDER_CHANGE the order world sent as time passed (control answers list them). */
export type WorldNotification = { orderId: string; kind: "placed" | "cancelRequest"; notificationId: string };

type Destination = {
  name: string;
  destinationId: string;
  resource: { sqs: { arn: string } };
};

type SellerSubscription = {
  subscriptionId: string;
  payloadVersion: string;
  destinationId: string;
  processingDirective?: string;
  orderChangeTypes?: OrderChangeType[];
  clientId: string;
  queue: string;
};

function publicSubscription(s: SellerSubscription) {
  return {
    subscriptionId: s.subscriptionId,
    payloadVersion: s.payloadVersion,
    destinationId: s.destinationId,
    ...(s.processingDirective ? { processingDirective: JSON.parse(s.processingDirective) as Json } : {}),
  };
}

/** The Durable Object that keeps one app's approved roles (not a seller). */
export function appState(env: SandboxEnv, clientId: string) {
  return env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(`app:${clientId}`));
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

/** A 200 whose body breaks the model: the client must refuse it as a whole. */
function malformedAnswer(op: SandboxOperation, rateLimit: string): Response {
  const body =
    op === "createRestrictedDataToken"
      ? '{"restrictedDataToken": 42}'
      : op === "getOrder"
        ? '{"order": {"orderId": "202-0000000-0000000", "createdTime": "yesterday"}}'
        : '{"orders": [{"orderId": 12345, "createdTime": "not a date", "salesChannel": {}}], "pagination": {"nextToken": ';
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-RateLimit-Limit": rateLimit },
  });
}
