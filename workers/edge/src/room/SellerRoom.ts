import { DurableObject } from "cloudflare:workers";
import type { ZplDpi } from "@consign/couriers";
import { ConsignError, type CourierId, ErrorCode, type ParcelPlan } from "@consign/domain";
import type { OrderChange } from "@consign/sp-api";
import { setRecordCacheLimit } from "@consign/sync";
import type { NewWebhookEndpoint } from "../api/backend.ts";
import type { SavedResponse } from "../api/idempotency.ts";
import type { OrderQuery } from "../api/select.ts";
import type { Identity } from "../auth/identity.ts";
import type { Env } from "../env.ts";
import { capture, type Result } from "../http/result.ts";
import type { AddressCorrectionInput } from "./address-correction.ts";
import { SimulatedClock } from "./clock.ts";
import type { NewCollection } from "./collections.ts";
import { createSellerCore, type SellerCore } from "./core.ts";
import type { OrderDocumentKind } from "./documents.ts";
import type { NewReturn } from "./returns.ts";
import type { SettingsPatch } from "./settings.ts";
import { daySpend } from "./spend.ts";
import type { ShippingOverride } from "./worked-out.ts";

export const IDENTITY_HEADER = "x-consign-identity";

/**
 * One per seller: the Yjs room, the update log and snapshot, the archive, the label ledger,
 * the dispatch confirmation queue, the encrypted credentials and the alarms that drive them.
 * A thin adapter: each RPC method hands over to the seller's core (./core.ts) and returns a
 * Result, so expected failures cross the RPC boundary as values.
 */
