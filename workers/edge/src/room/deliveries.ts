// Delivery tracking: the room asks each courier where every despatched parcel is, on its alarm, and
// records the answer on the parcel (its status, newest event and, once delivered, `deliveredAt`),
// which on-time delivery counts (packages/domain/src/metrics/compute.ts).
//
// - Which parcels: every parcel of a seller-fulfilled order that has left (dispatched or confirmed)
//   with a label Consign bought (not voided) and no delivery yet. Parcels sent before or outside
//   Consign (imported from Amazon with their tracking number) are not asked about: the seller's
//   courier accounts cannot track another account's parcels; Amazon has their scans, we do not. They are kept in `parcel_watch` (SQLite), so a
//   parcel is still followed after its order has moved to the archive.
// - How often: each parcel has its own next check, by what its courier last said (out for delivery:
//   1 hour; on its way or an exception: 4 hours; not yet collected: 6 hours). A poll takes the due
//   parcels, at most PER_COURIER_PER_POLL a courier, through the courier's own rate limiter (the one
//   label runs use, so tracking never takes a courier's whole allowance).
// - When a courier fails (timeout, 5xx, 429, refused credentials): that courier is left alone for a
//   growing wait (1 minute doubling to an hour), its parcels stay due and are asked again once it
//   answers: nothing is lost. A parcel the courier does not know (404) waits longer each time.
// - When to stop: at delivery, or GIVE_UP_DAYS after the latest delivery date (a lost parcel); the
//   parcel then stays as the courier last described it (late for on-time delivery).

import type { CourierAdapter, Tracking } from "@consign/couriers";
import {
  activeShipment,
  ConsignError,
  type CourierId,
  ErrorCode,
  type Order,
  packagesOf,
  recordTracking,
  type TrackingAnswer,
} from "@consign/domain";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Parcels asked of one courier in one poll. */
export const PER_COURIER_PER_POLL = 25;
/** Stop following a parcel this long after its latest delivery date (or its watch began, if it has none). */
export const GIVE_UP_DAYS = 30;
/** Only parcels confirmed this recently are taken up (older history is not tracked after the fact). */
const TAKE_UP_DAYS = 30;

/** How long until a parcel is asked again, by what its courier last said. */
function nextCheckAfter(status: Tracking["status"]): number {
  switch (status) {
    case "out_for_delivery":
      return HOUR;
    case "pre_transit":
      return 6 * HOUR;
    default:
      return 4 * HOUR;
  }
}

/** A courier's wait after `failures` failures in a row: 1 minute doubling, at most an hour. */
export function courierBackoff(failures: number): number {
  return Math.min(HOUR, MINUTE * 2 ** Math.max(0, failures - 1));
}

export interface WatchedParcel {
  orderId: string;
  packageReferenceId: string;
  courier: CourierId;
  trackingNumber: string;
  nextCheckAt: number;
  failures: number;
  lastError: string | null;
}

export interface CourierTrackingState {
  courier: CourierId;
  failures: number;
  resumeAt: number;
  lastError: string | null;
}

export interface DeliveryDeps {
  sql: SqlStorage;
  adapterFor: (courier: CourierId) => Promise<CourierAdapter>;
  /** Writes the fields to the order wherever it lives (live document or archive); false when it is gone. */
  write: (orderId: string, update: (order: Order) => Partial<Order> | null) => boolean;
}

export interface PollReport {
  asked: number;
  delivered: number;
  failed: number;
  /** When the next poll is due, or null when no parcel is being followed. */
  nextAt: number | null;
}

export class DeliveryTracking {
  constructor(private readonly deps: DeliveryDeps) {
    deps.sql.exec(`CREATE TABLE IF NOT EXISTS parcel_watch (
      order_id TEXT NOT NULL, package_ref TEXT NOT NULL, courier TEXT NOT NULL, tracking_number TEXT NOT NULL,
      give_up_at INTEGER NOT NULL, next_check_at INTEGER NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
      last_error TEXT, PRIMARY KEY (order_id, package_ref))`);
    deps.sql.exec("CREATE INDEX IF NOT EXISTS parcel_watch_due ON parcel_watch(next_check_at)");
    deps.sql.exec(`CREATE TABLE IF NOT EXISTS courier_tracking (
      courier TEXT PRIMARY KEY, failures INTEGER NOT NULL, resume_at INTEGER NOT NULL, last_error TEXT)`);
  }

