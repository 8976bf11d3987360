// Each sandbox courier's tracking answer for one parcel, in that courier's own wire format, built
// from the parcel's journey so far (./tracking.ts). The routes in royalmail.ts, dpd.ts, evri.ts and
// amazon-shipping.ts only find the parcel and hand it here.
//
//   Royal Mail  Tracking API v2, GET /mailpieces/v2/{id}/events: `mailPieces.summary` and `events`
//               newest first (shape of specs/couriers/karrio/royalmail/tracking.json)
//   DPD         GET /shipping/parcel/{parcel}/events: `{ error, data: { parcelNumber, events } }` (assumed,
//               see packages/couriers/src/dpd/adapter.ts)
//   Evri        GET /tracking/{barcode}/events: `{ barcode, events[{ dateTime, trackingStage }] }` (assumed)
//   Amazon      Shipping API v2 getTracking: `payload { trackingId, alternateLegTrackingId, eventHistory,
//               promisedDeliveryDate, summary { status, trackingDetailCodes } }` (specs/sp-api/shippingV2.json)

import type { CourierAccount } from "./accounts.ts";
import type { SandboxShipment } from "./state.ts";
import { dueDay, type JourneyEvent, type JourneyStage, journeySoFar } from "./tracking.ts";

const iso = (at: number) => new Date(at).toISOString();

/** The tracking endpoints obey the account's fault switches too: down (503) and one-off 500s. */
export async function trackingFault(account: CourierAccount): Promise<503 | 500 | null> {
  if ((await account.faults()).down) return 503;
  if (await account.takeServerError()) return 500;
  return null;
}

/** When the courier promises delivery: the end (17:00 UTC) of the service's due day. */
const promised = (s: SandboxShipment) => dueDay(s) + 17 * 3_600_000;

const RM: Record<JourneyStage, { code: string; name: string; where: string }> = {
  collected: { code: "EVDAC", name: "Item Collected", where: "Collection point" },
  hub: { code: "EVIMC", name: "Item Received at Mail Centre", where: "Warrington Mail Centre" },
  out_for_delivery: { code: "EVGPD", name: "Out for delivery", where: "Local Delivery Office" },
  attempted: {
    code: "EVKNR",
    name: "Delivery failed - no safe place, card left",
    where: "Local Delivery Office",
  },
  delivered: { code: "EVKSP", name: "Delivered", where: "Local Delivery Office" },
  damaged: { code: "EVNDA", name: "Item damaged in transit", where: "Warrington Mail Centre" },
  returned: { code: "EVNRT", name: "Returned to sender", where: "Warrington Mail Centre" },
};

const RM_CATEGORY: Record<JourneyStage, [string, string]> = {
  collected: ["IN TRANSIT", "It's on its way"],
  hub: ["IN TRANSIT", "It's on its way"],
  out_for_delivery: ["IN TRANSIT", "It's out for delivery"],
  attempted: ["IN TRANSIT", "We tried to deliver it"],
  delivered: ["DELIVERED", "Delivered"],
  damaged: ["IN TRANSIT", "There is a problem with it"],
  returned: ["RETURNED", "It's being returned to the sender"],
};

export function royalMailTracking(s: SandboxShipment, now: number) {
  const journey = journeySoFar(s, now);
  const events = [
    { eventCode: "EVAIP", eventName: "Sender despatching item", eventDateTime: iso(s.createdAt) },
    ...journey.map((e) => ({
      eventCode: RM[e.stage].code,
      eventName: RM[e.stage].name,
      eventDateTime: iso(e.at),
      locationName: RM[e.stage].where,
    })),
  ].reverse();
  const last = events[0]!;
  const stage = journey[journey.length - 1]?.stage;
  const [statusCategory, statusDescription] = stage ? RM_CATEGORY[stage] : ["PENDING", "We're expecting it"];
  return {
    mailPieces: {
      mailPieceId: s.trackingNumber,
      carrierShortName: "RM",
      carrierFullName: "Royal Mail Group Ltd",
      summary: {
        uniqueItemId: s.trackingNumber,
        oneDBarcode: s.trackingNumber,
        productId: s.service,
        lastEventCode: last.eventCode,
        lastEventName: last.eventName,
        lastEventDateTime: last.eventDateTime,
        statusCategory,
        statusDescription,
      },
      estimatedDelivery: { date: iso(promised(s)).slice(0, 10) },
      events,
    },
  };
}