export class SellerRoom extends DurableObject<Env> {
  private readonly core: SellerCore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const cache = Number(env.ROOM_RECORD_CACHE);
    if (env.ROOM_RECORD_CACHE !== undefined && Number.isFinite(cache) && cache >= 0)
      setRecordCacheLimit(cache);
    this.core = createSellerCore(ctx, env);
  }

  async ping(): Promise<{ at: number }> {
    return { at: Date.now() };
  }

  /**
   * Moves this room's simulated clock forward (./clock.ts) and re-arms its alarm at the new time.
   * Only the /_dev/clock route calls it, and only where SIMULATED_CLOCK=true.
   */
  advanceClock(ms: number) {
    return capture(async () => {
      const clock = this.core.clock;
      if (!(clock instanceof SimulatedClock))
        throw new ConsignError(
          ErrorCode.NotFound,
          "This room reads the system clock (SIMULATED_CLOCK is not set).",
        );
      const now = clock.advance(ms);
      await this.core.rearm();
      // What the room waits for once moved: its pending sleeps on the clock (a rate limit, a retry's
      // backoff), its earliest due job, and the jobs still running (doing real work, not waiting).
      return { now, offsetMs: clock.offsetMs(), sleepingUntil: clock.nextWake(), ...this.core.waits() };
    });
  }

  /**
   * The month simulation's "room evicted mid-batch": the Durable Object is reset as Cloudflare does
   * when it moves or restarts one (in-memory state gone, sockets closed, SQLite kept). Only where
   * SIMULATED_CLOCK=true; the /_dev/evict route is the only caller.
   */
  simulateEviction() {
    return capture(() => {
      if (!(this.core.clock instanceof SimulatedClock))
        throw new ConsignError(
          ErrorCode.NotFound,
          "This room is not simulated (SIMULATED_CLOCK is not set).",
        );
      // Answer first, then reset: the caller hears that it happened.
      setTimeout(() => this.ctx.abort("simulated eviction"), 10);
      return { evicted: true as const };
    });
  }

  /**
   * Starts a new generation of the live document now, as archiving does when tombstones dominate:
   * every connected device is told to reload (4409) and carries its unsynced edits across. Only the
   * demo stack (SEED_DEMO=true) calls it, through /_dev/rebase, to try that journey by hand.
   */
  rebaseDocument() {
    return capture(() => {
      this.core.sync.rebase();
      return { generation: this.core.sync.generation };
    });
  }

  // --- access ----------------------------------------------------------------------------------
  assertActive(identity: Identity): Promise<Result<true>> {
    return capture(() => {
      this.core.revocations.check(identity);
      if (identity.kind === "api-key") this.core.apiKeyUsed(identity.sessionId, Date.now());
      return true as const;
    });
  }
  /** When each API key was last used (the edge verifies keys itself; the room sees every request). */
  apiKeysLastUsed(): Promise<Record<string, number>> {
    return Promise.resolve(this.core.apiKeysLastUsed());
  }
  async revokeSessions(sessionIds: string[]): Promise<void> {
    this.core.revokeSessions(sessionIds);
  }
  async revokeUser(userId: string, at: number, why: string): Promise<void> {
    this.core.revokeUser(userId, at, why);
  }

  // --- sync ------------------------------------------------------------------------------------
  override async fetch(request: Request): Promise<Response> {
    return this.core.acceptSocket(request);
  }
  override webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): void {
    this.core.sync.webSocketMessage(ws, message);
    this.core.afterTeamEdit();
  }
  override webSocketClose(ws: WebSocket, code: number, reason: string, wasClean: boolean): void {
    this.core.sync.webSocketClose(ws, code, reason, wasClean);
  }
  override webSocketError(ws: WebSocket, error: unknown): void {
    this.core.sync.webSocketError(ws, error);
  }
  override async alarm(): Promise<void> {
    await this.core.onAlarm(this.core.clock.now());
  }

  // --- orders, labels, dispatch (the API and the PWA's commands) --------------------------------
  listOrders(query: OrderQuery, now: number) {
    return capture(() => this.core.listOrders(query, this.core.clock.fromReal(now)));
  }
  dispatchClock() {
    return capture(() => this.core.dispatchClock());
  }
  /** A new device's first screen (./first-screen.ts), painted while the whole document comes. */
  firstScreen(sellerId: string) {
    return capture(() => this.core.firstScreen(sellerId));
  }
  getOrder(orderId: string) {
    return capture(() => this.core.getOrder(orderId));
  }
  changesAfter(after: number, limit: number) {
    return capture(() => this.core.changesAfter(after, limit));
  }
  startLabelRun(identity: Identity, orderIds: string[], idempotencyKey: string) {
    return capture(() => this.core.startLabelRun(identity, orderIds, idempotencyKey));
  }
  getLabelRun(runId: string) {
    return capture(() => this.core.labelRuns.view(runId));
  }
  labelPdf(orderId: string, zplDpi?: ZplDpi) {
    return capture(() => this.core.labelPdf(orderId, zplDpi));
  }
  setOrderShipping(identity: Identity, orderId: string, change: ShippingOverride) {
    return capture(() => this.core.setOrderShipping(identity, orderId, change));
  }
  correctAddress(identity: Identity, orderId: string, input: AddressCorrectionInput | null) {
    return capture(() => this.core.correctAddress(identity, orderId, input));
  }
  splitOrder(identity: Identity, orderId: string, parcels: ParcelPlan[]) {
    return capture(() => this.core.splitOrder(identity, orderId, parcels));
  }
  labelDocuments(orderIds: string[]) {
    return capture(() => this.core.labelDocuments(orderIds));
  }
  runLabelsPdf(runId: string) {
    return capture(() => this.core.runLabelsPdf(runId));
  }
  orderDocument(kind: OrderDocumentKind, source: { runId: string } | { orderIds: string[] }) {
    return capture(() => this.core.orderDocument(kind, source));
  }
  acceptCancellation(identity: Identity, orderId: string) {
    return capture(() => this.core.acceptCancellation(identity, orderId));
  }
  voidLabel(identity: Identity, orderId: string) {
    return capture(() => this.core.voidLabel(identity, orderId));
  }
  dispatch(identity: Identity, orderIds: string[]) {
    return capture(() => this.core.dispatch(identity, orderIds));
  }

  // --- courier collections (./collections.ts) ----------------------------------------------------
  bookCollection(identity: Identity, wanted: NewCollection) {
    return capture(() => this.core.collections.book(identity, wanted));
  }
  listCollections(from?: string) {
    return capture(() => this.core.collections.list(from));
  }
  viewCollection(id: string) {
    return capture(async () => (await this.core.collections.view(id)) ?? null);
  }
  cancelCollection(id: string) {
    return capture(() => this.core.collections.cancel(id));
  }

  // --- returns labels for sent orders (./returns.ts) --------------------------------------------
  createReturn(identity: Identity, orderId: string, wanted: NewReturn) {
    return capture(() => this.core.returns.create(identity, orderId, wanted));
  }
  listReturns(orderId?: string) {
    return capture(() => (orderId ? this.core.returns.forOrder(orderId) : this.core.returns.list(200)));
  }
  getReturn(id: string) {
    return capture(() => this.core.returns.get(id) ?? null);
  }
  returnDocument(id: string) {
    return capture(() => this.core.returns.document(id) ?? null);
  }

  // --- the courier day: end-of-day manifests and their settings (./courier-day.ts) ---------------
  closeDay(identity: Identity) {
    return capture(() => this.core.courierDay.close(identity.name));
  }
  retryManifest(identity: Identity, id: string) {
    return capture(() => this.core.courierDay.retry(id, identity.name));
  }
  listManifests(limit: number) {
    return capture(() => this.core.courierDay.endOfDay.list(limit));
  }
  getManifest(id: string) {
    return capture(() => this.core.courierDay.endOfDay.get(id));
  }
  manifestDocument(id: string) {
    return capture(() => this.core.courierDay.endOfDay.document(id));
  }
  courierDaySettings() {
    return capture(() => this.core.courierDay.settings());
  }
  patchCourierDay(patch: unknown) {
    return capture(() => this.core.courierDay.patchSettings(patch));
  }
  courierHealth() {
    return capture(() => ({
      couriers: this.core.failover.states(),
      reconciled: this.core.failover.reconciliations(),
    }));
  }
  daySpend(day: string) {
    return capture(() => daySpend(this.ctx.storage.sql, day));
  }
  markCourierUp(courier: CourierId) {
    return capture(() => {
      this.core.failover.markUp(courier);
      return this.core.failover.states();
    });
  }
  metrics(now: number) {
    return capture(() => this.core.metrics(this.core.clock.fromReal(now)));
  }
  exportOrders(from: number, to: number) {
    return capture(() => this.core.exportOrders(from, to));
  }
  archiveMonth(month: string) {
    return capture(() => this.core.archive.month(month));
  }
  archiveMonths() {
    return capture(() => this.core.archive.months());
  }

  // --- settings, rules, couriers, Amazon ---------------------------------------------------------
  getRules() {
    return capture(() => this.core.getRules());
  }
  putRules(identity: Identity, rules: unknown) {
    return capture(() => this.core.putRules(identity, rules));
  }
  /** The room's time (./clock.ts): what deadlines, cut-offs and ship-by risk are read on. */
  clockNow() {
    return capture(() => ({ now: this.core.clock.now() }));
  }

  getSettings() {
    return capture(() => this.core.getSettings());
  }
  patchSettings(identity: Identity, patch: SettingsPatch) {
    return capture(() => this.core.patchSettings(identity, patch));
  }
  setCourier(courier: CourierId, credentials: unknown) {
    return capture(() => this.core.setCourier(courier, credentials));
  }
  courierStatus() {
    return capture(() => this.core.couriers.status());
  }
  amazonConsentUrl(sellerId: string) {
    return capture(() => this.core.amazon.consentUrl(sellerId, Date.now()));
  }
  amazonFinishConnect(code: string, sellingPartnerId: string) {
    return capture(() => this.core.finishAmazonConnect(code, sellingPartnerId));
  }
  /** An ORDER_CHANGE notification routed here by the poller: read the order again and store it. */
  amazonOrderChanged(change: OrderChange) {
    return capture(() => this.core.amazon.applyChange(change));
  }
  /** This seller's ORDER_CHANGE subscription to the application's destination. */
  amazonSubscribe(destinationId: string) {
    return capture(() => this.core.amazon.subscribeOrderChange(destinationId));
  }
  amazonStatus() {
    return capture(() => this.core.amazon.status());
  }
  amazonDisconnect() {
    return capture(() => this.core.amazon.disconnect());
  }
  officialHealth() {
    return capture(() => this.core.officialHealth(this.core.clock.now()));
  }
  stock() {
    return capture(() => {
      const view = this.core.health.stockView();
      return {
        levels: Object.fromEntries(view.levels),
        available: Object.fromEntries(view.available),
        unfillable: view.unfillable,
        lowStock: view.lowStock,
        pushedToAmazon: this.core.health.listingsStatus(),
      };
    });
  }
  adjustStock(identity: Identity, changes: { sku: string; delta: number }[]) {
    return capture(async () => {
      await this.core.adjustStock(identity, changes);
      return true as const;
    });
  }
  reviewRequests() {
    return capture(() => this.core.health.reviewRequests());
  }
  setReviewRequests(on: boolean) {
    return capture(() => this.core.health.setReviewRequests(on));
  }
  seedDemo(sellerId: string) {
    return capture(() => this.core.seedDemo(sellerId));
  }

  // --- API plumbing: webhooks, rate limits, idempotency -----------------------------------------
  createWebhook(identity: Identity, input: NewWebhookEndpoint) {
    return capture(() => this.core.api.webhooks.endpoints.create(input, identity.userId, Date.now()));
  }
  listWebhooks() {
    return capture(() => this.core.api.webhooks.endpoints.list(this.core.clock.now()));
  }
  rotateWebhookSecret(id: string, graceMs: number) {
    return capture(() => this.core.api.webhooks.endpoints.rotate(id, this.core.clock.now(), graceMs));
  }
  retryWebhook(id: string, messageId?: string) {
    return capture(() => this.core.retryWebhook(id, messageId));
  }
  deleteWebhook(id: string) {
    return capture(() => this.core.deleteWebhook(id));
  }
  webhookDeliveries(id: string, limit: number) {
    return capture(() => this.core.api.webhooks.deliveries(id, limit));
  }
  consumeRate(key: string, now: number, cost?: number) {
    return capture(() => this.core.api.rate.consume(key, now, cost));
  }
  idempotencyBegin(scope: string, key: string, fingerprint: string, now: number) {
    return capture(() => this.core.api.idempotency.begin(scope, key, fingerprint, now));
  }
  idempotencyComplete(scope: string, key: string, response: SavedResponse) {
    return capture(() => {
      this.core.api.idempotency.complete(scope, key, response);
      return true as const;
    });
  }
  idempotencyRelease(scope: string, key: string) {
    return capture(() => {
      this.core.api.idempotency.release(scope, key);
      return true as const;
    });
  }
}

export function readIdentity(request: Request): Identity | null {
  const raw = request.headers.get(IDENTITY_HEADER);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Identity;
  } catch {
    return null;
  }
}
