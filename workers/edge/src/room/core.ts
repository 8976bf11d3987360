// The seller's room, assembled: the live document (RoomSync), revocations, the archive, Amazon,
// couriers, label runs, the API's state and the alarm schedule. SellerRoom.ts only adapts RPC.
import type { ZplDpi } from "@consign/couriers";
import {
  type ActionContext,
  activeShipment,
  ConsignError,
  type CourierId,
  compileRules,
  confirmPackage,
  dispatchCutoffOf,
  ErrorCode,
  hasLabel,
  nextUkTime,
  type Order,
  type ParcelPlan,
  splitIntoPackages,
  stockShortfalls,
  ukTimeOnDay,
  validateRules,
} from "@consign/domain";
import {
  adjustStock,
  applyOrderAction,
  listOrders,
  readOrder,
  readSetting,
  removeOrders,
  selectForArchive,
  stockLevels,
  upsertOrders,
  writeOrder,
  writeSetting,
} from "@consign/sync";
import type { ConfirmationResult } from "../amazon/index.ts";
import { policyForCallerWith } from "../api/rate-limit.ts";
import { ApiRoomServices, orderEvent } from "../api/room-services.ts";
import {
  type DispatchClock,
  type FeedOrder,
  liveAndArchived,
  type OrderQuery,
  ordersTouching,
  readsArchive,
  selectOrders,
} from "../api/select.ts";
import type { WebhookEventType } from "../api/webhooks/events.ts";
import { deliveryFetch, resolverFor } from "../api/webhooks/target.ts";
import { deviceOf, type Identity } from "../auth/identity.ts";
import type { Env } from "../env.ts";
import { type CourierSet, createCourierSet, testCourierConnection } from "../labels/couriers.ts";
import { LabelLedger } from "../labels/ledger.ts";
import {
  isSplit,
  orderLabelDocument,
  orderLabelZpl,
  voidParcelLabels,
  withParcelLabelsVoided,
} from "../labels/parcels.ts";
import { collectLabels } from "../labels/run-file.ts";
import { type AddressCorrectionInput, correctAddress } from "./address-correction.ts";
import { AlarmSchedule, type JobName, JobRunner } from "./alarms.ts";
import { AmazonLink } from "./amazon.ts";
import { OrderArchive } from "./archive.ts";
import { BuyerCancellations } from "./cancellations.ts";
import { type ChangeDetail, OrderChanges, type OrderRevision } from "./changes.ts";
import { roomClock } from "./clock.ts";
import { Collections } from "./collections.ts";
import { CourierDay, readCourierDay } from "./courier-day.ts";
import { CourierVault, courierCredentialSchemas } from "./courier-vault.ts";
import { DeliveryTracking } from "./deliveries.ts";
import { seedDemoSeller } from "./demo.ts";
import { type OrderDocumentKind, orderDocument } from "./documents.ts";
import { CourierFailover, PROBE_EVERY_MS } from "./failover.ts";
import { RunFailover } from "./failover-runs.ts";
import { teamFirstScreen } from "./first-screen.ts";
import { HealthLink } from "./health.ts";
import { LabelRuns } from "./label-runs.ts";
import { RoomMetrics } from "./metrics.ts";
import { NotesSettle } from "./notes-settle.ts";
import { OrderWatch } from "./order-watch.ts";
import { PrintClaims } from "./print-claims.ts";
import { Returns } from "./returns.ts";
import { Revocations } from "./revocations.ts";
import { readIdentity } from "./SellerRoom.ts";
import { readRules, readSender, SETTING, type SettingsPatch, settingsPatchSchema } from "./settings.ts";
import { RoomSync } from "./sync/RoomSync.ts";
import {
  overrideShipping,
  readWeightInputs,
  type ShippingOverride,
  WorkedOut,
  workOutInto,
} from "./worked-out.ts";

/**
 * How long an alarm waits for its jobs before returning (see onAlarm). While it waits no other alarm
 * fires: a parcel printed meanwhile waited for it before its confirmation started (the simulated
 * month: 60 confirmation waits of 1.5–2.6 s, two thirds of the driver's confirmation time, while a
 * job slept on a rate limit). Jobs still running go on after it returns.
 */
const ALARM_WAIT_MS = 250;
const DAY = 86_400_000;
/** When the nightly archive runs (UK time): after the evening's dispatches, before the morning's. */
const ARCHIVE_AT = "02:30";
/** Tombstones past which the room renews the document even while devices are connected. */
const REBASE_WHILE_BUSY_TOMBSTONES = 50_000;
/** How long no device may have written before a connected team counts as away (small hours only). */
export const QUIET_AFTER_MS = 20 * 60_000;
/**
 * How many tombstones it takes for the archive run to renew the live document. A new generation
 * makes every connected device reload, so the usual threshold applies only when nobody is connected,
 * or in the small hours (01:00–05:00 UK) once no device has written for QUIET_AFTER_MS: a tablet left
 * on overnight does not hold the renewal off, a night shift that is packing is not interrupted. Else
 * only a document far past it is renewed.
 */
