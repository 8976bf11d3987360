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
  secretRotatedAt: string | null;
  /** Until when the secret before the last rotation also signs (null: only the current one). */
  previousSecretExpiresAt: string | null;
  /** Deliveries given up on, waiting to be retried. */
  failedDeliveries: number;
  /** Deliveries that failed once or more and wait for their next attempt. */
  waitingDeliveries: number;
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
  /** Where the message stands now: "failed" may be retried. */
  messageState: "pending" | "delivered" | "failed";
}

export interface WebhookRetry {
  retried: number;
  messageIds: string[];
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

/** A new signing secret (shown once); the old one keeps signing beside it for `graceHours`. */
export const rotateWebhookSecret = (id: string, graceHours: number, idempotencyKey: string) =>
  api.writeJson<{ endpoint: WebhookEndpoint; secret: string }>(
    "POST",
    `/api/v1/webhooks/${encodeURIComponent(id)}/rotate-secret`,
    { body: { graceHours }, idempotencyKey },
  );

/** Sends the endpoint's failed and waiting deliveries again now (the same webhook-ids). */
export const retryWebhook = (id: string, idempotencyKey: string) =>
  api.writeJson<WebhookRetry>("POST", `/api/v1/webhooks/${encodeURIComponent(id)}/retry`, { idempotencyKey });

/** Sends one delivery again now. */
export const retryWebhookDelivery = (id: string, messageId: string, idempotencyKey: string) =>
  api.writeJson<WebhookRetry>(
    "POST",
    `/api/v1/webhooks/${encodeURIComponent(id)}/messages/${encodeURIComponent(messageId)}/retry`,
    { idempotencyKey },
  );

/** The endpoint's retry button in words, or null when nothing is failed or waiting. */
export function retryLabel(
  e: Pick<WebhookEndpoint, "failedDeliveries" | "waitingDeliveries">,
): string | null {
  const n = e.failedDeliveries + e.waitingDeliveries;
  if (n === 0) return null;
  const deliveries = n === 1 ? "delivery" : "deliveries";
  if (e.waitingDeliveries === 0) return `Retry ${n} failed ${deliveries}`;
  if (e.failedDeliveries === 0) return `Send ${n} waiting ${deliveries} now`;
  return `Retry ${n} failed or waiting ${deliveries} now`;
}

/** The log rows that offer a retry: the newest attempt of each message now given up on. */
export function retryableRows(log: WebhookDelivery[]): Set<number> {
  const seen = new Set<string>();
  const rows = new Set<number>();
  for (const d of log) {
    if (seen.has(d.messageId)) continue;
    seen.add(d.messageId);
    if (d.messageState === "failed") rows.add(d.id);
  }
  return rows;
}

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
