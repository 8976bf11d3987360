import { DurableObject } from "cloudflare:workers";
import type { SandboxEnv } from "../env.ts";
import { dpdNumbers, evriBarcode, ROYAL_MAIL_SERVICES, s10 } from "./rules.ts";
import { type JourneyEvent, journeySoFar } from "./tracking.ts";

/** Returns labels are posted by the buyer, never handed over on the seller's manifest. */
const RETURNS_SERVICES = Object.entries(ROYAL_MAIL_SERVICES)
  .filter(([, s]) => s.returns)
  .map(([code]) => code);

/** A shipment the sandbox courier has sold. `details` is courier-specific JSON. */
export interface SandboxShipment {
  id: number;
  reference: string | null;
  trackingNumber: string;
  secondaryNumber: string | null;
  service: string;
  postcode: string;
  createdAt: number;
  voidedAt: number | null;
  deliveredAt: number | null;
  details: Record<string, string>;
}

export interface NewShipment {
  /** The caller's idempotency key (orderReference, x-amzn-IdempotencyKey, shippingRef1, clientUniqueReference). */
  reference: string | null;
  service: string;
  postcode: string;
  details: Record<string, string>;
}

/** Fault switches, set through /_sandbox/couriers/... */
export interface CourierFaults {
  /** Delay purchase answers by this long (the shipment is still created first). */
  timeoutMs?: number;
  /** How many purchases to delay; unlimited when absent. */
  timeouts?: number;
  /** Answer this many next calls with HTTP 500 before doing anything. */
  serverErrors?: number;
  /** Postcodes the courier "does not recognise". */
  rejectPostcodes?: string[];
  /** Service (or DPD network) codes this account does not have switched on, e.g. Tracked Returns. */
  disabledServices?: string[];
  /** The courier is down (for hours): every API call answers 503 until this is switched off. */
  down?: boolean;
  /** Manifests (and retries) that end "Failed", their orders not processed: retry them. */
  manifestFailures?: number;
  /** How many GET /manifests/{n} answer "In Progress" without the PDF before it is ready (202 first). */
  manifestPdfPending?: number;
  /** Another rate limit than the courier's documented one (calls a second), e.g. 1 to test a slower account. */
  callsPerSecond?: number;
  /** Answer this many next calls 200 with a body the courier's model does not allow (cut-off JSON). */
  malformedAnswers?: number;
}

/** What the account's gate says of one API call: refused while down, or over the rate limit. */
export interface CallGate {
  down: boolean;
  /** 0 when the call is admitted; else how long until one would be (the 429's Retry-After). */
  retryAfterMs: number;
}

/** A Click & Drop manifest: the orders it carries and where its paperwork stands. */
export interface SandboxManifest {
  manifestNumber: number;
  createdAt: number;
  carrierName: string | null;
  status: "In Progress" | "Completed" | "Failed";
  shipmentIds: number[];
  /** GETs still to answer "In Progress" before the PDF is ready. */
  pdfChecksLeft: number;
}

type Row = Record<string, SqlStorageValue>;

