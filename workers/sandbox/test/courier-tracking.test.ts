// The sandbox couriers' delivery schedule: realistic journeys (mostly on time, some late, a few
// failed attempts and returns), never a delivery on a Sunday, and each courier's tracking answer
// in its own format following that journey.
import { describe, expect, it } from "vitest";
import type { SandboxShipment } from "../src/couriers/state.ts";
import { dueDay, journeySoFar, outcomeOf, plannedJourney } from "../src/couriers/tracking.ts";
import {
  amazonTracking,
  dpdTracking,
  evriTracking,
  royalMailTracking,
} from "../src/couriers/tracking-wire.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Tuesday 1 December 2026, 10:00 UTC.
const TUESDAY_10 = Date.UTC(2026, 11, 1, 10);

function parcel(n: number, over: Partial<SandboxShipment> = {}): SandboxShipment {
  return {
    id: n,
    reference: null,
    trackingNumber: `GQ${String(10_000_000 + n).padStart(8, "0")}GB`,
    secondaryNumber: null,
    service: "TPN24",
    postcode: "SW1A 2AA",
    createdAt: TUESDAY_10,
    voidedAt: null,
    deliveredAt: null,
    details: {},
    ...over,
  };
}

describe("the sandbox couriers' delivery schedule", () => {
  it("delivers most parcels on the due day, some late, a few after a failed attempt or never", () => {
    const counts = { on_time: 0, late: 0, attempted: 0, returned: 0 };
    for (let n = 0; n < 10_000; n++) counts[outcomeOf(parcel(n).trackingNumber)]++;
    expect(counts.on_time / 10_000).toBeGreaterThan(0.85);
    expect(counts.on_time / 10_000).toBeLessThan(0.91);
    expect(counts.late / 10_000).toBeGreaterThan(0.06);
    expect(counts.late / 10_000).toBeLessThan(0.1);
    expect(counts.attempted).toBeGreaterThan(150);
    expect(counts.returned).toBeGreaterThan(80);
  });

  it("collects a Tuesday-morning Tracked 24 parcel that evening and delivers it on Wednesday when on time", () => {
    const n = [...Array(100).keys()].find((i) => outcomeOf(parcel(i).trackingNumber) === "on_time")!;
    const events = plannedJourney(parcel(n));
    expect(events.map((e) => e.stage)).toEqual(["collected", "hub", "out_for_delivery", "delivered"]);
    expect(events[0]!.at).toBe(TUESDAY_10 + 7 * HOUR);
    const delivered = events[3]!.at;
    expect(delivered).toBeGreaterThanOrEqual(Date.UTC(2026, 11, 2, 9));
    expect(delivered).toBeLessThan(Date.UTC(2026, 11, 2, 17));
    expect(dueDay(parcel(n))).toBe(Date.UTC(2026, 11, 2));
    expect(dueDay(parcel(n, { service: "TPS48" }))).toBe(Date.UTC(2026, 11, 3));
  });

  it("never delivers on a Sunday: a Saturday-evening Tracked 48 parcel is collected on Monday and due on Wednesday", () => {
    const saturdayEvening = Date.UTC(2026, 11, 5, 18);
    expect(dueDay(parcel(1, { createdAt: saturdayEvening, service: "TPS48" }))).toBe(Date.UTC(2026, 11, 9));
    for (let n = 0; n < 2_000; n++) {
      for (const e of plannedJourney(parcel(n, { createdAt: saturdayEvening - n * HOUR }))) {
        if (e.stage === "delivered") expect(new Date(e.at).getUTCDay()).not.toBe(0);
      }
    }
  });

  it("tells only what has happened by now, and a hand delivery replaces the planned end", () => {
    const p = parcel(7);
    expect(journeySoFar(p, TUESDAY_10 + HOUR)).toEqual([]);
    expect(journeySoFar(p, TUESDAY_10 + 12 * HOUR).map((e) => e.stage)).toEqual(["collected", "hub"]);
    const byHand = { ...p, deliveredAt: TUESDAY_10 + 30 * HOUR };
    expect(journeySoFar(byHand, TUESDAY_10 + 29 * HOUR).map((e) => e.stage)).toEqual(["collected", "hub"]);
    expect(journeySoFar(byHand, TUESDAY_10 + 40 * HOUR).at(-1)).toEqual({
      at: TUESDAY_10 + 30 * HOUR,
      stage: "delivered",
    });
  });

  it("answers in each courier's own words for a parcel returned to its sender", () => {
    const n = [...Array(2_000).keys()].find((i) => outcomeOf(parcel(i).trackingNumber) === "returned")!;
    const p = parcel(n);
    const later = TUESDAY_10 + 10 * DAY;
    const rm = royalMailTracking(p, later).mailPieces;
    expect(rm.events[0]).toMatchObject({ eventCode: "EVNRT", eventName: "Returned to sender" });
    expect(rm.summary.statusCategory).toBe("RETURNED");
    expect(dpdTracking(p, later).data.events.at(-1)?.code).toBe("RETURNED");
    expect(evriTracking(p, later).events.at(-1)?.trackingStage.code).toBe("RETURNED_TO_SENDER");
    const amazon = amazonTracking(p, p.trackingNumber, later).payload;
    expect(amazon.summary).toEqual({
      status: "Undeliverable",
      trackingDetailCodes: { forward: ["Damaged"], returns: [] },
    });
    expect(amazon.eventHistory.map((e) => e.eventCode)).not.toContain("Delivered");
  });
});
