// The label ledger: exactly one purchase per `${orderId}:${labelRevision}`, however many devices ask.
//
// Durable Object input gates do not hold across `await fetch()`: another request can run while we
// wait for the courier. So the row is written ("buying") BEFORE the courier is called, synchronously
// (SQLite in a Durable Object is synchronous), and every later caller for the same key either gets
// the finished record or awaits the same in-flight promise. After a restart the in-memory promise
// is gone but the row is not: a "buying" row is resolved by asking the courier (findShipment), never
// by blindly buying again. Buying again after a void is explicit: voidLabel, then a new revision.
import {
  type BatchOutcome,
  type BatchPurchasing,
  type CourierAdapter,
  type CreatedShipment,
  isOutcomeUncertain,
  type PurchaseAttempt,
  type ShipmentLookup,
  type ShipmentRequest,
  type ZplDpi,
} from "@consign/couriers";
import { ConsignError, type CourierId, ErrorCode, type Money, type Shipment } from "@consign/domain";

export type LabelState = "buying" | "bought" | "failed" | "voiding" | "voided";

export interface LabelRecord {
  /** `${orderId}:${labelRevision}`, also the courier's idempotency key. */
  key: string;
  orderId: string;
  revision: number;
  courier: CourierId;
  serviceCode: string;
  state: LabelState;
  trackingNumber?: string;
  courierShipmentId?: string;
  amazonCarrierCode?: string;
  /** R2 key of the label PDF once stored. */
  labelKey?: string;
  /** Why the purchase failed, in words a packer can act on; or why the label could not be fetched. */
  error?: string;
  requestedAt: number;
  boughtAt?: number;
  voidedAt?: number;
  /** What the courier charged for the label, from its answer (or its price for the service). */
  cost?: Money;
}

export interface LabelRequest {
  orderId: string;
  courier: CourierId;
  shipment: ShipmentRequest;
}

export interface LabelLedgerDeps {
  sql: SqlStorage;
  labels: R2Bucket;
  adapterFor(courier: CourierId): CourierAdapter;
  /** R2 keys start with this (the seller id), e.g. "seller-1/labels/…". */
  labelPrefix: string;
  now?: () => number;
}

type Row = Record<string, SqlStorageValue>;

const str = (v: SqlStorageValue | undefined) => (v === null || v === undefined ? undefined : String(v));
const num = (v: SqlStorageValue | undefined) => (v === null || v === undefined ? undefined : Number(v));

