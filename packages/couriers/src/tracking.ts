import type { Tracking } from "./types.ts";

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
