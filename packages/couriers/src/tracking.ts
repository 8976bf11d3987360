import type { Tracking, TrackingStatus } from "./types.ts";

/** Builds the tracking summary from events in time order: delivered wins over later noise. */
export function summarise(trackingNumber: string, events: Tracking["events"]): Tracking {
  const delivered = events.find((e) => e.status === "delivered");
  const last = events[events.length - 1];
  return {
    trackingNumber,
    status: delivered ? "delivered" : (last?.status ?? "pre_transit"),
    delivered: delivered !== undefined,
    ...(delivered ? { deliveredAt: delivered.at } : {}),
    events,
  };
}

/**
 * DPD's and Evri's event codes in our words (both assumed, see their adapters): a failed attempt,
 * damage or a return is an exception; anything unknown is taken as in transit.
 */
export function eventCodeStatus(code: string): TrackingStatus {
  switch (code) {
    case "CREATED":
      return "pre_transit";
    case "OUT_FOR_DELIVERY":
      return "out_for_delivery";
    case "DELIVERED":
      return "delivered";
    case "DELIVERY_FAILED":
    case "DELIVERY_ATTEMPTED":
    case "DAMAGED":
    case "RETURNED":
    case "RETURNED_TO_SENDER":
      return "exception";
    default:
      return "in_transit";
  }
}
