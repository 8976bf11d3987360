// A test double for SellerBackend: orders, rules and webhooks in memory, one per seller, counting
// the calls that must happen once. The real one is the SellerRoom Durable Object.
import {
  ConsignError,
  computeMetrics,
  ErrorCode,
  type Order,
  type ParcelPlan,
  type ShippingRule,
  splitIntoPackages,
} from "@consign/domain";
import type {
  DispatchOutcome,
  IdempotencyBegin,
  LabelDocument,
  LabelRunStarted,
  LabelRunView,
  NewWebhookEndpoint,
  OrderPage,
  OrderQuery,
  RateDecision,
  SavedResponse,
  SellerBackend,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
  WebhookRetry,
} from "../src/api/backend.ts";
import { MemoryBucketStore, RateLimiter, type RatePolicy } from "../src/api/rate-limit.ts";
import { ordersTouching, selectOrders } from "../src/api/select.ts";
import type { Identity } from "../src/auth/identity.ts";
import { capture, type Result } from "../src/http/result.ts";
import type { ChangePage } from "../src/room/changes.ts";
import { type OrderDocumentKind, orderDocument } from "../src/room/documents.ts";
import type { ShippingOverride } from "../src/room/worked-out.ts";

export class FakeSellerBackend implements SellerBackend {
  readonly orders = new Map<string, Order>();
  readonly labels = new Map<string, LabelDocument>();
  readonly runs = new Map<string, LabelRunView>();
  readonly calls = { startLabelRun: 0, dispatch: 0, voidLabel: 0, createWebhook: 0, putRules: 0 };
  readonly labelRunKeys: string[] = [];
  rules: ShippingRule[] = [];
  webhooks: (WebhookEndpointRecord & { secret: string })[] = [];
  deliveries: WebhookDeliveryRecord[] = [];
  ratePolicy: RatePolicy = { capacity: 1000, refillPerSecond: 1000 };
  /** Makes startLabelRun take this long, to hold a request "in flight". */
  labelRunDelayMs = 0;
  private readonly limiter = new RateLimiter(new MemoryBucketStore(), () => this.ratePolicy);
  private readonly idem = new Map<string, { fingerprint: string; response?: SavedResponse }>();

  constructor(readonly sellerId: string) {}

  add(...orders: Order[]): this {
    for (const o of orders) this.orders.set(o.orderId, o);
    return this;
  }

  private get(orderId: string): Order {
    const order = this.orders.get(orderId);
    if (!order) throw new ConsignError(ErrorCode.NotFound, `No order ${orderId}.`);
    return order;
  }

