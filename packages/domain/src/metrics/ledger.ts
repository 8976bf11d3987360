// A column store of the few numbers the metrics read from each order and each parcel, kept up to
// date one order at a time.
//
// computeMetrics() walks the order objects themselves; on a big account most of its time goes to fetching
// scattered objects from memory. The metrics worker instead keeps a MetricLedger beside the orders
// (upsert when an order changes) and recomputes every metric at any instant from typed arrays, which is
// what lets the windows slide every minute at no cost. Two tables: one row per order (order-level
// metrics, both channels), one row per confirmed seller-fulfilled parcel (valid tracking and on-time
// delivery count packages). Absent times are NaN: every comparison with NaN is false, so
// "x !== undefined && x <= now" is just "x <= now".

import type { DispatchConfirmation, Millis, Order, Shipment } from "../order.ts";
import { activeShipmentOf } from "../packages.ts";
import { isValidTrackingNumber } from "../tracking.ts";
import { buyerAskedToCancel, claimCountsAsDefect, refundRecordedAt } from "./classify.ts";
import { type AccountMetrics, emptyTally, metricsFromTally, windowsAt } from "./compute.ts";

/** The fields of a parcel the ledger reads (an OrderPackage, or an order without packages). */
interface Parcel {
  confirmation: DispatchConfirmation;
  deliveredAt?: number;
  tracking?: { checkedAt: number };
  shipments: readonly Shipment[];
}

const MFN = 1;
/** Cancelled by the seller without a buyer request: the kind the cancellation rate counts. */
const SELLER_CANCEL = 2;
const CLAIM_COUNTS = 4;
/** Package flag: the active label's number has its courier's format. */
const NUMBERED = 1;

const ORDER_COLUMNS = [
  "purchase",
  "latestShip",
  /** The last package's confirmation; NaN while any package has none. */
  "dispatched",
  /** The first package's confirmation. */
  "firstConfirmed",
  "cancelled",
  "negativeFeedback",
  "claim",
  "chargeback",
  "refunded",
  "message",
] as const;
type OrderColumn = (typeof ORDER_COLUMNS)[number];
/** `tracked`: when the courier last answered for the parcel (see compute.ts, on-time delivery). */
const PACKAGE_COLUMNS = ["confirmed", "delivered", "latestDelivery", "tracked"] as const;
type PackageColumn = (typeof PACKAGE_COLUMNS)[number];

/** Typed columns with swap-remove, rows named by a string key. */
class Table<C extends string> {
  capacity: number;
  count = 0;
  keys: string[] = [];
  flags: Uint8Array;
  cols: Record<C, Float64Array>;

  constructor(
    private readonly names: readonly C[],
    capacity: number,
  ) {
    this.capacity = Math.max(16, capacity);
    this.flags = new Uint8Array(this.capacity);
    this.cols = Object.fromEntries(names.map((c) => [c, new Float64Array(this.capacity)])) as Record<
      C,
      Float64Array
    >;
  }

  add(key: string): number {
    if (this.count === this.capacity) this.grow();
    const row = this.count++;
    this.keys[row] = key;
    return row;
  }

  /** Removes `row` by moving the last row into it; returns the key of the row that moved, if any. */
  removeRow(row: number): string | undefined {
    const last = --this.count;
    let moved: string | undefined;
    if (row !== last) {
      for (const name of this.names) this.cols[name][row] = this.cols[name][last]!;
      this.flags[row] = this.flags[last]!;
      moved = this.keys[last]!;
      this.keys[row] = moved;
    }
    this.keys.length = last;
    return moved;
  }

  private grow(): void {
    this.capacity *= 2;
    const flags = new Uint8Array(this.capacity);
    flags.set(this.flags);
    this.flags = flags;
    for (const name of this.names) {
      const next = new Float64Array(this.capacity);
      next.set(this.cols[name]);
      this.cols[name] = next;
    }
  }
}

export class MetricLedger {
  private readonly orders: Table<OrderColumn>;
  private readonly packages: Table<PackageColumn>;
  private readonly rowOf = new Map<string, number>();
  /** Package rows of each order (most orders: none or one). */
  private readonly packageRowsOf = new Map<string, number[]>();

  constructor(capacity = 1024) {
    this.orders = new Table(ORDER_COLUMNS, capacity);
    this.packages = new Table(PACKAGE_COLUMNS, capacity);
  }