function toShipment(row: Row): SandboxShipment {
  return {
    id: Number(row.id),
    reference: (row.reference as string | null) ?? null,
    trackingNumber: String(row.tracking_number),
    secondaryNumber: (row.secondary_number as string | null) ?? null,
    service: String(row.service),
    postcode: String(row.postcode),
    createdAt: Number(row.created_at),
    voidedAt: row.voided_at === null ? null : Number(row.voided_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    details: JSON.parse(String(row.details)) as Record<string, string>,
  };
}

/** One sandbox courier account (`${courier}:${account}`): shipments, idempotency keys, faults. */
export class CourierAccountState extends DurableObject<SandboxEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS shipments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        reference TEXT UNIQUE,
        tracking_number TEXT NOT NULL UNIQUE,
        secondary_number TEXT,
        service TEXT NOT NULL,
        postcode TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        voided_at INTEGER,
        delivered_at INTEGER,
        details TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, created_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS manifests (
        manifest_number INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, carrier_name TEXT,
        status TEXT NOT NULL, shipment_ids TEXT NOT NULL, pdf_checks_left INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS manifested (
        shipment_id INTEGER PRIMARY KEY, manifest_number INTEGER NOT NULL, manifested_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS register (tracking_number TEXT PRIMARY KEY, account TEXT NOT NULL);
    `);
  }

  private get(k: string): string | undefined {
    const row = this.sql.exec("SELECT v FROM kv WHERE k = ?", k).toArray()[0];
    return row ? String(row.v) : undefined;
  }

  private put(k: string, v: string): void {
    this.sql.exec("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", k, v);
  }

  /**
   * The account's clock: real time plus the offset a simulation moved it by (POST …/clock), so that
   * parcels are collected and delivered in the same simulated days as the seller's orders. Rate
   * limits and tokens keep real time.
   */
  now(): number {
    return Date.now() + Number(this.get("clock_offset_ms") ?? "0");
  }

  /** Moves the account's clock forward by `ms`; returns the new offset. */
  advanceClock(ms: number): number {
    const offset = Number(this.get("clock_offset_ms") ?? "0") + Math.max(0, Math.round(ms));
    this.put("clock_offset_ms", String(offset));
    return offset;
  }

  /** A per-account random start so that accounts do not share tracking numbers. */
  private nextSerial(): number {
    const base = Number(this.get("serial") ?? Math.floor(Math.random() * 90_000_000));
    this.put("serial", String(base + 1));
    return base + 1;
  }

  /**
   * Sells a shipment, or returns the one already sold under the same reference (idempotency).
   * `number` turns the account serial into the courier's tracking numbers.
   */
  purchase(
    input: NewShipment,
    numbering:
      | { kind: "royal-mail"; prefix: string }
      | { kind: "evri" }
      | { kind: "dpd" }
      | { kind: "amazon" },
  ): { created: boolean; shipment: SandboxShipment } {
    this.put("purchase_requests", String(this.purchaseRequests() + 1));
    if (input.reference !== null) {
      const existing = this.byReference(input.reference);
      if (existing) return { created: false, shipment: existing };
    }
    const serial = this.nextSerial();
    let tracking: string;
    let secondary: string | null = null;
    if (numbering.kind === "royal-mail") tracking = s10(numbering.prefix, serial);
    else if (numbering.kind === "evri") tracking = evriBarcode(serial);
    else if (numbering.kind === "dpd") {
      const n = dpdNumbers(serial);
      secondary = n.consignmentNumber;
      tracking = n.parcelNumber;
    } else tracking = `QA${String(serial).padStart(10, "0")}`;
    const row = this.sql
      .exec(
        `INSERT INTO shipments (reference, tracking_number, secondary_number, service, postcode, created_at, details)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        input.reference,
        tracking,
        secondary,
        input.service,
        input.postcode,
        this.now(),
        JSON.stringify(input.details),
      )
      .one();
    return { created: true, shipment: toShipment(row) };
  }

  /** A purchase request repeated under a reference already sold: counted, answered from the store. */
  replay(reference: string): SandboxShipment | null {
    const existing = this.byReference(reference);
    if (existing) this.put("purchase_requests", String(this.purchaseRequests() + 1));
    return existing;
  }

  byReference(reference: string): SandboxShipment | null {
    const row = this.sql.exec("SELECT * FROM shipments WHERE reference = ?", reference).toArray()[0];
    return row ? toShipment(row) : null;
  }

  byId(id: number): SandboxShipment | null {
    const row = this.sql.exec("SELECT * FROM shipments WHERE id = ?", id).toArray()[0];
    return row ? toShipment(row) : null;
  }

  byTracking(trackingNumber: string): SandboxShipment | null {
    const row = this.sql
      .exec("SELECT * FROM shipments WHERE tracking_number = ?", trackingNumber)
      .toArray()[0];
    return row ? toShipment(row) : null;
  }

  /**
   * Each parcel's whole journey as the courier's network will scan it (the planned one, or up to a
   * test's hand delivery; none for a label voided before delivery), for the tracking numbers this
   * account sold; numbers it never sold are left out.
   */
  journeys(trackingNumbers: string[]): Record<string, JourneyEvent[]> {
    const out: Record<string, JourneyEvent[]> = {};
    for (const tn of new Set(trackingNumbers)) {
      const s = this.byTracking(tn);
      if (s) out[tn] = journeySoFar(s, Number.POSITIVE_INFINITY);
    }
    return out;
  }

  // The courier's register (one object per courier, named by registerName): which account sold each
  // tracking number, as a real network knows every parcel it carries whoever bought the label.

  /** Notes that `account` sold `trackingNumber` (a repeat changes nothing). */
  register(trackingNumber: string, account: string): void {
    this.sql.exec(
      "INSERT INTO register (tracking_number, account) VALUES (?, ?) ON CONFLICT (tracking_number) DO NOTHING",
      trackingNumber,
      account,
    );
  }

  /** The account that sold each of these tracking numbers, for those the courier sold. */
  accountsOf(trackingNumbers: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const tn of new Set(trackingNumbers)) {
      const row = this.sql.exec("SELECT account FROM register WHERE tracking_number = ?", tn).toArray()[0];
      if (row) out[tn] = String(row.account);
    }
    return out;
  }

  /** Finds a shipment by a field of its courier-specific details (e.g. Amazon's shipmentId). */
  byDetail(field: string, value: string): SandboxShipment | null {
    if (!/^[A-Za-z]+$/.test(field)) return null;
    const row = this.sql
      .exec(`SELECT * FROM shipments WHERE json_extract(details, '$.${field}') = ?`, value)
      .toArray()[0];
    return row ? toShipment(row) : null;
  }

  /** Marks a shipment cancelled; false if it was not there or already cancelled. */
  cancel(id: number): boolean {
    const row = this.sql
      .exec(
        "UPDATE shipments SET voided_at = ? WHERE id = ? AND voided_at IS NULL RETURNING id",
        this.now(),
        id,
      )
      .toArray()[0];
    return row !== undefined;
  }

  /** A test's hand delivery at `at` (now by default); it replaces the end of the parcel's planned journey. */
  deliver(trackingNumber: string, at: number = this.now()): boolean {
    const row = this.sql
      .exec(
        "UPDATE shipments SET delivered_at = ? WHERE tracking_number = ? AND voided_at IS NULL RETURNING id",
        at,
        trackingNumber,
      )
      .toArray()[0];
    return row !== undefined;
  }

  /** Every purchase ever made on this account, cancelled ones included. */
  purchaseCount(): number {
    return Number(this.sql.exec("SELECT count(*) AS n FROM shipments").one().n);
  }

  /** Purchase requests that reached the courier, idempotent repeats included. */
  purchaseRequests(): number {
    return Number(this.get("purchase_requests") ?? "0");
  }

  faults(): CourierFaults {
    return JSON.parse(this.get("faults") ?? "{}") as CourierFaults;
  }

  setFaults(faults: CourierFaults): CourierFaults {
    this.put("faults", JSON.stringify(faults));
    return faults;
  }

  /** When the calls admitted in the last second were made (memory only: a second's window). */
  private recentCalls: number[] = [];

  /**
   * One API call at the door: refused while the account is down, and counted against the courier's
   * rate limit (`perSecond` calls in any one second, unless a fault switch sets another). Only
   * admitted calls count, as a sliding one-second window; a refused one is told when to come back.
   */
  gate(perSecond: number): CallGate {
    const f = this.faults();
    if (f.down) return { down: true, retryAfterMs: 0 };
    const limit = f.callsPerSecond ?? perSecond;
    const now = Date.now();
    this.recentCalls = this.recentCalls.filter((at) => at > now - 1000);
    if (this.recentCalls.length >= limit) {
      const oldest = this.recentCalls[this.recentCalls.length - limit] ?? now;
      return { down: false, retryAfterMs: Math.max(1, oldest + 1000 - now) };
    }
    this.recentCalls.push(now);
    return { down: false, retryAfterMs: 0 };
  }

  /** Consumes one server error if one is armed. */
  takeServerError(): boolean {
    const f = this.faults();
    if (!f.serverErrors) return false;
    this.setFaults({ ...f, serverErrors: f.serverErrors - 1 });
    return true;
  }

  /** Consumes one malformed answer if one is armed. */
  takeMalformed(): boolean {
    const f = this.faults();
    if (!f.malformedAnswers) return false;
    this.setFaults({ ...f, malformedAnswers: f.malformedAnswers - 1 });
    return true;
  }

  /**
   * A sign-in with a username and password (Pro Shipping's /token): the first password a username
   * signs in with opens its sandbox account; a different one later is refused, as a wrong password is.
   */
  signIn(username: string, password: string): boolean {
    const key = `password:${username}`;
    const known = this.get(key);
    if (known === undefined) {
      this.put(key, password);
      return true;
    }
    return known === password;
  }

  /** How long to hold a purchase answer (consuming one armed timeout), 0 for none. */
  takeDelay(): number {
    const f = this.faults();
    if (!f.timeoutMs) return 0;
    if (f.timeouts !== undefined) {
      if (f.timeouts <= 0) return 0;
      this.setFaults({ ...f, timeouts: f.timeouts - 1 });
    }
    return f.timeoutMs;
  }

  /**
   * Click & Drop's "manifest eligible orders": every order with a label, not cancelled and not yet
   * manifested (returns labels are the buyer's to post, so never). Null when there is none. A failure fault leaves the orders unprocessed (retry them).
   */
  manifestEligible(carrierName: string | null): SandboxManifest | null {
    const ids = this.sql
      .exec(
        `SELECT id FROM shipments WHERE voided_at IS NULL
         AND id NOT IN (SELECT shipment_id FROM manifested)
         AND service NOT IN (${RETURNS_SERVICES.map(() => "?").join(", ")}) ORDER BY id`,
        ...RETURNS_SERVICES,
      )
      .toArray()
      .map((r) => Number(r.id));
    if (ids.length === 0) return null;
    const manifestNumber = Number(this.get("manifest_serial") ?? "1000") + 1;
    this.put("manifest_serial", String(manifestNumber));
    const f = this.faults();
    this.sql.exec(
      "INSERT INTO manifests VALUES (?, ?, ?, 'In Progress', ?, ?)",
      manifestNumber,
      this.now(),
      carrierName,
      JSON.stringify(ids),
      f.manifestPdfPending ?? 0,
    );
    return this.processManifest(manifestNumber);
  }

  /** Processes the manifest's orders again (after "Failed"); a completed one is answered as it is. */
  retryManifest(manifestNumber: number): SandboxManifest | null {
    const m = this.manifest(manifestNumber);
    if (!m || m.status !== "Failed") return m;
    return this.processManifest(manifestNumber);
  }

  private processManifest(manifestNumber: number): SandboxManifest | null {
    const f = this.faults();
    if (f.manifestFailures) {
      this.setFaults({ ...f, manifestFailures: f.manifestFailures - 1 });
      this.sql.exec("UPDATE manifests SET status = 'Failed' WHERE manifest_number = ?", manifestNumber);
      return this.manifest(manifestNumber);
    }
    const m = this.manifest(manifestNumber);
    if (!m) return null;
    const at = this.now();
    for (const id of m.shipmentIds) {
      if (this.byId(id)?.voidedAt !== null) continue; // cancelled since: not handed over
      this.sql.exec(
        "INSERT INTO manifested VALUES (?, ?, ?) ON CONFLICT (shipment_id) DO NOTHING",
        id,
        manifestNumber,
        at,
      );
    }
    const status = m.pdfChecksLeft > 0 ? "In Progress" : "Completed";
    this.sql.exec("UPDATE manifests SET status = ? WHERE manifest_number = ?", status, manifestNumber);
    return this.manifest(manifestNumber);
  }

  /** The manifest as GET /manifests/{n} sees it: each look brings an "In Progress" PDF closer. */
  checkManifest(manifestNumber: number): SandboxManifest | null {
    const m = this.manifest(manifestNumber);
    if (!m || m.status !== "In Progress") return m;
    const left = Math.max(0, m.pdfChecksLeft - 1);
    this.sql.exec(
      "UPDATE manifests SET pdf_checks_left = ?, status = ? WHERE manifest_number = ?",
      left,
      left === 0 ? "Completed" : "In Progress",
      manifestNumber,
    );
    return m;
  }

  manifest(manifestNumber: number): SandboxManifest | null {
    const row = this.sql
      .exec("SELECT * FROM manifests WHERE manifest_number = ?", manifestNumber)
      .toArray()[0];
    if (!row) return null;
    return {
      manifestNumber: Number(row.manifest_number),
      createdAt: Number(row.created_at),
      carrierName: (row.carrier_name as string | null) ?? null,
      status: String(row.status) as SandboxManifest["status"],
      shipmentIds: JSON.parse(String(row.shipment_ids)) as number[],
      pdfChecksLeft: Number(row.pdf_checks_left),
    };
  }

  /** When the shipment was manifested (it can no longer be cancelled), or null. */
  manifestedAt(shipmentId: number): number | null {
    const row = this.sql
      .exec("SELECT manifested_at FROM manifested WHERE shipment_id = ?", shipmentId)
      .toArray()[0];
    return row ? Number(row.manifested_at) : null;
  }

  saveToken(token: string, body: string): void {
    this.sql.exec("INSERT INTO tokens (token, created_at, body) VALUES (?, ?, ?)", token, Date.now(), body);
  }

  /** A quote's saved JSON and when it was made. */
  token(token: string): { createdAt: number; body: string } | null {
    const row = this.sql.exec("SELECT * FROM tokens WHERE token = ?", token).toArray()[0];
    return row ? { createdAt: Number(row.created_at), body: String(row.body) } : null;
  }
}
