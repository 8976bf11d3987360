// The sandbox seller's SQLite tables: orders, issued credentials, rate-limit buckets, confirmations
// received and settings (fault switches). One instance per AmazonSellerState Durable Object.

import type { SandboxOrder, WireOrder } from "./wire.ts";

export type CredentialKind = "code" | "refresh" | "access" | "rdt";

export interface Credential {
  token: string;
  kind: CredentialKind;
  expiresMs: number | null;
  revoked: boolean;
  used: boolean;
  scope: string | null;
}

export interface OrderRow {
  order: WireOrder;
  createdMs: number;
  updatedMs: number;
  cancelRequestMs: number | null;
}

export interface ReceivedConfirmation {
  seq: number;
  orderId: string;
  packageReferenceId: string | null;
  accepted: boolean;
  httpStatus: number;
  error: string | null;
  receivedAt: string;
  /** The request body as received (JSON text). */
  body: string;
}

export class SellerStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS orders (
        order_id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
        cancel_request_ms INTEGER, status TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS orders_created ON orders (created_ms, order_id);
      CREATE INDEX IF NOT EXISTS orders_updated ON orders (updated_ms, order_id);
      CREATE TABLE IF NOT EXISTS credentials (
        token TEXT PRIMARY KEY, kind TEXT NOT NULL, expires_ms INTEGER, revoked INTEGER NOT NULL DEFAULT 0,
        used INTEGER NOT NULL DEFAULT 0, scope TEXT, created_ms INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS buckets (op TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_ms INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS confirmations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, order_id TEXT NOT NULL, package_reference_id TEXT,
        accepted INTEGER NOT NULL, http_status INTEGER NOT NULL, error TEXT, received_ms INTEGER NOT NULL,
        body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS listing_quantity (sku TEXT PRIMARY KEY, available INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS withdrawn (
        order_id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, sku TEXT NOT NULL, body TEXT NOT NULL);
    `);
  }

  // the listing's quantity (Listings Items' fulfillment_availability) ----------------------------
  /**
   * The quantity the seller pushed for a SKU: from then on buyers can order only that many units;
   * each order placed takes its units off, as Amazon's offer does (a SKU never pushed is unlimited).
   */
  setListingQuantity(sku: string, quantity: number, now: number): void {
    // Orders due before the push were bought against the old quantity.
    this.placeDue(now);
    this.sql.exec(
      "INSERT INTO listing_quantity (sku, available) VALUES (?, ?) ON CONFLICT(sku) DO UPDATE SET available = excluded.available",
      sku,
      quantity,
    );
  }

  listingQuantities(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.sql
      .exec<{ sku: string; available: number }>("SELECT sku, available FROM listing_quantity")
      .toArray())
      out[r.sku] = r.available;
    return out;
  }

  /**
   * Orders whose time has come are placed against the listings' quantities, oldest first: one that
   * asks for more units of a SKU than its listing offers was never placed (the buyer found the offer
   * unavailable), so it leaves the order list for the `withdrawn` list (the simulation's report).
   */
  private placeDue(now: number): void {
    const through = this.getSetting<number>("placedThroughMs") ?? Number.NEGATIVE_INFINITY;
    if (now <= through) return;
    this.setSetting("placedThroughMs", now);
    const limits = new Map(Object.entries(this.listingQuantities()));
    if (limits.size === 0) return;
    const due = this.sql
      .exec<RawOrder>(
        "SELECT * FROM orders WHERE created_ms > ? AND created_ms <= ? ORDER BY created_ms, order_id",
        Number.isFinite(through) ? through : -8.64e15,
        now,
      )
      .toArray();
    for (const raw of due) {
      const order = JSON.parse(raw.body) as WireOrder;
      const wanted = new Map<string, number>();
      for (const i of order.orderItems)
        if (limits.has(i.product.sellerSku))
          wanted.set(i.product.sellerSku, (wanted.get(i.product.sellerSku) ?? 0) + i.quantityOrdered);
      if (wanted.size === 0) continue;
      const short = [...wanted].find(([sku, n]) => (limits.get(sku) ?? 0) < n);
      if (short) {
        this.sql.exec("DELETE FROM orders WHERE order_id = ?", raw.order_id);
        this.sql.exec(
          "INSERT OR REPLACE INTO withdrawn (order_id, created_ms, sku, body) VALUES (?, ?, ?, ?)",
          raw.order_id,
          raw.created_ms,
          short[0],
          raw.body,
        );
        continue;
      }
      for (const [sku, n] of wanted) {
        const left = (limits.get(sku) ?? 0) - n;
        limits.set(sku, left);
        this.sql.exec("UPDATE listing_quantity SET available = ? WHERE sku = ?", left, sku);
      }
    }
  }

  /** Orders never placed because their listing offered too few units (order id, when, which SKU). */
  withdrawnOrders(): { orderId: string; createdMs: number; sku: string }[] {
    return this.sql
      .exec<{ order_id: string; created_ms: number; sku: string }>(
        "SELECT order_id, created_ms, sku FROM withdrawn ORDER BY created_ms, order_id",
      )
      .toArray()
      .map((r) => ({ orderId: r.order_id, createdMs: r.created_ms, sku: r.sku }));
  }

  // settings -----------------------------------------------------------------------------------
  getSetting<T>(key: string): T | undefined {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM settings WHERE key = ?", key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    if (value === undefined) this.sql.exec("DELETE FROM settings WHERE key = ?", key);
    else
      this.sql.exec(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        key,
        JSON.stringify(value),
      );
  }

  // orders -------------------------------------------------------------------------------------
  replaceOrders(orders: SandboxOrder[]): void {
    this.sql.exec("DELETE FROM orders");
    this.sql.exec("DELETE FROM confirmations");
    for (const o of orders) this.saveOrder(o);
  }

  saveOrder(o: SandboxOrder | OrderRow): void {
    this.sql.exec(
      `INSERT INTO orders (order_id, created_ms, updated_ms, cancel_request_ms, status, body) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(order_id) DO UPDATE SET updated_ms = excluded.updated_ms, status = excluded.status,
       body = excluded.body, cancel_request_ms = excluded.cancel_request_ms`,
      o.order.orderId,
      o.createdMs,
      o.updatedMs,
      ("cancelRequestMs" in o ? o.cancelRequestMs : null) ?? null,
      o.order.fulfillment.fulfillmentStatus,
      JSON.stringify(o.order),
    );
  }

  /** Buyers' cancellation requests whose time has come update their order's lastUpdatedTime. */
  advance(now: number): void {
    this.placeDue(now);
    this.sql.exec(
      `UPDATE orders SET updated_ms = cancel_request_ms WHERE cancel_request_ms IS NOT NULL
       AND cancel_request_ms <= ? AND updated_ms < cancel_request_ms AND status IN ('UNSHIPPED','PARTIALLY_SHIPPED','PENDING')`,
      now,
    );
  }

  /** Every order, future ones included, oldest first (the month simulation's report). */
  allOrders(): OrderRow[] {
    return this.sql.exec<RawOrder>("SELECT * FROM orders ORDER BY created_ms, order_id").toArray().map(toRow);
  }

  getOrder(orderId: string, now: number): OrderRow | undefined {
    const row = this.sql
      .exec<RawOrder>("SELECT * FROM orders WHERE order_id = ? AND created_ms <= ?", orderId, now)
      .toArray()[0];
    return row ? toRow(row) : undefined;
  }

  /** Keyset search: orders by (time, orderId) after `cursor`, within [after, before]. */
  searchOrders(q: {
    by: "created" | "updated";
    after: number;
    before: number;
    now: number;
    statuses?: string[];
    cursor?: { t: number; id: string };
    limit: number;
  }): OrderRow[] {
    const col = q.by === "created" ? "created_ms" : "updated_ms";
    const params: (string | number)[] = [q.after, q.before, q.now];
    let where = `${col} >= ? AND ${col} <= ? AND created_ms <= ?`;
    if (q.statuses && q.statuses.length > 0) {
      where += ` AND status IN (${q.statuses.map(() => "?").join(",")})`;
      params.push(...q.statuses);
    }
    if (q.cursor) {
      where += ` AND (${col} > ? OR (${col} = ? AND order_id > ?))`;
      params.push(q.cursor.t, q.cursor.t, q.cursor.id);
    }
    return this.sql
      .exec<RawOrder>(
        `SELECT * FROM orders WHERE ${where} ORDER BY ${col}, order_id LIMIT ?`,
        ...params,
        q.limit,
      )
      .toArray()
      .map(toRow);
  }

  /**
   * What happened in the order world in (after, until]: orders placed and buyers' cancellation
   * requests made (on orders still open), oldest first. What ORDER_CHANGE reports as time passes.
   */
  eventsBetween(
    after: number,
    until: number,
    limit = 500,
  ): { orderId: string; at: number; kind: "placed" | "cancelRequest" }[] {
    return this.sql
      .exec<{ order_id: string; at: number; kind: "placed" | "cancelRequest" }>(
        `SELECT order_id, created_ms AS at, 'placed' AS kind FROM orders WHERE created_ms > ? AND created_ms <= ?
         UNION ALL
         SELECT order_id, cancel_request_ms AS at, 'cancelRequest' AS kind FROM orders
           WHERE cancel_request_ms > ? AND cancel_request_ms <= ? AND cancel_request_ms >= created_ms
           AND status IN ('UNSHIPPED','PARTIALLY_SHIPPED','PENDING')
         ORDER BY at, kind DESC, order_id LIMIT ?`,
        after,
        until,
        after,
        until,
        limit,
      )
      .toArray()
      .map((r) => ({ orderId: r.order_id, at: r.at, kind: r.kind }));
  }

  /** When the next order is placed or the next cancellation request made after `t`, if any. */
  nextEventAfter(t: number): number | null {
    return (
      this.sql
        .exec<{ at: number | null }>(
          `SELECT min(at) AS at FROM (
             SELECT min(created_ms) AS at FROM orders WHERE created_ms > ?
             UNION ALL
             SELECT min(cancel_request_ms) AS at FROM orders WHERE cancel_request_ms > ?
               AND status IN ('UNSHIPPED','PARTIALLY_SHIPPED','PENDING'))`,
          t,
          t,
        )
        .one().at ?? null
    );
  }

  orderCounts(now: number): { visible: number; scheduled: number; byStatus: Record<string, number> } {
    const byStatus: Record<string, number> = {};
    for (const r of this.sql
      .exec<{ status: string; n: number }>(
        "SELECT status, count(*) AS n FROM orders WHERE created_ms <= ? GROUP BY status",
        now,
      )
      .toArray())
      byStatus[r.status] = r.n;
    const scheduled = this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM orders WHERE created_ms > ?", now)
      .one().n;
    return { visible: Object.values(byStatus).reduce((a, b) => a + b, 0), scheduled, byStatus };
  }

  // credentials --------------------------------------------------------------------------------
  issue(token: string, kind: CredentialKind, now: number, ttlSeconds: number | null, scope?: unknown): void {
    this.sql.exec(
      "INSERT INTO credentials (token, kind, expires_ms, scope, created_ms) VALUES (?, ?, ?, ?, ?)",
      token,
      kind,
      ttlSeconds === null ? null : now + ttlSeconds * 1000,
      scope === undefined ? null : JSON.stringify(scope),
      now,
    );
  }

  credential(token: string): Credential | undefined {
    const r = this.sql
      .exec<{
        token: string;
        kind: string;
        expires_ms: number | null;
        revoked: number;
        used: number;
        scope: string | null;
      }>("SELECT token, kind, expires_ms, revoked, used, scope FROM credentials WHERE token = ?", token)
      .toArray()[0];
    if (!r) return undefined;
    return {
      token: r.token,
      kind: r.kind as CredentialKind,
      expiresMs: r.expires_ms,
      revoked: r.revoked === 1,
      used: r.used === 1,
      scope: r.scope,
    };
  }

  markUsed(token: string): void {
    this.sql.exec("UPDATE credentials SET used = 1 WHERE token = ?", token);
  }

  /** Every access token and RDT issued so far expires now (the next call is answered "expired"). */
  expireAccessTokens(now: number): number {
    return this.sql.exec("UPDATE credentials SET expires_ms = ? WHERE kind IN ('access','rdt')", now - 1)
      .rowsWritten;
  }

  /** The seller revoked the app: refresh tokens, access tokens and RDTs stop working. */
  revokeAll(): number {
    return this.sql.exec("UPDATE credentials SET revoked = 1 WHERE kind IN ('refresh','access','rdt')")
      .rowsWritten;
  }

  // rate-limit buckets ---------------------------------------------------------------------------
  /** Takes one token for `op`; false when the bucket is empty (the caller answers 429). */
  takeToken(op: string, rate: number, burst: number, now: number): boolean {
    const row = this.sql
      .exec<{ tokens: number; updated_ms: number }>("SELECT tokens, updated_ms FROM buckets WHERE op = ?", op)
      .toArray()[0];
    let tokens = row
      ? Math.min(burst, row.tokens + (Math.max(0, now - row.updated_ms) / 1000) * rate)
      : burst;
    const ok = tokens >= 1;
    if (ok) tokens -= 1;
    this.sql.exec(
      "INSERT INTO buckets (op, tokens, updated_ms) VALUES (?, ?, ?) ON CONFLICT(op) DO UPDATE SET tokens = excluded.tokens, updated_ms = excluded.updated_ms",
      op,
      tokens,
      Math.max(now, row?.updated_ms ?? 0),
    );
    return ok;
  }

  resetBuckets(): void {
    this.sql.exec("DELETE FROM buckets");
  }

  // confirmations received -----------------------------------------------------------------------
  recordConfirmation(
    c: Omit<ReceivedConfirmation, "seq" | "receivedAt" | "body"> & { receivedMs: number; body: unknown },
  ): void {
    this.sql.exec(
      "INSERT INTO confirmations (order_id, package_reference_id, accepted, http_status, error, received_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
      c.orderId,
      c.packageReferenceId,
      c.accepted ? 1 : 0,
      c.httpStatus,
      c.error,
      c.receivedMs,
      JSON.stringify(c.body ?? null),
    );
  }

  confirmations(): ReceivedConfirmation[] {
    return this.sql
      .exec<{
        seq: number;
        order_id: string;
        package_reference_id: string | null;
        accepted: number;
        http_status: number;
        error: string | null;
        received_ms: number;
        body: string;
      }>("SELECT * FROM confirmations ORDER BY seq")
      .toArray()
      .map((r) => ({
        seq: r.seq,
        orderId: r.order_id,
        packageReferenceId: r.package_reference_id,
        accepted: r.accepted === 1,
        httpStatus: r.http_status,
        error: r.error,
        receivedAt: new Date(r.received_ms).toISOString(),
        body: r.body,
      }));
  }
}

interface RawOrder {
  order_id: string;
  created_ms: number;
  updated_ms: number;
  cancel_request_ms: number | null;
  status: string;
  body: string;
  [key: string]: SqlStorageValue;
}

function toRow(r: RawOrder): OrderRow {
  return {
    order: JSON.parse(r.body) as WireOrder,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
    cancelRequestMs: r.cancel_request_ms,
  };
}