  static from(orders: readonly Order[]): MetricLedger {
    const ledger = new MetricLedger(orders.length);
    for (const o of orders) ledger.upsert(o);
    return ledger;
  }

  get size(): number {
    return this.orders.count;
  }

  upsert(o: Order): void {
    const t = this.orders;
    let row = this.rowOf.get(o.orderId);
    if (row === undefined) {
      row = t.add(o.orderId);
      this.rowOf.set(o.orderId, row);
    }
    const c = t.cols;
    const d = o.defects;
    const mfn = o.fulfilmentChannel === "MFN";
    // What the metrics read of each parcel: the order's own fields when it has no explicit packages.
    const parcels: readonly Parcel[] = o.packages !== undefined && o.packages.length > 0 ? o.packages : [o];
    let first = Number.NaN;
    let last = Number.NEGATIVE_INFINITY;
    let complete = true;
    for (const p of parcels) {
      const at = p.confirmation.confirmedAt;
      if (at === undefined) {
        complete = false;
        continue;
      }
      if (Number.isNaN(first) || at < first) first = at;
      if (at > last) last = at;
    }
    c.purchase[row] = o.purchaseDate;
    c.latestShip[row] = o.latestShipDate;
    c.dispatched[row] = complete ? last : Number.NaN;
    c.firstConfirmed[row] = first;
    c.cancelled[row] = o.cancelledBy !== undefined ? (o.cancelledAt ?? Number.NaN) : Number.NaN;
    c.negativeFeedback[row] = d?.negativeFeedbackAt ?? Number.NaN;
    c.claim[row] = d?.azClaim?.at ?? Number.NaN;
    c.chargeback[row] = d?.chargebackAt ?? Number.NaN;
    c.refunded[row] = refundRecordedAt(d) ?? Number.NaN;
    c.message[row] = d?.buyerMessageAt ?? Number.NaN;
    t.flags[row] =
      (mfn ? MFN : 0) |
      (o.cancelledBy === "seller" && !buyerAskedToCancel(o) ? SELLER_CANCEL : 0) |
      (d?.azClaim !== undefined && claimCountsAsDefect(d.azClaim) ? CLAIM_COUNTS : 0);

    this.removePackages(o.orderId);
    if (!mfn) return;
    const rows: number[] = [];
    const pt = this.packages;
    for (const p of parcels) {
      const at = p.confirmation.confirmedAt;
      if (at === undefined) continue;
      const r = pt.add(o.orderId);
      rows.push(r);
      pt.cols.confirmed[r] = at;
      pt.cols.delivered[r] = p.deliveredAt ?? Number.NaN;
      pt.cols.tracked[r] = p.tracking?.checkedAt ?? Number.NaN;
      pt.cols.latestDelivery[r] = o.latestDeliveryDate ?? Number.NaN;
      const s = activeShipmentOf(p.shipments);
      pt.flags[r] = s !== undefined && isValidTrackingNumber(s.courier, s.trackingNumber) ? NUMBERED : 0;
    }
    if (rows.length > 0) this.packageRowsOf.set(o.orderId, rows);
  }

  remove(orderId: string): boolean {
    const row = this.rowOf.get(orderId);
    if (row === undefined) return false;
    const moved = this.orders.removeRow(row);
    if (moved !== undefined) this.rowOf.set(moved, row);
    this.rowOf.delete(orderId);
    this.removePackages(orderId);
    return true;
  }

  private removePackages(orderId: string): void {
    const rows = this.packageRowsOf.get(orderId);
    if (rows === undefined) return;
    this.packageRowsOf.delete(orderId);
    // Highest first, so a row moved into a freed slot is never one still to be removed.
    rows.sort((a, b) => b - a);
    for (const row of rows) {
      const from = this.packages.count - 1;
      const moved = this.packages.removeRow(row);
      if (moved === undefined) continue;
      const owner = this.packageRowsOf.get(moved)!;
      owner[owner.indexOf(from)] = row;
    }
  }

