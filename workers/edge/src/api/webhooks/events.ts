// The events an integration can subscribe to, and the envelope each delivery carries.

export const WEBHOOK_EVENTS = [
  "order.created",
  "order.cancelled",
  "shipment.created",
  "order.dispatched",
  "order.confirmed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What the SellerRoom hands the outbox when something happens. `data` is the API's view of the thing. */
export interface WebhookEvent {
  type: WebhookEventType;
  /** Epoch ms when it happened. */
  occurredAt: number;
  data: unknown;
}

/** The body POSTed to each endpoint, as Standard Webhooks suggests: {type, timestamp, data}. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: new Date(event.occurredAt).toISOString(),
    data: event.data,
  });
}
