// The events an integration can subscribe to, and the envelope each delivery carries.

// The list and what each event means live in the domain package (the app shows them too).
import { WEBHOOK_EVENT_MEANING, WEBHOOK_EVENTS, type WebhookEventType } from "@consign/domain";

export { WEBHOOK_EVENT_MEANING, WEBHOOK_EVENTS, type WebhookEventType };

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