function toRecord(row: Row): LabelRecord {
  const r: LabelRecord = {
    key: String(row.key),
    orderId: String(row.order_id),
    revision: Number(row.revision),
    courier: String(row.courier) as CourierId,
    serviceCode: String(row.service_code),
    state: String(row.state) as LabelState,
    requestedAt: Number(row.requested_at),
  };
  const optional = {
    trackingNumber: str(row.tracking_number),
    courierShipmentId: str(row.courier_shipment_id),
    amazonCarrierCode: str(row.amazon_carrier_code),
    labelKey: str(row.label_key),
    error: str(row.error),
    boughtAt: num(row.bought_at),
    voidedAt: num(row.voided_at),
    cost: typeof row.cost === "string" ? (JSON.parse(row.cost) as Money) : undefined,
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  return r;
}

/** The domain's Shipment for a bought label, to write into the order in the document. */
export function shipmentOf(record: LabelRecord): Shipment | undefined {
  if (!record.trackingNumber || record.boughtAt === undefined) return undefined;
  return {
    id: record.key,
    courier: record.courier,
    serviceCode: record.serviceCode,
    trackingNumber: record.trackingNumber,
    amazonCarrierCode: record.amazonCarrierCode ?? "Other",
    ...(record.labelKey ? { labelRef: record.labelKey } : {}),
    boughtAt: record.boughtAt,
    ...(record.voidedAt !== undefined ? { voidedAt: record.voidedAt } : {}),
    ...(record.cost ? { cost: record.cost } : {}),
  };
}

export class LabelLedger {
  private readonly inFlight = new Map<string, Promise<LabelRecord>>();
  private readonly now: () => number;

  constructor(private readonly deps: LabelLedgerDeps) {
    this.now = deps.now ?? (() => Date.now());
    deps.sql.exec(`
      CREATE TABLE IF NOT EXISTS label_ledger (
        key TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        courier TEXT NOT NULL,
        service_code TEXT NOT NULL,
        state TEXT NOT NULL,
        request TEXT NOT NULL,
        attempt TEXT,
        uncertain INTEGER NOT NULL DEFAULT 0,
        tracking_number TEXT,
        courier_shipment_id TEXT,
        package_reference TEXT,
        amazon_carrier_code TEXT,
        label_key TEXT,
        error TEXT,
        requested_at INTEGER NOT NULL,
        bought_at INTEGER,
        voided_at INTEGER,
        UNIQUE (order_id, revision)
      )
    `);
    // What the courier charged (JSON Money), added after the first ledgers were made.
    const columns = deps.sql.exec("PRAGMA table_info(label_ledger)").toArray();
    if (!columns.some((c) => c.name === "cost"))
      deps.sql.exec("ALTER TABLE label_ledger ADD COLUMN cost TEXT");
  }

  /** The courier's adapter (throws when the courier is not connected). */
  adapterOf(courier: CourierId): CourierAdapter {
    return this.deps.adapterFor(courier);
  }

  /** The latest label record for an order (any state), if any. */
  current(orderId: string): LabelRecord | undefined {
    const row = this.latestRow(orderId);
    return row ? toRecord(row) : undefined;
  }

  /** Every revision of an order's label, oldest first. */
  history(orderId: string): LabelRecord[] {
    return this.deps.sql
      .exec("SELECT * FROM label_ledger WHERE order_id = ? ORDER BY revision", orderId)
      .toArray()
      .map(toRecord);
  }

  /**
   * Buys the order's label once. Concurrent and repeated calls get the same purchase. A failed
   * purchase is tried again (same revision, same key); a voided label starts the next revision.
   */
  buyLabel(request: LabelRequest): Promise<LabelRecord> {
    const row = this.latestRow(request.orderId);
    if (row) {
      const key = String(row.key);
      const pending = this.inFlight.get(key);
      if (pending) return pending;
      switch (String(row.state)) {
        case "bought":
          return row.label_key === null
            ? this.track(key, () => this.storeLabel(key))
            : Promise.resolve(toRecord(row));
        case "buying":
          // No promise in memory for a "buying" row: we restarted mid-purchase. Ask the courier.
          return this.track(key, () => this.resolveThenBuy(key));
        case "voiding":
          return Promise.reject(
            new ConsignError(
              ErrorCode.Conflict,
              `The label for order ${request.orderId} is being cancelled; try again in a moment`,
            ),
          );
        case "failed": {
          const uncertain = this.reopen(key, row, request);
          return this.track(key, () => (uncertain ? this.resolveThenBuy(key) : this.purchase(key)));
        }
        case "voided":
          return this.startRevision(request, Number(row.revision) + 1);
      }
    }
    return this.startRevision(request, 1);
  }

  /**
   * Buys many orders' labels with a courier that takes several orders a call (Click & Drop): the
   * same guarantee as buyLabel for every order (its row written "buying" before the call, one
   * purchase per key however many ask), with one call for up to `maxPerCall` orders. An order the
   * courier refuses fails alone with its own reason; a call that times out or faults after the
   * courier may have created some is reconciled by looking every order of it up (several a call)
   * before anything is bought again. Orders the ledger already has an answer or a purchase in flight
   * for are not sent. One promise per request, in the same order.
   */
  buyLabels(requests: readonly LabelRequest[]): Promise<LabelRecord>[] {
    const results: Promise<LabelRecord>[] = [];
    const groups = new Map<CourierId, { batch: BatchPurchasing; fresh: string[]; unsure: string[] }>();
    for (const request of requests) {
      let batch: BatchPurchasing | undefined;
      try {
        batch = this.deps.adapterFor(request.courier).batch;
      } catch {
        batch = undefined; // not connected: buyLabel records the reason on the order
      }
      const row = this.latestRow(request.orderId);
      const pending = row ? this.inFlight.get(String(row.key)) : undefined;
      if (!batch || pending || (row && !["buying", "failed", "voided"].includes(String(row.state)))) {
        results.push(this.buyLabel(request));
        continue;
      }
      const group = groups.get(request.courier) ?? { batch, fresh: [], unsure: [] };
      groups.set(request.courier, group);
      let key: string;
      let unsure = false;
      if (!row || String(row.state) === "voided") {
        key = `${request.orderId}:${row ? Number(row.revision) + 1 : 1}`;
        this.insertBuying(key, request, row ? Number(row.revision) + 1 : 1);
      } else {
        key = String(row.key);
        // "buying" with nothing in memory: we restarted mid-purchase, so the courier is asked first.
        unsure = String(row.state) === "buying" ? true : this.reopen(key, row, request);
      }
      (unsure ? group.unsure : group.fresh).push(key);
      results.push(this.claim(key));
    }
    for (const group of groups.values()) void this.runBatch(group.batch, group.fresh, group.unsure);
    return results;
  }

  /** Cancels the order's bought label with the courier. The next buyLabel buys revision + 1. */
  async voidLabel(orderId: string): Promise<LabelRecord> {
    const row = this.latestRow(orderId);
    if (!row || String(row.state) !== "bought") {
      throw new ConsignError(
        ErrorCode.IllegalTransition,
        row
          ? `Order ${orderId} has no bought label to cancel (it is ${String(row.state)})`
          : `Order ${orderId} has no label`,
      );
    }
    const key = String(row.key);
    this.deps.sql.exec("UPDATE label_ledger SET state = 'voiding' WHERE key = ?", key);
    try {
      await this.deps.adapterFor(toRecord(row).courier).voidShipment(this.createdFrom(row));
    } catch (error) {
      this.deps.sql.exec("UPDATE label_ledger SET state = 'bought' WHERE key = ?", key);
      throw error;
    }
    this.deps.sql.exec(
      "UPDATE label_ledger SET state = 'voided', voided_at = ? WHERE key = ?",
      this.now(),
      key,
    );
    return this.record(key);
  }

  /** The stored label PDF of the order's current bought label. */
  async labelPdf(orderId: string): Promise<Uint8Array | undefined> {
    const record = this.current(orderId);
    if (!record?.labelKey || record.state !== "bought") return undefined;
    const object = await this.deps.labels.get(record.labelKey);
    return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
  }

  /**
   * The courier's own ZPL of the order's current bought label at `dpi`, asked of the courier once
   * and kept beside its PDF. null when the courier's API gives labels as PDF only, or no longer
   * gives this one (then the PDF is what a printer gets, drawn at its dpi); undefined when there is
   * no bought label.
   */
  async labelZpl(orderId: string, dpi: ZplDpi): Promise<string | null | undefined> {
    const row = this.latestRow(orderId);
    if (!row) return undefined;
    const record = toRecord(row);
    if (record.state !== "bought") return undefined;
    const adapter = this.deps.adapterFor(record.courier);
    if (!adapter.fetchZplLabel) return null;
    const key = `${this.deps.labelPrefix}/labels/${encodeURIComponent(record.orderId)}/${record.revision}.${dpi}dpi.zpl`;
    const stored = await this.deps.labels.get(key);
    if (stored) return stored.text();
    let zpl: string;
    try {
      zpl = await adapter.fetchZplLabel(this.createdFrom(row), dpi);
    } catch (error) {
      // The courier no longer prints it (Royal Mail after the day's manifest): its PDF, which the
      // ledger keeps, is what the printer gets, drawn at its dpi.
      if (error instanceof ConsignError && error.code === ErrorCode.UpstreamRejected) return null;
      throw error;
    }
    await this.deps.labels.put(key, zpl, {
      httpMetadata: { contentType: "application/zpl" },
      customMetadata: { trackingNumber: record.trackingNumber ?? "", courier: record.courier },
    });
    return zpl;
  }

  private latestRow(orderId: string): Row | undefined {
    return this.deps.sql
      .exec("SELECT * FROM label_ledger WHERE order_id = ? ORDER BY revision DESC LIMIT 1", orderId)
      .toArray()[0];
  }

  private record(key: string): LabelRecord {
    return toRecord(this.deps.sql.exec("SELECT * FROM label_ledger WHERE key = ?", key).one());
  }

  private startRevision(request: LabelRequest, revision: number): Promise<LabelRecord> {
    const key = `${request.orderId}:${revision}`;
    this.insertBuying(key, request, revision);
    return this.track(key, () => this.purchase(key));
  }

  /** Written before any await: a second caller arriving while we wait for the courier sees it. */
  private insertBuying(key: string, request: LabelRequest, revision: number): void {
    this.deps.sql.exec(
      `INSERT INTO label_ledger (key, order_id, revision, courier, service_code, state, request, requested_at)
       VALUES (?, ?, ?, ?, ?, 'buying', ?, ?)`,
      key,
      request.orderId,
      revision,
      request.courier,
      request.shipment.serviceCode,
      JSON.stringify(request.shipment),
      this.now(),
    );
  }

  /** A failed row tried again: "buying" with the new request. True when its last outcome was uncertain. */
  private reopen(key: string, row: Row, request: LabelRequest): boolean {
    this.deps.sql.exec(
      "UPDATE label_ledger SET state = 'buying', courier = ?, service_code = ?, request = ?, error = NULL, requested_at = ? WHERE key = ?",
      request.courier,
      request.shipment.serviceCode,
      JSON.stringify(request.shipment),
      this.now(),
      key,
    );
    return Number(row.uncertain) === 1;
  }

  /** A purchase in flight whose answer comes from a batch: later callers await the same promise. */
  private readonly settlers = new Map<string, { resolve(r: LabelRecord): void; reject(e: unknown): void }>();

  private claim(key: string): Promise<LabelRecord> {
    const promise = new Promise<LabelRecord>((resolve, reject) =>
      this.settlers.set(key, { resolve, reject }),
    );
    const tracked = promise.finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, tracked);
    return tracked;
  }

  private settle(key: string, outcome: { record: LabelRecord } | { error: unknown }): void {
    const settler = this.settlers.get(key);
    this.settlers.delete(key);
    if (!settler) return;
    if ("record" in outcome) settler.resolve(outcome.record);
    else settler.reject(outcome.error);
  }

  private failAndSettle(key: string, error: unknown, uncertain: boolean): void {
    try {
      this.fail(key, error, uncertain);
    } catch (e) {
      this.settle(key, { error: e });
    }
  }

  private async boughtAndSettle(key: string, created: CreatedShipment): Promise<void> {
    try {
      this.settle(key, { record: await this.bought(key, created) });
    } catch (e) {
      this.settle(key, { error: e });
    }
  }

  private lookupOf(key: string): ShipmentLookup {
    const { request, attempt } = this.parts(key);
    return { idempotencyKey: key, request, ...(attempt ? { attempt } : {}) };
  }

  /**
   * Settles every claimed key: the unsure are looked up first (found: bought; not found: bought in
   * the batch now), then the rest bought `maxPerCall` a call. Never throws; each key gets its answer.
   */
  private async runBatch(batch: BatchPurchasing, fresh: string[], unsure: string[]): Promise<void> {
    const toBuy = [...fresh];
    try {
      if (unsure.length) {
        let found: Map<string, CreatedShipment> | undefined;
        try {
          found = await batch.findShipments(unsure.map((k) => this.lookupOf(k)));
        } catch (error) {
          for (const k of unsure) this.failAndSettle(k, error, true);
        }
        if (found) {
          const settled: Promise<void>[] = [];
          for (const k of unsure) {
            const shipment = found.get(k);
            if (shipment) settled.push(this.boughtAndSettle(k, shipment));
            else toBuy.push(k);
          }
          await Promise.all(settled);
        }
      }
      for (let i = 0; i < toBuy.length; i += batch.maxPerCall) {
        await this.buyChunk(batch, toBuy.slice(i, i + batch.maxPerCall));
      }
    } catch (error) {
      // Anything unforeseen: every key still waiting is failed as uncertain (looked up next time).
      for (const k of [...fresh, ...unsure]) if (this.settlers.has(k)) this.failAndSettle(k, error, true);
    }
  }

  private async buyChunk(batch: BatchPurchasing, keys: string[]): Promise<void> {
    const items = keys.map((k) => {
      const { request } = this.parts(k);
      this.deps.sql.exec(
        "UPDATE label_ledger SET attempt = ? WHERE key = ?",
        JSON.stringify({ orderReference: k }),
        k,
      );
      return { request, idempotencyKey: k };
    });
    let outcomes: Map<string, BatchOutcome>;
    try {
      outcomes = await batch.createShipments(items);
    } catch (error) {
      if (!isOutcomeUncertain(error)) {
        // Refused as a whole (bad request, credentials): nothing was created.
        for (const k of keys) this.failAndSettle(k, error, false);
        return;
      }
      await this.reconcile(batch, keys, error);
      return;
    }
    const settled: Promise<void>[] = [];
    const unknown: string[] = [];
    for (const k of keys) {
      const outcome = outcomes.get(k);
      if (!outcome) unknown.push(k);
      else if ("refused" in outcome) this.failAndSettle(k, outcome.refused, false);
      else settled.push(this.boughtAndSettle(k, outcome.created));
    }
    if (unknown.length) {
      settled.push(
        this.reconcile(
          batch,
          unknown,
          new ConsignError(
            ErrorCode.UpstreamUnavailable,
            "The courier's answer left this order out; the outcome is not known yet",
          ),
        ),
      );
    }
    await Promise.all(settled);
  }

  /** After a call whose outcome is unknown: each order is bought if the courier has it, else failed (safe to retry). */
  private async reconcile(batch: BatchPurchasing, keys: string[], purchaseError: unknown): Promise<void> {
    let found: Map<string, CreatedShipment>;
    try {
      found = await batch.findShipments(keys.map((k) => this.lookupOf(k)));
    } catch {
      // Still not known: marked uncertain so the next attempt asks the courier first.
      for (const k of keys) this.failAndSettle(k, purchaseError, true);
      return;
    }
    const settled: Promise<void>[] = [];
    for (const k of keys) {
      const shipment = found.get(k);
      if (shipment) settled.push(this.boughtAndSettle(k, shipment));
      else this.failAndSettle(k, purchaseError, false);
    }
    await Promise.all(settled);
  }

  private track(key: string, work: () => Promise<LabelRecord>): Promise<LabelRecord> {
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private parts(key: string) {
    const row = this.deps.sql.exec("SELECT * FROM label_ledger WHERE key = ?", key).one();
    const record = toRecord(row);
    const request = JSON.parse(String(row.request)) as ShipmentRequest;
    const attempt = row.attempt === null ? undefined : (JSON.parse(String(row.attempt)) as PurchaseAttempt);
    return { record, request, attempt, adapter: this.deps.adapterFor(record.courier) };
  }

  /** The row's parts, or the row marked failed when its courier cannot be used (not connected). */
  private partsOrFail(key: string, uncertain: boolean) {
    try {
      return this.parts(key);
    } catch (error) {
      return this.fail(key, error, uncertain);
    }
  }

  private async purchase(key: string): Promise<LabelRecord> {
    const { request, adapter } = this.partsOrFail(key, false);
    let created: CreatedShipment;
    try {
      created = await adapter.createShipment(request, {
        idempotencyKey: key,
        rememberAttempt: (attempt) => {
          this.deps.sql.exec(
            "UPDATE label_ledger SET attempt = ? WHERE key = ?",
            JSON.stringify(attempt),
            key,
          );
        },
      });
    } catch (error) {
      if (!isOutcomeUncertain(error)) return this.fail(key, error, false);
      // Timeout or courier fault: the label may have been bought. Ask before anything else.
      return this.resolve(key, error);
    }
    return this.bought(key, created);
  }

  /** After a restart: the courier either has the shipment, or never bought it and we buy now. */
  private async resolveThenBuy(key: string): Promise<LabelRecord> {
    const { request, attempt, adapter } = this.partsOrFail(key, true);
    let found: CreatedShipment | null;
    try {
      found = await adapter.findShipment({ idempotencyKey: key, request, ...(attempt ? { attempt } : {}) });
    } catch (error) {
      return this.fail(key, error, true);
    }
    return found ? this.bought(key, found) : this.purchase(key);
  }

  private async resolve(key: string, purchaseError: unknown): Promise<LabelRecord> {
    const { request, attempt, adapter } = this.parts(key);
    let found: CreatedShipment | null;
    try {
      found = await adapter.findShipment({ idempotencyKey: key, request, ...(attempt ? { attempt } : {}) });
    } catch {
      // Still not known: keep it marked uncertain so the next attempt asks the courier first.
      return this.fail(key, purchaseError, true);
    }
    // The courier has no shipment under our key: nothing was bought; the next attempt may buy.
    return found ? this.bought(key, found) : this.fail(key, purchaseError, false);
  }

  private fail(key: string, error: unknown, uncertain: boolean): never {
    const message = error instanceof Error ? error.message : String(error);
    this.deps.sql.exec(
      "UPDATE label_ledger SET state = 'failed', error = ?, uncertain = ? WHERE key = ?",
      message,
      uncertain ? 1 : 0,
      key,
    );
    throw error instanceof ConsignError ? error : new ConsignError(ErrorCode.Internal, message);
  }

  private async bought(key: string, created: CreatedShipment): Promise<LabelRecord> {
    const { adapter } = this.parts(key);
    this.deps.sql.exec(
      `UPDATE label_ledger SET state = 'bought', uncertain = 0, error = NULL, tracking_number = ?, courier_shipment_id = ?,
       package_reference = ?, amazon_carrier_code = ?, bought_at = ?, cost = ? WHERE key = ?`,
      created.trackingNumber,
      created.courierShipmentId,
      created.packageReference ?? null,
      adapter.amazonCarrierCode,
      this.now(),
      created.cost ? JSON.stringify(created.cost) : null,
      key,
    );
    return this.storeLabel(key, created.labelPdf);
  }

  /** Fetches (if needed) and stores the label PDF in R2. A failure here leaves the purchase intact. */
  private async storeLabel(key: string, pdf?: Uint8Array): Promise<LabelRecord> {
    const { record, adapter } = this.parts(key);
    const row = this.deps.sql.exec("SELECT * FROM label_ledger WHERE key = ?", key).one();
    try {
      const bytes = pdf ?? (await adapter.fetchLabel(this.createdFrom(row)));
      const labelKey = `${this.deps.labelPrefix}/labels/${encodeURIComponent(record.orderId)}/${record.revision}.pdf`;
      await this.deps.labels.put(labelKey, bytes, {
        httpMetadata: { contentType: "application/pdf" },
        customMetadata: { trackingNumber: record.trackingNumber ?? "", courier: record.courier },
      });
      this.deps.sql.exec("UPDATE label_ledger SET label_key = ?, error = NULL WHERE key = ?", labelKey, key);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.sql.exec(
        "UPDATE label_ledger SET error = ? WHERE key = ?",
        `Label bought but not yet stored: ${message}`,
        key,
      );
    }
    return this.record(key);
  }

  private createdFrom(row: Row): CreatedShipment {
    return {
      courier: String(row.courier) as CourierId,
      courierShipmentId: String(row.courier_shipment_id),
      trackingNumber: String(row.tracking_number),
      serviceCode: String(row.service_code),
      ...(row.package_reference !== null ? { packageReference: String(row.package_reference) } : {}),
    };
  }
}