  /**
   * Takes up the parcels of these orders that have left and are not delivered (a new label's number
   * replaces a voided one's). Returns how many are newly followed.
   */
  enrol(orders: readonly Order[], now: number): number {
    let added = 0;
    for (const order of orders) {
      if (order.fulfilmentChannel !== "MFN") continue;
      if (order.state !== "dispatched" && order.state !== "confirmed") continue;
      for (const p of packagesOf(order)) {
        if (p.deliveredAt !== undefined) continue;
        const label = activeShipment(p);
        if (!label || label.id.includes(":amazon:")) continue;
        const left = p.confirmation.confirmedAt ?? order.dispatchedAt ?? now;
        if (left < now - TAKE_UP_DAYS * DAY) continue;
        const giveUpAt = (order.latestDeliveryDate ?? left) + GIVE_UP_DAYS * DAY;
        const row = this.deps.sql
          .exec<{ tracking_number: string }>(
            "SELECT tracking_number FROM parcel_watch WHERE order_id = ? AND package_ref = ?",
            order.orderId,
            p.packageReferenceId,
          )
          .toArray()[0];
        if (row?.tracking_number === label.trackingNumber) continue;
        this.deps.sql.exec(
          `INSERT INTO parcel_watch (order_id, package_ref, courier, tracking_number, give_up_at, next_check_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (order_id, package_ref) DO UPDATE SET courier = excluded.courier,
             tracking_number = excluded.tracking_number, give_up_at = excluded.give_up_at,
             next_check_at = excluded.next_check_at, failures = 0, last_error = NULL`,
          order.orderId,
          p.packageReferenceId,
          label.courier,
          label.trackingNumber,
          giveUpAt,
          now,
        );
        added++;
      }
    }
    return added;
  }

  /** The parcels being followed, soonest due first (for the API and tests). */
  watched(): WatchedParcel[] {
    return this.deps.sql
      .exec<{
        order_id: string;
        package_ref: string;
        courier: string;
        tracking_number: string;
        next_check_at: number;
        failures: number;
        last_error: string | null;
      }>("SELECT * FROM parcel_watch ORDER BY next_check_at, order_id, package_ref")
      .toArray()
      .map((r) => ({
        orderId: r.order_id,
        packageReferenceId: r.package_ref,
        courier: r.courier as CourierId,
        trackingNumber: r.tracking_number,
        nextCheckAt: r.next_check_at,
        failures: r.failures,
        lastError: r.last_error,
      }));
  }

  /** Each courier whose tracking failed lately: how often in a row and when it is asked again. */
  couriers(): CourierTrackingState[] {
    return this.deps.sql
      .exec<{ courier: string; failures: number; resume_at: number; last_error: string | null }>(
        "SELECT * FROM courier_tracking ORDER BY courier",
      )
      .toArray()
      .map((r) => ({
        courier: r.courier as CourierId,
        failures: r.failures,
        resumeAt: r.resume_at,
        lastError: r.last_error,
      }));
  }

  /** Asks the couriers about the parcels due at `now` and records their answers. */
  async poll(now: number): Promise<PollReport> {
    const report: PollReport = { asked: 0, delivered: 0, failed: 0, nextAt: null };
    this.deps.sql.exec("DELETE FROM parcel_watch WHERE give_up_at <= ?", now);
    const resting = new Map(this.couriers().map((c) => [c.courier, c.resumeAt]));
    const due = this.deps.sql
      .exec<{ courier: string }>("SELECT DISTINCT courier FROM parcel_watch WHERE next_check_at <= ?", now)
      .toArray()
      .map((r) => r.courier as CourierId);
    await Promise.all(
      due
        .filter((courier) => (resting.get(courier) ?? 0) <= now)
        .map((courier) => this.pollCourier(courier, now, report)),
    );
    report.nextAt = this.nextDue();
    return report;
  }