  listOrders(query: OrderQuery, now: number): Promise<Result<OrderPage>> {
    return capture(() => selectOrders(this.orders.values(), query, now));
  }
  dispatchClock(): Promise<Result<{ now: number; cutoff: string }>> {
    return capture(() => ({ now: Date.now(), cutoff: "17:00" }));
  }
  getOrder(orderId: string): Promise<Result<Order | null>> {
    return capture(() => this.orders.get(orderId) ?? null);
  }
  /** The fake keeps no change feed: an empty page (the real one is tested against the room). */
  changesAfter(after: number, _limit: number): Promise<Result<ChangePage>> {
    return capture(() => ({ changes: [], next: after, hasMore: false }));
  }
  startLabelRun(
    _identity: Identity,
    orderIds: string[],
    idempotencyKey: string,
  ): Promise<Result<LabelRunStarted>> {
    return capture(async () => {
      this.calls.startLabelRun++;
      this.labelRunKeys.push(idempotencyKey);
      orderIds.forEach((id, i) => {
        if (!this.orders.has(id)) {
          throw new ConsignError(ErrorCode.NotFound, `No order ${id}.`, [
            { path: `orderIds.${i}`, message: "not found" },
          ]);
        }
      });
      if (this.labelRunDelayMs) await new Promise((r) => setTimeout(r, this.labelRunDelayMs));
      const runId = `run_${this.calls.startLabelRun}`;
      this.runs.set(runId, {
        runId,
        state: "running",
        startedAt: Date.now(),
        orders: orderIds.map((orderId) => ({ orderId, status: "queued" })),
      });
      return { runId, orderIds };
    });
  }
  getLabelRun(runId: string): Promise<Result<LabelRunView | null>> {
    return capture(() => this.runs.get(runId) ?? null);
  }
  labelPdf(orderId: string): Promise<Result<LabelDocument | null>> {
    return capture(() => this.labels.get(orderId) ?? null);
  }
  voidLabel(
    _identity: Identity,
    orderId: string,
  ): Promise<Result<{ orderId: string; voidedShipmentId: string }>> {
    return capture(() => {
      this.calls.voidLabel++;
      const order = this.get(orderId);
      const active = order.shipments.find((s) => s.voidedAt === undefined);
      if (!active)
        throw new ConsignError(ErrorCode.IllegalTransition, `Order ${orderId} has no label to void.`);
      active.voidedAt = Date.now();
      return { orderId, voidedShipmentId: active.id };
    });
  }
  orderDocument(kind: OrderDocumentKind, source: { runId: string } | { orderIds: string[] }) {
    return capture(() => {
      const ids =
        "runId" in source
          ? (this.runs.get(source.runId)?.orders.map((o) => o.orderId) ??
            (() => {
              throw new ConsignError(ErrorCode.NotFound, `No label run ${source.runId} for this seller.`);
            })())
          : source.orderIds;
      return orderDocument(kind, ids, { order: (id) => this.orders.get(id) });
    });
  }
  labelDocuments(orderIds: string[]) {
    return capture(() => ({
      documents: orderIds
        .filter((id) => this.labels.has(id))
        .map((orderId) => ({ orderId, pdf: this.labels.get(orderId)!.bytes })),
      missing: orderIds
        .filter((id) => !this.labels.has(id))
        .map((orderId) => ({ orderId, reason: "no label bought", code: "no_label" as const })),
    }));
  }
  runLabelsPdf(runId: string) {
    return capture(() => {
      const run = this.runs.get(runId);
      if (!run) throw new ConsignError(ErrorCode.NotFound, `No label run ${runId} for this seller.`);
      const included = run.orders.filter((o) => this.labels.has(o.orderId)).map((o) => o.orderId);
      return {
        documents: included.map((orderId) => ({ orderId, pdf: this.labels.get(orderId)!.bytes })),
        missing: run.orders
          .filter((o) => !this.labels.has(o.orderId))
          .map((o) => ({ orderId: o.orderId, reason: "no label bought", code: "no_label" as const })),
        running: run.state === "running",
      };
    });
  }
  correctAddress(
    identity: Identity,
    orderId: string,
    input: { address: Order["recipient"] & object; reason?: string | undefined } | null,
  ): Promise<Result<Order>> {
    return capture(() => {
      const order = this.get(orderId);
      if (input === null) delete order.addressCorrection;
      else
        order.addressCorrection = {
          address: input.address,
          at: Date.now(),
          by: identity.name,
          ...(input.reason ? { reason: input.reason } : {}),
        };
      return order;
    });
  }
  splitOrder(_identity: Identity, orderId: string, parcels: ParcelPlan[]): Promise<Result<Order>> {
    return capture(() => {
      const order = this.get(orderId);
      const packages = splitIntoPackages(order, parcels);
      if (packages) order.packages = packages;
      else delete order.packages;
      return order;
    });
  }
  setOrderShipping(_identity: Identity, orderId: string, change: ShippingOverride): Promise<Result<Order>> {
    return capture(() => {
      const order = this.get(orderId);
      if (change.package !== undefined)
        order.package = change.package ? { ...change.package, source: "entered" } : undefined;
      if (change.service !== undefined)
        order.service = change.service ? { ...change.service, source: "override" } : undefined;
      return order;
    });
  }
  acceptCancellation(
    _identity: Identity,
    orderId: string,
  ): Promise<Result<{ orderId: string; state: "cancelled" | "processing"; feedId: string | null }>> {
    return capture(() => {
      const order = this.get(orderId);
      if (!order.buyerCancellationRequested)
        throw new ConsignError(
          ErrorCode.IllegalTransition,
          `The buyer has not asked to cancel order ${orderId}.`,
        );
      order.state = "cancelled";
      order.cancelledBy = "buyer";
      return { orderId, state: "cancelled" as const, feedId: "fake-feed" };
    });
  }
  dispatch(_identity: Identity, orderIds: string[]): Promise<Result<DispatchOutcome>> {
    return capture(() => {
      this.calls.dispatch++;
      const outcome: DispatchOutcome = { queued: [], refused: [] };
      for (const id of orderIds) {
        const order = this.orders.get(id);
        if (!order) outcome.refused.push({ orderId: id, reason: "No such order." });
        else if (order.state !== "printed" && order.state !== "label_bought") {
          outcome.refused.push({
            orderId: id,
            reason: `It is ${order.state}: buy and print its label first.`,
          });
        } else {
          this.orders.set(id, {
            ...order,
            state: "dispatched",
            dispatchedAt: Date.now(),
            confirmation: { state: "pending", attempts: 0 },
          });
          outcome.queued.push(id);
        }
      }
      return outcome;
    });
  }
  metrics(now: number) {
    return capture(() => computeMetrics([...this.orders.values()], now));
  }
  getRules(): Promise<Result<ShippingRule[]>> {
    return capture(() => this.rules);
  }
  putRules(_identity: Identity, rules: ShippingRule[]): Promise<Result<ShippingRule[]>> {
    return capture(() => {
      this.calls.putRules++;
      this.rules = rules;
      return rules;
    });
  }
  exportOrders(from: number, to: number): Promise<Result<Order[]>> {
    return capture(() => ordersTouching(this.orders.values(), from, to));
  }
  createWebhook(_identity: Identity, input: NewWebhookEndpoint) {
    return capture(() => {
      this.calls.createWebhook++;
      const record = {
        id: `whep_${this.webhooks.length + 1}`,
        url: input.url,
        description: input.description ?? null,
        events: input.events,
        status: "active" as const,
        createdAt: Date.now(),
        failingSince: null,
        lastError: null,
        secretRotatedAt: null as number | null,
        previousSecretExpiresAt: null as number | null,
        failedDeliveries: 0,
        waitingDeliveries: 0,
        secret: "whsec_dGVzdC1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==",
      };
      this.webhooks.push(record);
      return record;
    });
  }
  listWebhooks(): Promise<Result<WebhookEndpointRecord[]>> {
    return capture(() => this.webhooks.map(({ secret: _s, ...e }) => e));
  }
  rotateWebhookSecret(id: string, graceMs: number) {
    return capture(() => {
      const endpoint = this.webhooks.find((w) => w.id === id);
      if (!endpoint) throw new ConsignError(ErrorCode.NotFound, `No webhook endpoint ${id}.`);
      const now = Date.now();
      Object.assign(endpoint, {
        secret: `whsec_${btoa(crypto.randomUUID())}`,
        secretRotatedAt: now,
        previousSecretExpiresAt: graceMs > 0 ? now + graceMs : null,
      });
      return { ...endpoint };
    });
  }
  retryWebhook(id: string, messageId?: string): Promise<Result<WebhookRetry>> {
    return capture(() => {
      if (!this.webhooks.some((w) => w.id === id))
        throw new ConsignError(ErrorCode.NotFound, `No webhook endpoint ${id}.`);
      const ids = [
        ...new Set(
          this.deliveries
            .filter((d) => d.endpointId === id && d.messageState !== "delivered")
            .map((d) => d.messageId),
        ),
      ].filter((m) => messageId === undefined || m === messageId);
      return { retried: ids.length, messageIds: ids };
    });
  }
  deleteWebhook(id: string): Promise<Result<true>> {
    return capture(() => {
      const before = this.webhooks.length;
      this.webhooks = this.webhooks.filter((w) => w.id !== id);
      if (this.webhooks.length === before)
        throw new ConsignError(ErrorCode.NotFound, `No webhook endpoint ${id}.`);
      return true as const;
    });
  }
  webhookDeliveries(id: string, limit: number): Promise<Result<WebhookDeliveryRecord[] | null>> {
    return capture(() =>
      this.webhooks.some((w) => w.id === id)
        ? this.deliveries.filter((d) => d.endpointId === id).slice(0, limit)
        : null,
    );
  }
  consumeRate(key: string, now: number, cost?: number): Promise<Result<RateDecision>> {
    return capture(() => this.limiter.consume(key, now, cost));
  }
  idempotencyBegin(scope: string, key: string, fingerprint: string): Promise<Result<IdempotencyBegin>> {
    return capture((): IdempotencyBegin => {
      const entry = this.idem.get(`${scope}\n${key}`);
      if (!entry) {
        this.idem.set(`${scope}\n${key}`, { fingerprint });
        return { outcome: "started" };
      }
      if (entry.fingerprint !== fingerprint) return { outcome: "mismatch" };
      return entry.response ? { outcome: "replay", response: entry.response } : { outcome: "in_flight" };
    });
  }
  idempotencyComplete(scope: string, key: string, response: SavedResponse): Promise<Result<true>> {
    return capture(() => {
      const entry = this.idem.get(`${scope}\n${key}`);
      if (entry) entry.response = response;
      return true as const;
    });
  }
  idempotencyRelease(scope: string, key: string): Promise<Result<true>> {
    return capture(() => {
      const entry = this.idem.get(`${scope}\n${key}`);
      if (entry && !entry.response) this.idem.delete(`${scope}\n${key}`);
      return true as const;
    });
  }
}

/** One fake per seller; `backendFor` is what the router is given. */
export class FakeBackends {
  readonly bySeller = new Map<string, FakeSellerBackend>();
  readonly asked: string[] = [];
  for(sellerId: string): FakeSellerBackend {
    let fake = this.bySeller.get(sellerId);
    if (!fake) {
      fake = new FakeSellerBackend(sellerId);
      this.bySeller.set(sellerId, fake);
    }
    return fake;
  }
  readonly backendFor = (_env: unknown, sellerId: string): SellerBackend => {
    this.asked.push(sellerId);
    return this.for(sellerId);
  };
}