const DPD: Record<JourneyStage, [string, string]> = {
  collected: ["COLLECTED", "Your parcel has been collected"],
  hub: ["AT_HUB", "Your parcel is at our hub"],
  out_for_delivery: ["OUT_FOR_DELIVERY", "Your parcel is out for delivery"],
  attempted: ["DELIVERY_FAILED", "We were unable to deliver your parcel today"],
  delivered: ["DELIVERED", "Your parcel has been delivered"],
  damaged: ["DAMAGED", "Your parcel has been damaged in transit"],
  returned: ["RETURNED", "Your parcel is being returned to the sender"],
};

export function dpdTracking(s: SandboxShipment, now: number) {
  const events = [
    { date: iso(s.createdAt), code: "CREATED", description: "We have your parcel details" },
    ...journeySoFar(s, now).map((e: JourneyEvent) => ({
      date: iso(e.at),
      code: DPD[e.stage][0],
      description: DPD[e.stage][1],
      location: e.stage === "hub" ? "Hinckley Hub" : "Local depot",
    })),
  ];
  return { error: null, data: { parcelNumber: s.trackingNumber, events } };
}

const EVRI: Record<JourneyStage, [string, string]> = {
  collected: ["COLLECTED", "Collected by your courier"],
  hub: ["AT_HUB", "At our national sorting hub"],
  out_for_delivery: ["OUT_FOR_DELIVERY", "Out for delivery"],
  attempted: ["DELIVERY_ATTEMPTED", "We tried to deliver your parcel"],
  delivered: ["DELIVERED", "Delivered"],
  damaged: ["DAMAGED", "Your parcel was damaged in transit"],
  returned: ["RETURNED_TO_SENDER", "Returned to the sender"],
};

export function evriTracking(s: SandboxShipment, now: number) {
  const events = [
    {
      dateTime: iso(s.createdAt),
      trackingStage: { code: "CREATED", description: "Parcel details received" },
    },
    ...journeySoFar(s, now).map((e) => ({
      dateTime: iso(e.at),
      trackingStage: { code: EVRI[e.stage][0], description: EVRI[e.stage][1] },
      ...(e.stage === "hub" ? { location: "Barton Park Hub" } : {}),
    })),
  ];
  return { barcode: s.trackingNumber, events };
}

const AMAZON_EVENT: Record<JourneyStage, string> = {
  collected: "PickupDone",
  hub: "ArrivedAtCarrierFacility",
  out_for_delivery: "OutForDelivery",
  attempted: "DeliveryAttempted",
  delivered: "Delivered",
  damaged: "Undeliverable",
  returned: "ReturnInitiated",
};
const AMAZON_STATUS: Record<JourneyStage, string> = {
  collected: "InTransit",
  hub: "InTransit",
  out_for_delivery: "OutForDelivery",
  attempted: "DeliveryAttempted",
  delivered: "Delivered",
  damaged: "Undeliverable",
  returned: "Undeliverable",
};

export function amazonTracking(s: SandboxShipment, trackingId: string, now: number) {
  const journey = journeySoFar(s, now);
  const location = { postalCode: s.postcode, countryCode: "GB" };
  const eventHistory = [
    { eventCode: "ReadyForReceive", eventTime: iso(s.createdAt), location, shipmentType: "FORWARD" },
    ...journey.map((e) => ({
      eventCode: AMAZON_EVENT[e.stage],
      eventTime: iso(e.at),
      location,
      shipmentType: "FORWARD",
    })),
  ];
  const stage = journey[journey.length - 1]?.stage;
  const forward =
    stage === "attempted"
      ? ["CustomerUnavailable"]
      : stage === "damaged" || stage === "returned"
        ? ["Damaged"]
        : [];
  return {
    payload: {
      trackingId,
      alternateLegTrackingId: "",
      eventHistory,
      promisedDeliveryDate: iso(promised(s)),
      summary: {
        status: stage ? AMAZON_STATUS[stage] : "PreTransit",
        trackingDetailCodes: { forward, returns: [] },
      },
    },
  };
}
