// A column store of the few numbers the metrics read from each order, kept up to date one order at a time.
//
// computeMetrics() walks the order objects themselves; on a big account most of its time goes to fetching
// scattered objects from memory. The metrics worker instead keeps a MetricLedger beside the orders
// (upsert when an order changes) and recomputes every metric at any instant from typed arrays, which is
// what lets the windows slide every minute at no cost. Absent times are NaN: every comparison with NaN is
// false, so "x !== undefined && x <= now" is just "x <= now".

import type { Millis, Order } from "../order.ts";
import { DAY_MS } from "../time.ts";
import { isValidTrackingNumber } from "../tracking.ts";
import { buyerAskedToCancel, trackedShipment } from "./classify.ts";
import { type AccountMetrics, metricResult } from "./compute.ts";

const MFN = 1;
const CANCELLED = 2;
/** Cancelled by the seller without a buyer request: the kind the cancellation rate counts. */
const SELLER_CANCEL = 4;
const CLAIM_DENIED = 8;
const VALID_TRACKING = 16;

const COLUMNS = [
  "purchase",
  "latestShip",
  "latestDelivery",
  "confirmed",
  "cancelled",
  "delivered",
  "negativeFeedback",
  "claim",
  "chargeback",
  "refunded",
  "message",
] as const;
type Column = (typeof COLUMNS)[number];

