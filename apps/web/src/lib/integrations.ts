// Settings → Integrations (owner only): API keys and webhook endpoints with their delivery log,
// read and written through the edge (/api/v1/team/api-keys, /api/v1/webhooks). Keys and signing
// secrets come back once, when made; the lists never carry them.
import * as api from "./api.ts";

export { WEBHOOK_EVENT_MEANING, WEBHOOK_EVENTS, type WebhookEventType } from "@consign/domain";

import type { WebhookEventType } from "@consign/domain";

export type KeyScope = "read" | "write";

export interface ApiKeyView {
  id: string;
  name: string;
  scope: KeyScope;
  /** The start and end of the key, to tell keys apart. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  status: "active" | "failing";
  createdAt: string;
  failingSince: string | null;
  lastError: string | null;
}

export interface WebhookDelivery {
  id: number;
  messageId: string;
  eventType: WebhookEventType;
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  gaveUp: boolean;
}

export const listApiKeys = () =>
  api.getJson<{ keys: ApiKeyView[] }>("/api/v1/team/api-keys").then((r) => r.keys);

export const createApiKey = (name: string, scope: KeyScope, idempotencyKey: string) =>
  api.writeJson<ApiKeyView & { key: string }>("POST", "/api/v1/team/api-keys", {
    body: { name, scope },
    idempotencyKey,
  });

export const revokeApiKey = (id: string) =>
  api.writeJson<{ revoked: true }>("DELETE", `/api/v1/team/api-keys/${encodeURIComponent(id)}`);

export const listWebhooks = () =>
  api.getJson<{ endpoints: WebhookEndpoint[] }>("/api/v1/webhooks").then((r) => r.endpoints);

export const createWebhook = (
  body: { url: string; events: WebhookEventType[]; description?: string },
  idempotencyKey: string,
) =>
  api.writeJson<{ endpoint: WebhookEndpoint; secret: string }>("POST", "/api/v1/webhooks", {
    body,
    idempotencyKey,
  });

export const deleteWebhook = (id: string) =>
  api.writeJson<unknown>("DELETE", `/api/v1/webhooks/${encodeURIComponent(id)}`);

export const webhookDeliveries = (id: string) =>
  api
    .getJson<{ deliveries: WebhookDelivery[] }>(`/api/v1/webhooks/${encodeURIComponent(id)}/deliveries`)
    .then((r) => r.deliveries);

/** A delivery's outcome in words: "204", "HTTP 500 — will retry", "failed: … — gave up". */
export function deliveryOutcome(d: WebhookDelivery): string {
  const ok = d.statusCode !== null && d.statusCode >= 200 && d.statusCode < 300;
  const what = d.statusCode !== null ? `HTTP ${d.statusCode}` : `not delivered: ${d.error ?? "no answer"}`;
  if (ok) return `Delivered (${what})`;
  const detail = d.statusCode !== null && d.error ? `${what}: ${d.error}` : what;
  return d.gaveUp ? `${detail} — gave up` : `${detail} — will retry`;
}