  /** When the next parcel is due to be asked about (its courier's rest included), or null. */
  nextDue(): number | null {
    const row = this.deps.sql
      .exec<{ at: number | null }>(
        `SELECT MIN(MAX(w.next_check_at, COALESCE(c.resume_at, 0))) AS at
         FROM parcel_watch w LEFT JOIN courier_tracking c ON c.courier = w.courier`,
      )
      .one();
    return row.at;
  }

  private async pollCourier(courier: CourierId, now: number, report: PollReport): Promise<void> {
    const parcels = this.deps.sql
      .exec<{ order_id: string; package_ref: string; tracking_number: string; failures: number }>(
        `SELECT order_id, package_ref, tracking_number, failures FROM parcel_watch
         WHERE courier = ? AND next_check_at <= ? ORDER BY next_check_at LIMIT ?`,
        courier,
        now,
        PER_COURIER_PER_POLL,
      )
      .toArray();
    let adapter: CourierAdapter;
    try {
      adapter = await this.deps.adapterFor(courier);
    } catch (e) {
      this.courierFailed(courier, now, e);
      report.failed += parcels.length;
      return;
    }
    for (const p of parcels) {
      let answer: Tracking;
      try {
        report.asked++;
        answer = await adapter.track(p.tracking_number);
      } catch (e) {
        report.failed++;
        if (
          e instanceof ConsignError &&
          (e.code === ErrorCode.NotFound || e.code === ErrorCode.UpstreamRejected)
        ) {
          // This parcel only: the courier does not know it (yet). Ask again later, waiting longer each time.
          this.deps.sql.exec(
            "UPDATE parcel_watch SET failures = failures + 1, last_error = ?, next_check_at = ? WHERE order_id = ? AND package_ref = ?",
            messageOf(e),
            now + Math.min(DAY, 10 * MINUTE * 2 ** p.failures),
            p.order_id,
            p.package_ref,
          );
          continue;
        }
        // The courier itself is failing: leave it alone for a while; its parcels stay due.
        this.courierFailed(courier, now, e);
        return;
      }
      this.deps.sql.exec("DELETE FROM courier_tracking WHERE courier = ?", courier);
      if (this.record(p.order_id, p.package_ref, answer, now)) report.delivered++;
    }
  }

  /** Records one answer on its parcel; true when it says the parcel was delivered. */
  private record(orderId: string, packageRef: string, t: Tracking, now: number): boolean {
    const last = t.events[t.events.length - 1];
    const delivered = t.delivered && t.deliveredAt !== undefined;
    const answer: TrackingAnswer = {
      checkedAt: now,
      status: t.status,
      ...(delivered ? { deliveredAt: t.deliveredAt } : {}),
      ...(last
        ? {
            event: {
              at: (delivered ? t.events.find((e) => e.status === "delivered") : last)?.at ?? last.at,
              description:
                (delivered ? t.events.find((e) => e.status === "delivered") : last)?.description ?? "",
              ...(last.location ? { location: last.location } : {}),
            },
          }
        : {}),
    };
    const found = this.deps.write(orderId, (order) => recordTracking(order, packageRef, answer));
    if (!found || delivered) {
      this.deps.sql.exec(
        "DELETE FROM parcel_watch WHERE order_id = ? AND package_ref = ?",
        orderId,
        packageRef,
      );
    } else {
      this.deps.sql.exec(
        "UPDATE parcel_watch SET failures = 0, last_error = NULL, next_check_at = ? WHERE order_id = ? AND package_ref = ?",
        now + nextCheckAfter(t.status),
        orderId,
        packageRef,
      );
    }
    return found && delivered;
  }

  private courierFailed(courier: CourierId, now: number, e: unknown): void {
    const before = this.couriers().find((c) => c.courier === courier)?.failures ?? 0;
    const failures = before + 1;
    let wait = courierBackoff(failures);
    if (e instanceof ConsignError && e.code === ErrorCode.RateLimited && e.retryAfterSeconds) {
      wait = Math.max(wait, e.retryAfterSeconds * 1000);
    }
    this.deps.sql.exec(
      `INSERT INTO courier_tracking (courier, failures, resume_at, last_error) VALUES (?, ?, ?, ?)
       ON CONFLICT (courier) DO UPDATE SET failures = excluded.failures, resume_at = excluded.resume_at,
         last_error = excluded.last_error`,
      courier,
      failures,
      now + wait,
      messageOf(e),
    );
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