export class MetricLedger {
  private capacity: number;
  private count = 0;
  private readonly rowOf = new Map<string, number>();
  private orderIds: string[] = [];
  private flags: Uint8Array;
  private cols: Record<Column, Float64Array>;

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.flags = new Uint8Array(this.capacity);
    this.cols = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(this.capacity)])) as Record<
      Column,
      Float64Array
    >;
  }

  static from(orders: readonly Order[]): MetricLedger {
    const ledger = new MetricLedger(orders.length);
    for (const o of orders) ledger.upsert(o);
    return ledger;
  }

  get size(): number {
    return this.count;
  }

  upsert(o: Order): void {
    let row = this.rowOf.get(o.orderId);
    if (row === undefined) {
      if (this.count === this.capacity) this.grow();
      row = this.count++;
      this.rowOf.set(o.orderId, row);
      this.orderIds[row] = o.orderId;
    }
    const c = this.cols;
    const d = o.defects;
    c.purchase[row] = o.purchaseDate;
    c.latestShip[row] = o.latestShipDate;
    c.latestDelivery[row] = o.latestDeliveryDate ?? Number.NaN;
    c.confirmed[row] = o.confirmation.confirmedAt ?? Number.NaN;
    c.cancelled[row] = o.cancelledBy !== undefined ? (o.cancelledAt ?? Number.NaN) : Number.NaN;
    c.delivered[row] = o.deliveredAt ?? Number.NaN;
    c.negativeFeedback[row] = d?.negativeFeedbackAt ?? Number.NaN;
    c.claim[row] = d?.azClaim?.at ?? Number.NaN;
    c.chargeback[row] = d?.chargebackAt ?? Number.NaN;
    c.refunded[row] = d?.refundedAt ?? Number.NaN;
    c.message[row] = d?.buyerMessageAt ?? Number.NaN;
    const s = trackedShipment(o);
    this.flags[row] =
      (o.fulfilmentChannel === "MFN" ? MFN : 0) |
      (o.cancelledBy !== undefined ? CANCELLED : 0) |
      (o.cancelledBy === "seller" && !buyerAskedToCancel(o) ? SELLER_CANCEL : 0) |
      (d?.azClaim?.denied ? CLAIM_DENIED : 0) |
      (s !== undefined && isValidTrackingNumber(s.courier, s.trackingNumber) ? VALID_TRACKING : 0);
  }

  remove(orderId: string): boolean {
    const row = this.rowOf.get(orderId);
    if (row === undefined) return false;
    const last = --this.count;
    if (row !== last) {
      for (const name of COLUMNS) this.cols[name][row] = this.cols[name][last]!;
      this.flags[row] = this.flags[last]!;
      const moved = this.orderIds[last]!;
      this.orderIds[row] = moved;
      this.rowOf.set(moved, row);
    }
    this.orderIds.length = last;
    this.rowOf.delete(orderId);
    return true;
  }

  /** Every metric at `now`, with the same rules as computeMetrics (see compute.ts). */
  metricsAt(now: Millis): AccountMetrics {
    const { purchase, latestShip, latestDelivery, confirmed, cancelled, delivered } = this.cols;
    const { negativeFeedback, claim, chargeback, refunded, message } = this.cols;
    const flags = this.flags;
    const from7 = now - 7 * DAY_MS;
    const from10 = now - 10 * DAY_MS;
    const from14 = now - 14 * DAY_MS;
    const from30 = now - 30 * DAY_MS;
    const from60 = now - 60 * DAY_MS;
    const from90 = now - 90 * DAY_MS;
    let odrN = 0;
    let odrD = 0;
    let pcrN = 0;
    let pcrD = 0;
    let ld10N = 0;
    let ld10D = 0;
    let ld30N = 0;
    let ld30D = 0;
    let vtrN = 0;
    let vtrD = 0;
    let otdN = 0;
    let otdD = 0;
    let popN = 0;
    let popD = 0;
    let refN = 0;
    let refD = 0;
    for (let i = 0; i < this.count; i++) {
      const f = flags[i]!;
      const mfn = (f & MFN) !== 0;
      const p = purchase[i]!;
      const lsd = latestShip[i]!;
      const conf = confirmed[i]!;
      const isConfirmed = conf <= now;
      const isCancelled = cancelled[i]! <= now;
      const late = mfn && !isCancelled && (isConfirmed ? conf > lsd : lsd < now);
      if (mfn) {
        if (!isCancelled && lsd >= from30 && lsd <= now) {
          ld30D++;
          if (late) ld30N++;
          if (lsd >= from10) {
            ld10D++;
            if (late) ld10N++;
          }
        }
        if (isConfirmed) {
          const valid = (f & VALID_TRACKING) !== 0;
          if (conf >= from30) {
            vtrD++;
            if (valid) vtrN++;
          }
          const ldd = latestDelivery[i]!;
          if (valid && ldd >= from14 && ldd <= now) {
            otdD++;
            const del = delivered[i]!;
            if (del <= ldd && del <= now) otdN++;
          }
        }
      }
      if (p < from90 || p > now) continue;
      const neg = negativeFeedback[i]! <= now;
      const hasClaim = claim[i]! <= now;
      const cb = chargeback[i]! <= now;
      const refund = refunded[i]! <= now;
      popD++;
      if (!(neg || hasClaim || cb || refund || isCancelled || late || message[i]! <= now)) popN++;
      if (p < from60) continue;
      odrD++;
      if (neg || cb || (hasClaim && (f & CLAIM_DENIED) === 0)) odrN++;
      if (p < from30) continue;
      refD++;
      if (refund) refN++;
      if (p < from7 || !mfn) continue;
      pcrD++;
      if (isCancelled && (f & SELLER_CANCEL) !== 0) pcrN++;
    }
    const r = (metric: Parameters<typeof metricResult>[0], numerator: number, denominator: number) =>
      metricResult(metric, now, { numerator, denominator });
    return {
      orderDefectRate: r("orderDefectRate", odrN, odrD),
      preFulfilmentCancellationRate: r("preFulfilmentCancellationRate", pcrN, pcrD),
      lateDispatchRate10: r("lateDispatchRate10", ld10N, ld10D),
      lateDispatchRate30: r("lateDispatchRate30", ld30N, ld30D),
      validTrackingRate: r("validTrackingRate", vtrN, vtrD),
      onTimeDeliveryRate: r("onTimeDeliveryRate", otdN, otdD),
      perfectOrderPercentage: r("perfectOrderPercentage", popN, popD),
      refundRate: r("refundRate", refN, refD),
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const flags = new Uint8Array(this.capacity);
    flags.set(this.flags);
    this.flags = flags;
    for (const name of COLUMNS) {
      const next = new Float64Array(this.capacity);
      next.set(this.cols[name]);
      this.cols[name] = next;
    }
  }
}