  /** Every metric at `now`, with the same rules as computeMetrics (see compute.ts). */
  metricsAt(now: Millis): AccountMetrics {
    const { from7, from10, from14, from30, from60, from90 } = windowsAt(now);
    const t = emptyTally();
    const { purchase, latestShip, dispatched, firstConfirmed, cancelled } = this.orders.cols;
    const { negativeFeedback, claim, chargeback, refunded, message } = this.orders.cols;
    const flags = this.orders.flags;
    let odrN = 0;
    let odrD = 0;
    let odrNeg = 0;
    let odrClaim = 0;
    let odrCb = 0;
    let afnN = 0;
    let afnD = 0;
    let afnNeg = 0;
    let afnClaim = 0;
    let afnCb = 0;
    let pcrN = 0;
    let pcrD = 0;
    let ld10N = 0;
    let ld10D = 0;
    let ld30N = 0;
    let ld30D = 0;
    let popN = 0;
    let popD = 0;
    let refN = 0;
    let refD = 0;
    const n = this.orders.count;
    for (let i = 0; i < n; i++) {
      const f = flags[i]!;
      const p = purchase[i]!;
      const neg = negativeFeedback[i]! <= now;
      const hasClaim = claim[i]! <= now;
      const claimCounts = hasClaim && (f & CLAIM_COUNTS) !== 0;
      const cb = chargeback[i]! <= now;
      if ((f & MFN) === 0) {
        if (p >= from60 && p <= now) {
          afnD++;
          if (neg || claimCounts || cb) afnN++;
          if (neg) afnNeg++;
          if (claimCounts) afnClaim++;
          if (cb) afnCb++;
        }
        continue;
      }
      const cancelledAt = cancelled[i]!;
      const isCancelled = cancelledAt <= now;
      const afterDispatch = isCancelled && firstConfirmed[i]! <= cancelledAt;
      const beforeDispatch = isCancelled && !afterDispatch;
      const lsd = latestShip[i]!;
      const done = dispatched[i]!;
      const late = !beforeDispatch && (done <= now ? done > lsd : lsd < now);
      if (!beforeDispatch && lsd >= from30 && lsd <= now) {
        ld30D++;
        if (late) ld30N++;
        if (lsd >= from10) {
          ld10D++;
          if (late) ld10N++;
        }
      }
      if (p < from90 || p > now) continue;
      const refund = refunded[i]! <= now || afterDispatch;
      popD++;
      if (!(neg || hasClaim || cb || refund || isCancelled || late || message[i]! <= now)) popN++;
      if (p < from60) continue;
      odrD++;
      if (neg || cb || claimCounts) odrN++;
      if (neg) odrNeg++;
      if (claimCounts) odrClaim++;
      if (cb) odrCb++;
      if (p < from30) continue;
      refD++;
      if (refund) refN++;
      if (p < from7) continue;
      pcrD++;
      if (beforeDispatch && (f & SELLER_CANCEL) !== 0) pcrN++;
    }

    const { confirmed, delivered, latestDelivery, tracked } = this.packages.cols;
    const pflags = this.packages.flags;
    let vtrN = 0;
    let vtrD = 0;
    let otdN = 0;
    let otdD = 0;
    let otdWait = 0;
    const m = this.packages.count;
    for (let i = 0; i < m; i++) {
      const conf = confirmed[i]!;
      if (conf > now) continue;
      const numbered = pflags[i]! !== 0;
      const del = delivered[i]!;
      const afterDelivery = del <= now && del < conf;
      if (conf >= from30) {
        vtrD++;
        if (numbered && !afterDelivery) vtrN++;
      }
      const ldd = latestDelivery[i]!;
      if (numbered && ldd >= from14 && ldd <= now) {
        const seen = tracked[i]!;
        if (del <= now || (seen <= now && seen >= ldd)) {
          otdD++;
          if (del <= now && del <= ldd && !afterDelivery) otdN++;
        } else otdWait++;
      }
    }

    Object.assign(t.odr, {
      numerator: odrN,
      denominator: odrD,
      negativeFeedback: odrNeg,
      claims: odrClaim,
      chargebacks: odrCb,
    });
    Object.assign(t.afnOdr, {
      numerator: afnN,
      denominator: afnD,
      negativeFeedback: afnNeg,
      claims: afnClaim,
      chargebacks: afnCb,
    });
    t.pcr = { numerator: pcrN, denominator: pcrD };
    t.ld10 = { numerator: ld10N, denominator: ld10D };
    t.ld30 = { numerator: ld30N, denominator: ld30D };
    t.vtr = { numerator: vtrN, denominator: vtrD };
    t.otd = { numerator: otdN, denominator: otdD, awaiting: otdWait };
    t.pop = { numerator: popN, denominator: popD };
    t.refund = { numerator: refN, denominator: refD };
    return metricsFromTally(t, now);
  }
}