export function rebaseThreshold(
  now: number,
  connectedDevices: number,
  lastDeviceWriteAt: number,
): number | undefined {
  const hour = Math.floor((now - ukTimeOnDay(now, "00:00")) / 3_600_000);
  const idle = now - lastDeviceWriteAt >= QUIET_AFTER_MS;
  const quiet = connectedDevices === 0 || (hour >= 1 && hour < 5 && idle);
  return quiet ? undefined : REBASE_WHILE_BUSY_TOMBSTONES;
}

/** Dispatched orders stay in the live document this long, then move to the archive. */
export const KEEP_CLOSED_DAYS = 3;
const SERVER = "server";

export type SellerCore = ReturnType<typeof createSellerCore>;

/** A whole number of seconds from the environment, or `fallback` when unset; refuses anything else by name. */
export function secondsSetting(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number of seconds; it is "${value}"`);
  return n;
}

export function createSellerCore(ctx: DurableObjectState, env: Env) {
  const sql = ctx.storage.sql;
  /** The one clock the room reads (./clock.ts): the system clock unless SIMULATED_CLOCK=true. */
  const clock = roomClock(sql, env);
  const firstTrackingCheckMs =
    secondsSetting(env.TRACKING_FIRST_CHECK_SECONDS, "TRACKING_FIRST_CHECK_SECONDS", 60) * 1000;
  const sync = new RoomSync(ctx, { now: () => clock.now() });
  const revocations = new Revocations(sql);
  const archive = new OrderArchive(sql);
  const metricFacts = new RoomMetrics(archive);
  const alarms = new AlarmSchedule(sql, ctx.storage, clock);
  const couriers = new CourierVault(sql, env.CREDENTIALS_KEY);
  const api = new ApiRoomServices(
    sql,
    env.CREDENTIALS_KEY,
    { resolve: resolverFor(env) },
    policyForCallerWith(env.DEVICE_RATE_LIMIT),
  );
  const webhookFetch = deliveryFetch(env, (u, i) => fetch(u, i));
  const changes = new OrderChanges(sql);
  sql.exec("CREATE TABLE IF NOT EXISTS stock_short (order_id TEXT PRIMARY KEY, since INTEGER NOT NULL)");
  sql.exec("CREATE TABLE IF NOT EXISTS api_key_use (key_id TEXT PRIMARY KEY, at INTEGER NOT NULL)");
  /** Last write of each key's use: written at most once a minute per key. */
  const keyUseWritten = new Map<string, number>();
  const room = {
    get doc() {
      return sync.doc;
    },
    transact: (fn: Parameters<RoomSync["transact"]>[0], origin: unknown = SERVER) => {
      sync.transact(fn, origin);
    },
  };

  const amazon: AmazonLink = new AmazonLink(
    sql,
    env,
    {
      onOrders: async (orders) => importOrders(orders),
      onConfirmation: (orderId, result, packageReferenceId) =>
        recordConfirmation(orderId, result, packageReferenceId),
    },
    clock,
  );

  let ledger: LabelLedger | null = null;
  let courierSet: CourierSet | null = null;
  /** The seller's courier adapters with their stored credentials, rebuilt when those change. */
  async function courierAdapters(): Promise<CourierSet> {
    if (courierSet) return courierSet;
    const credentials = await couriers.credentials(() => amazon.accessToken());
    courierSet = createCourierSet(env, credentials);
    return courierSet;
  }
  async function labelLedger(): Promise<LabelLedger> {
    if (ledger) return ledger;
    const set = await courierAdapters();
    ledger = new LabelLedger({
      sql,
      labels: env.LABELS,
      adapterFor: (c) => set.adapterFor(c),
      labelPrefix: ctx.id.toString(),
      now: () => clock.now(),
    });
    return ledger;
  }

  const failover = new CourierFailover(sql, () => clock.now());
  const runFailover = new RunFailover({
    sql,
    room,
    failover,
    enabled: () => readCourierDay(room).failover,
    onDown: () => void alarms.request("failover", clock.now() + PROBE_EVERY_MS),
  });
  const labelRuns = new LabelRuns(sql, room, labelLedger, () => clock.now(), runFailover);
  // Returns labels for sent orders (./returns.ts), from couriers that offer returns.
  const returns = new Returns(
    sql,
    room,
    async (c) => (await courierAdapters()).returnsFor(c),
    () => clock.now(),
  );
  // Courier collections for a day (./collections.ts).
  const collections = new Collections(
    sql,
    room,
    async (c) => (await courierAdapters()).collectionsFor(c),
    () => clock.now(),
  );
  const courierDay = new CourierDay({
    sql,
    room,
    documents: env.LABELS,
    prefix: ctx.id.toString(),
    manifests: async () => (await courierAdapters()).royalMailManifests(),
    schedule: (job, at) => alarms.request(job, at),
    now: () => clock.now(),
  });
  // Where each despatched parcel is: the couriers' tracking, asked on the alarm (./deliveries.ts).
  const deliveries = new DeliveryTracking({
    sql,
    adapterFor: async (c) => (await courierAdapters()).adapterFor(c),
    write: (orderId, update) => {
      const live = readOrder(sync.doc, orderId);
      if (live) {
        const fields = update(live);
        if (fields) room.transact((d) => writeOrder(d, { orderId, ...fields }));
        return fields !== null;
      }
      const archived = archive.get(orderId);
      const fields = archived && update(archived);
      if (!archived || !fields) return false;
      archive.put([{ ...archived, ...fields }], clock.now());
      return true;
    },
  });
  const workedOut = new WorkedOut(room);
  const health = new HealthLink(sql, amazon, room, archive);
  const cancellations = new BuyerCancellations(sql, amazon, room);

  /** One change to an order: a revision in the feed, then a webhook carrying the order at that revision. */
  function orderChanged(type: WebhookEventType, order: Order, extra: Partial<ChangeDetail> = {}): void {
    const at = clock.now();
    const detail: ChangeDetail = {
      state: order.state,
      ...(activeShipment(order) && { trackingNumber: activeShipment(order)?.trackingNumber }),
      ...extra,
    };
    const revision = changes.record(type, order.orderId, at, detail);
    const due = api.emit(orderEvent(type, withRevision(order, revision), dispatchClockAt(at)));
    if (due !== null) void alarms.request("webhooks", due);
  }

  const notesSettle = new NotesSettle(sql);
  const watch = new OrderWatch({
    event: (type, order, detail) => {
      if (type === "order.notes_changed") {
        // One report when the typing pauses, not one per keystroke (./notes-settle.ts).
        void alarms.request("notes", notesSettle.touch(order.orderId, clock.now()));
        return;
      }
      orderChanged(type, order, detail?.shipmentId ? { shipmentId: detail.shipmentId } : {});
      // Stock moves when orders arrive (held) and leave (taken); Amazon hears the new quantities.
      if (
        type === "order.created" ||
        type === "order.dispatched" ||
        type === "order.confirmed" ||
        type === "order.cancelled"
      ) {
        void alarms.request("stock", clock.now() + 2_000);
      }
      // A parcel that has left is followed with its courier's tracking from now on.
      if (type === "order.dispatched" || type === "order.confirmed") {
        void alarms.request("tracking", clock.now() + firstTrackingCheckMs);
      }
    },
    readyToConfirm: () => {
      void alarms.request("confirmations", clock.now());
    },
  });
  // The watch attaches whenever the room loads its document (never eagerly: a rate-limit check or
  // a token check must not pay for loading 5,000 orders).
  sync.onLoad((doc) => watch.attach(doc));
  // Who prints each label in the shared print queue: the room decides, first claim first.
  const printClaims = new PrintClaims(room);
  sync.onLoad((doc) => printClaims.attach(doc));

  // --- what arrives from Amazon ------------------------------------------------------------------
  function importOrders(orders: Order[]): void {
    const now = clock.now();
    const doc = sync.doc;
    const engine = compileRules(readRules(doc));
    const inputs = readWeightInputs(doc);
    room.transact((d) => {
      const result = upsertOrders(d, orders, "import");
      // New and changed orders (items, address, Prime…) get their parcel and service worked out again.
      for (const id of [...result.added, ...result.changed]) {
        const order = readOrder(d, id);
        if (order) workOutInto(d, order, inputs, engine);
      }
      // Cancelled on Amazon (by the buyer's request or by Amazon): cancel here too, if still open.
      for (const incoming of orders) {
        if (incoming.amazonStatus !== "CANCELLED") continue;
        const order = readOrder(d, incoming.orderId);
        if (
          !order ||
          order.state === "cancelled" ||
          order.state === "dispatched" ||
          order.state === "confirmed"
        )
          continue;
        const by = order.buyerCancellationRequested ? "buyer" : "amazon";
        // The buyer's reason stays in the history.
        const reason = by === "buyer" ? order.cancellationRequestReason : undefined;
        applyOrderAction(
          d,
          order.orderId,
          { type: "cancel", by, ...(reason ? { reason } : {}) },
          { at: now, by: "Amazon" },
          "import",
        );
      }
    }, "import");
  }

  function recordConfirmation(orderId: string, answer: ConfirmationResult, packageReferenceId: string): void {
    const doc = sync.doc;
    const order = readOrder(doc, orderId);
    if (!order) return;
    // A split order: the answer is one parcel's; the order's confirmation sums its parcels up.
    let result = answer;
    if (order.packages !== undefined && order.packages.length > 0) {
      const summed = confirmPackage(order, packageReferenceId, answer);
      room.transact((d) => writeOrder(d, { orderId, packages: summed.packages }));
      result = summed.confirmation;
    }
    const actor: ActionContext = { at: clock.now(), by: "Amazon" };
    room.transact((d) => {
      if (result.state === "confirmed" && order.state !== "confirmed") {
        applyOrderAction(
          d,
          orderId,
          { type: "confirmed", at: result.confirmedAt ?? actor.at },
          actor,
          SERVER,
        );
      } else if (result.state === "failed" && result.needsAttention) {
        applyOrderAction(
          d,
          orderId,
          {
            type: "confirmationFailed",
            error: result.error ?? "Amazon refused the confirmation.",
            permanent: true,
          },
          actor,
          SERVER,
        );
      } else {
        writeOrder(d, {
          orderId,
          confirmation: {
            state: result.state,
            attempts: result.attempts,
            ...(result.error ? { error: result.error } : {}),
            ...(result.confirmedAt ? { confirmedAt: result.confirmedAt } : {}),
            ...(result.state === "pending" && result.retryAt !== undefined
              ? { retryAt: result.retryAt }
              : {}),
          },
        });
      }
    });
  }

  /** Orders printed or dispatched with a label, not yet sent to Amazon: queue them. */
  async function queueConfirmations(now: number): Promise<void> {
    const doc = sync.doc;
    const autoOnPrint = readSetting<boolean>(doc, SETTING.autoConfirmOnPrint) ?? true;
    for (const order of listOrders(doc)) {
      if (order.confirmation.state === "confirmed" || !hasLabel(order)) continue;
      if (order.state !== "dispatched" && !(autoOnPrint && order.state === "printed")) continue;
      if (await amazon.isQueued(order)) continue;
      if (!(await amazon.enqueue(order, now))) return;
      if (order.confirmation.state !== "pending") {
        room.transact((d) =>
          writeOrder(d, {
            orderId: order.orderId,
            confirmation: { ...order.confirmation, state: "pending" },
          }),
        );
      }
    }
  }

  // --- the alarm ---------------------------------------------------------------------------------
  const jobs = new JobRunner(ALARM_WAIT_MS);
  async function onAlarm(now: number): Promise<void> {
    const due = new Set(alarms.takeDue(now));
    const next = new Map<JobName, () => Promise<unknown>>();
    const start = (job: JobName, work: () => Promise<unknown>) => next.set(job, work);
    const later = (job: Parameters<AlarmSchedule["request"]>[0], at: number | null) =>
      at === null ? undefined : alarms.request(job, at);
    if (due.has("labels") || labelRuns.pending()) {
      start("labels", () =>
        labelRuns.process().catch((e) => {
          console.error("label run failed", e);
          return later("labels", now + 30_000);
        }),
      );
    }
    if (due.has("import")) {
      start("import", () =>
        amazon
          .runImport(now)
          .then((at) => later("import", at))
          .catch((e) => {
            console.error("import failed", e);
            return later("import", now + 60_000);
          }),
      );
    }
    if (due.has("confirmations")) {
      start("confirmations", () =>
        queueConfirmations(now)
          .then(() => amazon.drainConfirmations(now))
          .then((at) => later("confirmations", at))
          .catch((e) => {
            console.error("confirmations failed", e);
            return later("confirmations", now + 30_000);
          }),
      );
    }
    if (due.has("webhooks")) {
      start("webhooks", () =>
        api.webhooks
          .deliverDue(now, webhookFetch)
          .then((at) => later("webhooks", at))
          .catch(() => later("webhooks", now + 60_000)),
      );
    }
    if (due.has("stock")) {
      start("stock", () =>
        Promise.resolve()
          .then(() => {
            // One listing of the live orders for the whole pass (at 50,000 orders each is seconds).
            const orders = listOrders(sync.doc);
            const at = health.settleStock(now, orders);
            noteShortfalls(now, orders);
            return later("health", at);
          })
          .catch((e) => {
            console.error("stock failed", e);
            return later("stock", now + 60_000);
          }),
      );
    }
    if (due.has("health")) {
      start("health", () =>
        health
          .runOnce(now)
          .then((at) => later("health", at))
          .catch(() => later("health", now + 5 * 60_000)),
      );
    }
    if (due.has("endOfDay")) {
      start("endOfDay", () =>
        courierDay
          .autoClose(now)
          .then((at) => later("endOfDay", at))
          .catch((e) => {
            console.error("end of day failed", e);
            return later("endOfDay", now + 5 * 60_000);
          }),
      );
    }
    if (due.has("failover")) {
      start("failover", () =>
        courierAdapters()
          .then((set) => failover.probe((c) => set.adapterFor(c)))
          .then((at) => later("failover", at))
          .catch(() => later("failover", now + PROBE_EVERY_MS)),
      );
    }
    if (due.has("manifests")) {
      start("manifests", () =>
        courierDay.endOfDay
          .poll()
          .then((at) => later("manifests", at))
          .catch(() => later("manifests", now + 60_000)),
      );
    }
    if (due.has("notes")) {
      start("notes", () =>
        Promise.resolve().then(() => {
          for (const orderId of notesSettle.takeSettled(now)) {
            const order = readOrder(sync.doc, orderId);
            if (order) orderChanged("order.notes_changed", order);
          }
          return later("notes", notesSettle.nextDueAt());
        }),
      );
    }
    if (due.has("tracking")) {
      start("tracking", () =>
        Promise.resolve()
          .then(() => {
            deliveries.enrol(listOrders(sync.doc), now);
            return deliveries.poll(now);
          })
          .then((report) => later("tracking", report.nextAt))
          .catch((e) => {
            console.error("tracking failed", e);
            return later("tracking", now + 5 * 60_000);
          }),
      );
    }
    if (due.has("archive")) {
      start("archive", () => Promise.resolve().then(() => archiveClosed(now)));
    }
    // See JobRunner: at most ALARM_WAIT_MS here; a job still running is asked for again shortly.
    await jobs.run(next, (job) => void alarms.request(job, now + 5_000));
    await alarms.arm();
  }

  /** Open orders stock can no longer fill each get one `order.stock_short` change (again only after being filled). */
  function noteShortfalls(now: number, orders: readonly Order[] = listOrders(sync.doc)): void {
    const doc = sync.doc;
    const short = stockShortfalls(orders, stockLevels(doc));
    const before = new Set(
      sql
        .exec<{ order_id: string }>("SELECT order_id FROM stock_short")
        .toArray()
        .map((r) => r.order_id),
    );
    for (const order of orders) {
      const lines = short.get(order.orderId);
      if (lines && !before.has(order.orderId)) {
        sql.exec("INSERT INTO stock_short (order_id, since) VALUES (?, ?)", order.orderId, now);
        orderChanged("order.stock_short", order, { short: lines });
      }
    }
    for (const id of before) {
      if (!short.has(id)) sql.exec("DELETE FROM stock_short WHERE order_id = ?", id);
    }
  }

  function archiveClosed(now: number): void {
    const doc = sync.doc;
    const closed = selectForArchive(doc, now, KEEP_CLOSED_DAYS);
    if (closed.length) {
      archive.put(closed, now);
      room.transact((d) =>
        removeOrders(
          d,
          closed.map((o) => o.orderId),
        ),
      );
    }
    sync.rebaseIfNeeded(rebaseThreshold(now, sync.connectedDevices, sync.lastDeviceWriteAt));
    api.prune(now);
    changes.prune(now);
    // Then every night (02:30 UK), when no one is packing.
    void alarms.request("archive", nextUkTime(now + 60_000, ARCHIVE_AT));
    // Once a day at least, parcels that have left are looked for and followed (after a restart too).
    void alarms.request("tracking", now + 60_000);
  }

  // A room that stops while a job runs (evicted, redeployed) has already taken that job off the
  // schedule, and only a finished job asks for its next run: on every start the import's backup poll
  // and any confirmations still queued are asked for again (a request never delays a job due sooner).
  void ctx.blockConcurrencyWhile(async () => {
    // Notes changes held while someone typed are reported even if the room stopped meanwhile.
    const notesDue = notesSettle.nextDueAt();
    if (notesDue !== null) await alarms.request("notes", notesDue);
    if (!amazon.connected()) return;
    await alarms.request("import", clock.now());
    if (amazon.hasQueuedConfirmations()) await alarms.request("confirmations", clock.now());
  });

  /** The clock orders are presented on: the room's time, the team's cut-off and each courier's. */
  function dispatchClockAt(now: number): DispatchClock {
    return {
      now,
      cutoff: dispatchCutoffOf(readSetting(sync.doc, SETTING.dispatchCutoff)),
      couriers: readCourierDay(room).couriers,
    };
  }

  return {
    sync,
    revocations,
    archive,
    amazon,
    couriers,
    api,
    labelRuns,
    health,
    courierDay,
    failover,
    deliveries,
    returns,
    collections,

    apiKeyUsed(keyId: string, now: number): void {
      if (now - (keyUseWritten.get(keyId) ?? 0) < 60_000) return;
      keyUseWritten.set(keyId, now);
      sql.exec(
        "INSERT INTO api_key_use (key_id, at) VALUES (?, ?) ON CONFLICT(key_id) DO UPDATE SET at = excluded.at",
        keyId,
        now,
      );
    },
    apiKeysLastUsed(): Record<string, number> {
      return Object.fromEntries(
        sql
          .exec<{ key_id: string; at: number }>("SELECT key_id, at FROM api_key_use")
          .toArray()
          .map((r) => [r.key_id, r.at]),
      );
    },
    revokeSessions(sessionIds: string[]): void {
      const now = clock.now();
      for (const id of sessionIds) revocations.revokeSession(id, now);
      sync.closeSessions((who) => sessionIds.includes(who.sessionId), 4401, "This device was signed out");
    },
    revokeUser(userId: string, at: number, why: string): void {
      revocations.revokeUser(userId, at);
      sync.closeSessions((who) => who.userId === userId, 4401, `Access ended: ${why}`);
    },

    acceptSocket(request: Request): Response {
      const identity = readIdentity(request);
      if (!identity) return new Response("Missing identity", { status: 400 });
      try {
        revocations.check(identity);
      } catch (e) {
        if (e instanceof ConsignError) return new Response(e.message, { status: 401 });
        throw e;
      }
      return sync.fetch(request);
    },

    /** A device's edit has been applied: re-attach after a reload, and react to what changed. */
    afterTeamEdit(): void {},

    changes,
    listOrders(query: OrderQuery, now: number) {
      const revisions = changes.revisions();
      // The archive is read only when asked (include=archived) or for a purchase-date range, and then
      // only the months the range covers; the cursor pages across live and archived alike.
      const archived = !readsArchive(query)
        ? []
        : query.include === "archived" && query.purchasedFrom === undefined && query.purchasedTo === undefined
          ? archive.all()
          : archive.between(query.purchasedFrom ?? 0, query.purchasedTo ?? now + 366 * 86_400_000);
      const candidates = query.archiveOnly ? archived : liveAndArchived(listOrders(sync.doc), archived);
      const page = selectOrders(candidates, query, now, (id) => revisions.get(id));
      return {
        ...page,
        orders: page.orders.map((o) => withRevision(o, revisions.get(o.orderId))),
        clock: dispatchClockAt(now),
      };
    },
    /**
     * The orders screen's first rows of every view, the counts and the dispatch clock's figures as the
     * team's copy holds them now: what a device with no copy of its own paints while the document comes.
     */
    firstScreen(sellerId: string) {
      const { now, cutoff, couriers } = dispatchClockAt(clock.now());
      return teamFirstScreen(sellerId, listOrders(sync.doc), now, {
        team: cutoff,
        couriers: couriers ?? readCourierDay(room).couriers,
      });
    },
    /** The room's clock (SIMULATED_CLOCK moves it), the team's dispatch cut-off and each courier's. */
    dispatchClock() {
      return dispatchClockAt(clock.now());
    },
    getOrder(orderId: string): FeedOrder | null {
      const order = readOrder(sync.doc, orderId) ?? archive.get(orderId) ?? null;
      return order && withRevision(order, changes.revisionOf(orderId));
    },
    /** GET /changes: every change after `after`, oldest first. */
    changesAfter(after: number, limit: number) {
      return changes.page(after, limit);
    },
    async startLabelRun(identity: Identity, orderIds: string[], idempotencyKey: string) {
      const run = labelRuns.start(identity, orderIds, idempotencyKey);
      await alarms.request("labels", clock.now());
      return run;
    },
    /**
     * Every label a run has, in its order, unmerged (GET /labels/runs/{runId}/labels.pdf): the
     * Worker answering merges them, so a whole run's file never holds this room.
     */
    async runLabelsPdf(runId: string) {
      const ids = labelRuns.orderIds(runId);
      if (!ids) throw new ConsignError(ErrorCode.NotFound, `No label run ${runId} for this seller.`);
      const ledger = await labelLedger();
      const file = await collectLabels(ids, {
        order: (id) => readOrder(sync.doc, id),
        // A split order's labels: every parcel's, in parcel order (../labels/parcels.ts).
        courierPdf: (id) => orderLabelDocument(readOrder(sync.doc, id), id, (key) => ledger.labelPdf(key)),
        sender: readSender(sync.doc),
      });
      return { ...file, running: labelRuns.view(runId)?.state === "running" };
    },
    /**
     * The label documents of any orders, unmerged, in the order named (GET /documents/labels.pdf):
     * the Worker answering merges them, so making the file never holds this room.
     */
    async labelDocuments(orderIds: readonly string[]) {
      const ledger = await labelLedger();
      return collectLabels(orderIds, {
        order: (id) => readOrder(sync.doc, id),
        courierPdf: (id) => orderLabelDocument(readOrder(sync.doc, id), id, (key) => ledger.labelPdf(key)),
        sender: readSender(sync.doc),
      });
    },
    /** A pick list or packing slips for a run's orders or for any orders (./documents.ts). */
    orderDocument(kind: OrderDocumentKind, source: { runId: string } | { orderIds: string[] }) {
      let ids: string[];
      if ("runId" in source) {
        const run = labelRuns.orderIds(source.runId);
        if (!run) throw new ConsignError(ErrorCode.NotFound, `No label run ${source.runId} for this seller.`);
        ids = run;
      } else ids = source.orderIds;
      const sender = readSender(sync.doc);
      return orderDocument(kind, ids, {
        order: (id) => readOrder(sync.doc, id) ?? archive.get(id),
        ...(sender?.companyName ? { sellerName: sender.companyName } : {}),
      });
    },
    /**
     * The order's label document: with `zplDpi`, the courier's own ZPL for a printer at that dpi
     * when its API gives one; otherwise (and without it) the courier's PDF.
     */
    async labelPdf(orderId: string, zplDpi?: ZplDpi) {
      const ledger = await labelLedger();
      if (zplDpi) {
        const zpl = await orderLabelZpl(readOrder(sync.doc, orderId), orderId, (key) =>
          ledger.labelZpl(key, zplDpi),
        );
        if (zpl) return { bytes: new TextEncoder().encode(zpl), contentType: "application/zpl" };
      }
      const bytes = await orderLabelDocument(readOrder(sync.doc, orderId), orderId, (key) =>
        ledger.labelPdf(key),
      );
      return bytes ? { bytes, contentType: "application/pdf" } : null;
    },
    setOrderShipping(identity: Identity, orderId: string, change: ShippingOverride) {
      return overrideShipping(room, orderId, change, identity.name);
    },
    /** Splits an order into parcels before its labels are bought; one parcel undoes the split. */
    splitOrder(_identity: Identity, orderId: string, parcels: ParcelPlan[]) {
      const order = readOrder(sync.doc, orderId);
      if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
      if (order.fulfilmentChannel !== "MFN") {
        throw new ConsignError(
          ErrorCode.IllegalTransition,
          `${orderId} is fulfilled by Amazon (FBA): Amazon sends its parcels.`,
        );
      }
      const packages = splitIntoPackages(order, parcels);
      room.transact((d) => writeOrder(d, { orderId, packages }));
      return readOrder(sync.doc, orderId) as Order;
    },
    /** Corrects (or with null, un-corrects) an order's delivery address (./address-correction.ts). */
    correctAddress(identity: Identity, orderId: string, input: AddressCorrectionInput | null) {
      return correctAddress(
        { doc: sync.doc, transact: (fn) => room.transact(fn) },
        identity,
        orderId,
        input,
        clock.now(),
      );
    },
    /** "Accept cancellation": cancels the order on Amazon as the buyer asked (order acknowledgement feed). */
    acceptCancellation(identity: Identity, orderId: string) {
      return cancellations.accept(identity, orderId);
    },
    async voidLabel(identity: Identity, orderId: string) {
      const doc = sync.doc;
      const order = readOrder(doc, orderId);
      if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
      if (isSplit(order)) {
        // Every parcel's label, each with its courier; then the order is ready for new labels.
        const ledger = await labelLedger();
        const voided = await voidParcelLabels(order, {
          voidLabel: (key) => ledger.voidLabel(key),
          refusal: (s) => courierDay.endOfDay.voidRefusal(s.id, s.trackingNumber),
        });
        room.transact((d) => {
          const current = readOrder(d, orderId)!;
          if (current.state === "label_bought" || current.state === "printed")
            applyOrderAction(d, orderId, { type: "voidLabel" }, { at: clock.now(), by: identity.name });
          writeOrder(d, { orderId, ...withParcelLabelsVoided(readOrder(d, orderId)!, clock.now()) });
        });
        return { orderId, voidedShipmentId: voided.join(",") };
      }
      const shipment = activeShipment(order);
      if (!shipment)
        throw new ConsignError(ErrorCode.IllegalTransition, `Order ${orderId} has no label to void.`);
      const manifested = courierDay.endOfDay.voidRefusal(shipment.id, shipment.trackingNumber);
      if (manifested) throw new ConsignError(ErrorCode.IllegalTransition, manifested);
      await (await labelLedger()).voidLabel(orderId);
      room.transact((d) =>
        applyOrderAction(
          d,
          orderId,
          { type: "voidLabel" },
          { at: clock.now(), by: identity.name, ...deviceOf(identity) },
        ),
      );
      return { orderId, voidedShipmentId: shipment.id };
    },
    async dispatch(identity: Identity, orderIds: string[]) {
      const doc = sync.doc;
      const queued: string[] = [];
      const refused: { orderId: string; reason: string }[] = [];
      const actor = { at: clock.now(), by: identity.name, ...deviceOf(identity) };
      for (const orderId of orderIds) {
        try {
          const order = readOrder(doc, orderId);
          if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
          if (order.state !== "dispatched") {
            room.transact((d) => applyOrderAction(d, orderId, { type: "dispatched" }, actor));
          }
          queued.push(orderId);
        } catch (e) {
          refused.push({ orderId, reason: e instanceof ConsignError ? e.message : String(e) });
        }
      }
      if (queued.length) await alarms.request("confirmations", clock.now());
      return { queued, refused };
    },
    metrics(now: number) {
      return metricFacts.metricsAt(listOrders(sync.doc), now);
    },
    exportOrders(from: number, to: number) {
      const live = listOrders(sync.doc);
      const liveIds = new Set(live.map((o) => o.orderId));
      const older = archive.between(from - 30 * DAY, to).filter((o) => !liveIds.has(o.orderId));
      return ordersTouching([...live, ...older], from, to);
    },
    getRules() {
      return readRules(sync.doc);
    },
    putRules(_identity: Identity, rules: unknown) {
      const checked = validateRules(rules);
      if (!checked.ok)
        throw new ConsignError(ErrorCode.BadRequest, "Some rules are not valid.", checked.errors);
      room.transact((d) => writeSetting(d, SETTING.rules, checked.rules));
      workedOut.refresh(); // orders not yet labelled take the service the new rules choose
      return checked.rules;
    },
    getSettings() {
      const doc = sync.doc;
      return {
        sender: readSetting(doc, SETTING.sender) ?? null,
        skuWeights: readSetting(doc, SETTING.skuWeights) ?? {},
        skuCustoms: readSetting(doc, SETTING.skuCustoms) ?? {},
        iossNumber: readSetting<string>(doc, SETTING.iossNumber) ?? null,
        packagingGrams: readSetting(doc, SETTING.packagingGrams) ?? 0,
        printer: readSetting(doc, SETTING.printer) ?? { layout: "4x6", withPackingSlip: false },
        autoConfirmOnPrint: readSetting(doc, SETTING.autoConfirmOnPrint) ?? true,
        dispatchCutoff: dispatchCutoffOf(readSetting(doc, SETTING.dispatchCutoff)),
      };
    },
    patchSettings(_identity: Identity, patch: SettingsPatch) {
      const parsed = settingsPatchSchema.parse(patch);
      room.transact((d) => {
        for (const [key, value] of Object.entries(parsed)) {
          // null clears a setting (the IOSS number); undefined leaves it as it is.
          if (value !== undefined)
            writeSetting(d, SETTING[key as keyof typeof SETTING], value === null ? undefined : value);
        }
      });
      // New SKU weights or packaging: every order not yet labelled is weighed (and its service chosen) again.
      if (parsed.skuWeights !== undefined || parsed.packagingGrams !== undefined) workedOut.refresh();
      return this.getSettings();
    },
    async setCourier(courier: CourierId, credentials: unknown) {
      // Checked first (the fields, then the courier's own sign-in where it has one): nothing is kept
      // and the account already connected stays as it was when the new credentials are refused.
      const parsed = courierCredentialSchemas[courier].safeParse(credentials);
      if (parsed.success && courier === "royal-mail")
        await testCourierConnection(env, parsed.data as Record<string, unknown>);
      await couriers.store(courier, credentials, clock.now());
      ledger = null; // adapters are rebuilt with the new credentials
      courierSet = null;
      return { courier, connected: true };
    },
    async finishAmazonConnect(code: string, sellingPartnerId: string) {
      await amazon.finishConnect(code, sellingPartnerId, clock.now());
      await alarms.request("import", clock.now());
      await alarms.request("health", clock.now() + 60_000);
      // History arrives in the first minutes; older closed orders then move to the archive.
      await alarms.request("archive", clock.now() + 2 * 60_000);
      return { sellingPartnerId };
    },
    officialHealth(now: number) {
      return health.official((at) => this.metrics(at), now);
    },
    async adjustStock(identity: Identity, changes: { sku: string; delta: number }[]) {
      // Orders dispatched before this count are settled first, against the SKUs tracked until now:
      // a SKU counted for the first time starts from the count, never charged for what had already
      // left the shelf when it was counted. Amazon's quantities are planned once, by the stock
      // alarm asked for below, from the count as it stands after the change.
      health.takeDispatched(clock.now());
      room.transact((d) => {
        for (const { sku, delta } of changes)
          adjustStock(d, sku, delta, { counterId: `api:${identity.sessionId}` });
      });
      await alarms.request("stock", clock.now());
      return health.stockView();
    },
    /** Sends the endpoint's backlog (or one message) again now, each with its webhook-id. */
    async retryWebhook(id: string, messageId?: string) {
      const now = clock.now();
      const retried = api.webhooks.retry(id, now, messageId);
      if (retried.retried > 0) await alarms.request("webhooks", now);
      return retried;
    },
    deleteWebhook(id: string) {
      if (!api.webhooks.deleteEndpoint(id))
        throw new ConsignError(ErrorCode.NotFound, "No such webhook endpoint.");
      return true as const;
    },
    async seedDemo(sellerId: string) {
      return seedDemoSeller({
        env,
        sellerId,
        room,
        couriers,
        amazon,
        finish: (c, s) => this.finishAmazonConnect(c, s),
      });
    },
    onAlarm,
    clock,
    /** Sets the Durable Object's alarm again for the earliest due job (after the clock moved). */
    rearm: () => alarms.arm(),
    /**
     * What the room is waiting for on its clock (a simulation's driver reads it to move time on only
     * while the room waits, never while it works): the earliest due job, and the jobs running now.
     */
    waits: () => ({ nextJobAt: alarms.nextDue(), running: jobs.running() }),
  };
}

/** The order with where it stands in the change feed (revision 0: unchanged since the feed began). */
function withRevision(order: Order, revision: OrderRevision | undefined): FeedOrder {
  return {
    ...order,
    revision: revision?.revision ?? 0,
    changedAt: Math.max(order.lastUpdated, revision?.at ?? 0),
  };
}
