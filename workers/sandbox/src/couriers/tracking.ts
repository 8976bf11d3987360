// Where a sandbox parcel is, as its courier's tracking would say: one journey per parcel, worked
// out from its tracking number, service and purchase time, on a schedule like the real networks'.
//
//   - collected the working day it was bought (bought after 16:00 UK, or on a Sunday: the next one),
//     sorted at the hub that evening, out for delivery at 07:00 on its delivery day, delivered
//     between 09:00 and 17:00;
//   - the delivery day is the service's transit time in working days after collection (next day for
//     Tracked 24, DPD, Evri Next Day and Amazon One Day; two days for Tracked 48, Evri Standard and
//     Amazon Standard); no deliveries on Sundays;
//   - most parcels arrive on that day (88%), some late by one to three working days (8%), a few hit
//     an exception: a failed delivery attempt then a delivery two working days later (2.5%), or
//     damaged in transit and returned to the sender, never delivered (1.5%).
//
// The draw comes from the tracking number (the same parcel always has the same journey) and the
// events are those whose time has come (`now`). A test switch may deliver a parcel at a given time
// (POST /_sandbox/couriers/{courier}/accounts/{account}/deliver/{trackingNumber}): then that delivery
// replaces the planned end of the journey.

import type { SandboxShipment } from "./state.ts";

export type JourneyStage =
  | "collected"
  | "hub"
  | "out_for_delivery"
  | "attempted"
  | "delivered"
  | "damaged"
  | "returned";

export interface JourneyEvent {
  at: number;
  stage: JourneyStage;
}

export type JourneyOutcome = "on_time" | "late" | "attempted" | "returned";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Transit time in working days after collection, per service code. */
export function transitDays(service: string): number {
  return /48|STD|STANDARD/i.test(service) ? 2 : 1;
}

/** A stable number in [0, 1) from a string (FNV-1a), so a parcel's journey never changes. */
export function draw(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4_294_967_296;
}

export function outcomeOf(trackingNumber: string): JourneyOutcome {
  const r = draw(trackingNumber);
  if (r < 0.88) return "on_time";
  if (r < 0.96) return "late";
  if (r < 0.985) return "attempted";
  return "returned";
}

/** 00:00 UTC of the day `at` falls on. */
const dayStart = (at: number) => at - (((at % DAY) + DAY) % DAY);
const isSunday = (at: number) => new Date(at).getUTCDay() === 0;

/** `days` working days (Monday to Saturday) after the day of `at`, at 00:00 UTC. */
function workingDaysAfter(at: number, days: number): number {
  let d = dayStart(at);
  let left = days;
  while (left > 0) {
    d += DAY;
    if (!isSunday(d)) left--;
  }
  return d;
}

/** 00:00 UTC of the day the parcel is collected: the day it was bought, unless after 16:00 or a Sunday. */
function collectionDayOf(createdAt: number): number {
  const day = dayStart(createdAt);
  return createdAt - day >= 16 * HOUR || isSunday(day) ? workingDaysAfter(createdAt, 1) : day;
}

/** 00:00 UTC of the day the courier promises delivery (the service's transit time after collection). */
export function dueDay(s: Pick<SandboxShipment, "service" | "createdAt">): number {
  return workingDaysAfter(collectionDayOf(s.createdAt), transitDays(s.service));
}

/** Every event of the parcel's journey, planned from its purchase, in time order. */
export function plannedJourney(s: Pick<SandboxShipment, "trackingNumber" | "service" | "createdAt">) {
  const collectionDay = collectionDayOf(s.createdAt);
  const collected = Math.max(s.createdAt + HOUR, collectionDay + 17 * HOUR);
  const events: JourneyEvent[] = [
    { at: collected, stage: "collected" },
    { at: collected + 4 * HOUR, stage: "hub" },
  ];
  const due = dueDay(s);
  const dropAt = (day: number, salt: number) =>
    day + 9 * HOUR + Math.floor(draw(s.trackingNumber, salt) * 8 * HOUR);
  const outcome = outcomeOf(s.trackingNumber);
  switch (outcome) {
    case "on_time":
      events.push(
        { at: due + 7 * HOUR, stage: "out_for_delivery" },
        { at: dropAt(due, 1), stage: "delivered" },
      );
      break;
    case "late": {
      const day = workingDaysAfter(due, 1 + Math.floor(draw(s.trackingNumber, 2) * 3));
      events.push(
        { at: day + 7 * HOUR, stage: "out_for_delivery" },
        { at: dropAt(day, 1), stage: "delivered" },
      );
      break;
    }
    case "attempted": {
      const again = workingDaysAfter(due, 2);
      events.push(
        { at: due + 7 * HOUR, stage: "out_for_delivery" },
        { at: dropAt(due, 1), stage: "attempted" },
        { at: again + 7 * HOUR, stage: "out_for_delivery" },
        { at: dropAt(again, 3), stage: "delivered" },
      );
      break;
    }
    case "returned":
      events.push(
        { at: collected + 10 * HOUR, stage: "damaged" },
        { at: workingDaysAfter(due, 1) + 12 * HOUR, stage: "returned" },
      );
      break;
  }
  return events;
}

/**
 * The journey so far at `now`: the planned events whose time has come, or (when a test delivered
 * the parcel by hand) the collection and hub scans before that delivery, then the delivery.
 */
export function journeySoFar(
  s: Pick<SandboxShipment, "trackingNumber" | "service" | "createdAt" | "deliveredAt" | "voidedAt">,
  now: number,
): JourneyEvent[] {
  if (s.voidedAt !== null && s.deliveredAt === null) return [];
  const planned = plannedJourney(s);
  if (s.deliveredAt !== null) {
    const deliveredAt = s.deliveredAt;
    const before = planned.filter(
      (e) => e.at < deliveredAt && e.at <= now && (e.stage === "collected" || e.stage === "hub"),
    );
    return deliveredAt <= now ? [...before, { at: deliveredAt, stage: "delivered" }] : before;
  }
  return planned.filter((e) => e.at <= now);
}

/** The last event so far, or null while the parcel has not been collected. */
export function lastEvent(events: readonly JourneyEvent[]): JourneyEvent | null {
  return events[events.length - 1] ?? null;
}
