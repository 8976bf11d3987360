// The events an integration can subscribe to (webhooks and the change feed), with what each means
// for a person: one list for the edge (which sends them) and the app (where the owner picks them).

export const WEBHOOK_EVENTS = [
  "order.created",
  "order.updated",
  "order.state_changed",
  "order.notes_changed",
  "order.cancelled",
  "shipment.created",
  "shipment.voided",
  "order.dispatched",
  "order.confirmed",
  "order.confirmation_failed",
  "order.stock_short",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What each event means, for the OpenAPI document and the settings screen. */
export const WEBHOOK_EVENT_MEANING: Record<WebhookEventType, string> = {
  "order.created": "A new order arrived from Amazon.",
  "order.updated":
    "Something else about the order changed (Amazon's details, the package, the chosen service).",
  "order.state_changed": "The order moved to another state (picked, packed, held, ready…).",
  "order.notes_changed":
    "Someone changed the order's notes (sent once the typing has paused for 5 s, with the whole note in `data.notes`).",
  "order.cancelled": "The order was cancelled (by the buyer, the seller or Amazon).",
  "shipment.created": "A label was bought: `data.shipments` holds its tracking number.",
  "shipment.voided": "The active label was voided; the order may take a new one.",
  "order.dispatched": "The parcel left: marked dispatched (or confirmed straight from printed).",
  "order.confirmed": "Amazon accepted the dispatch confirmation.",
  "order.confirmation_failed": "Amazon refused the dispatch confirmation for good: someone must act.",
  "order.stock_short": "Stock can no longer fill this open order.",
};
