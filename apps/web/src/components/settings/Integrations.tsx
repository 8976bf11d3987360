import { createResource, createSignal, For, Show } from "solid-js";
import { formatDateTime } from "../../lib/clock.ts";
import {
  type ApiKeyView,
  createApiKey,
  createWebhook,
  deleteWebhook,
  deliveryOutcome,
  type KeyScope,
  listApiKeys,
  listWebhooks,
  revokeApiKey,
  WEBHOOK_EVENT_MEANING,
  WEBHOOK_EVENTS,
  type WebhookEndpoint,
  type WebhookEventType,
  webhookDeliveries,
} from "../../lib/integrations.ts";
import { FormError, fieldError } from "../FormError.tsx";
import "../../styles/integrations.css";

/** A secret shown once, with a copy button; it is gone when the person dismisses it. */
function ShownOnce(props: { label: string; value: string; testId: string; onDone: () => void }) {
  const [copied, setCopied] = createSignal(false);
  return (
    <div class="shown-once" role="status" data-testid={props.testId}>
      <p>
        <strong>{props.label}</strong> Copy it now: Consign shows it only this once.
      </p>
      <code data-testid={`${props.testId}-value`}>{props.value}</code>
      <div class="row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard
              ?.writeText(props.value)
              .then(() => setCopied(true))
              .catch(() => setCopied(false))
          }
        >
          {copied() ? "Copied" : "Copy"}
        </button>
        <button type="button" class="primary" onClick={() => props.onDone()}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

function ApiKeys() {
  const [keys, { refetch }] = createResource(listApiKeys);
  const [error, setError] = createSignal<unknown>(null);
  const [name, setName] = createSignal("");
  const [scope, setScope] = createSignal<KeyScope>("read");
  const [made, setMade] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  // One Idempotency-Key per key being made: a retried tap never makes two keys.
  let attempt = crypto.randomUUID();

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const created = await createApiKey(name().trim(), scope(), attempt);
      attempt = crypto.randomUUID();
      setMade(created.key);
      setName("");
      void refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (k: ApiKeyView) => {
    if (!confirm(`Revoke "${k.name}"? Whatever uses it stops working at once.`)) return;
    setError(null);
    try {
      await revokeApiKey(k.id);
      void refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="card" aria-labelledby="s-api-keys" data-testid="api-keys">
      <h2 id="s-api-keys">API keys</h2>
      <p class="muted">
        For a stock system, an accounting sync or a warehouse script: a read key reads orders, metrics and
        exports; a write key may also buy labels, dispatch and change stock. The API is described at{" "}
        <a href="/api/v1/docs" target="_blank" rel="noopener">
          /api/v1/docs
        </a>
        .
      </p>
      <FormError error={error() ?? keys.error} />
      <Show when={made()}>
        {(key) => (
          <ShownOnce
            label="Your new API key."
            value={key()}
            testId="new-api-key"
            onDone={() => setMade(null)}
          />
        )}
      </Show>
      <Show when={keys()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">No API keys yet.</p>}>
            <table class="table">
              <caption class="visually-hidden">API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(k) => (
                    <tr data-testid="api-key" data-revoked={k.revokedAt !== null ? "true" : "false"}>
                      <td>{k.name}</td>
                      <td>{k.scope === "write" ? "Read and write" : "Read only"}</td>
                      <td>
                        <code>{k.prefix}</code>
                      </td>
                      <td>{formatDateTime(k.createdAt)}</td>
                      <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never"}</td>
                      <td>
                        <Show
                          when={k.revokedAt === null}
                          fallback={<span class="muted">Revoked {formatDateTime(k.revokedAt!)}</span>}
                        >
                          <button type="button" class="danger" onClick={() => void revoke(k)}>
                            Revoke {k.name}
                          </button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
      <form class="row" onSubmit={(e) => void create(e)}>
        <label class="field inline">
          <span>Key name</span>
          <input
            value={name()}
            maxLength={80}
            required
            placeholder="Stock sync"
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <Show when={fieldError(error(), "name")}>{(m) => <span class="field-error">{m()}</span>}</Show>
        </label>
        <label class="field inline">
          <span>Scope</span>
          <select value={scope()} onChange={(e) => setScope(e.currentTarget.value as KeyScope)}>
            <option value="read">Read only</option>
            <option value="write">Read and write</option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy() || name().trim() === ""}>
          Create API key
        </button>
      </form>
    </section>
  );
}

function Deliveries(props: { endpoint: WebhookEndpoint }) {
  const [log, { refetch }] = createResource(() => webhookDeliveries(props.endpoint.id));
  return (
    <div class="deliveries" data-testid="webhook-deliveries">
      <FormError error={log.error} />
      <Show when={log()}>
        {(entries) => (
          <Show
            when={entries().length > 0}
            fallback={<p class="muted">No deliveries yet: they appear here as events happen.</p>}
          >
            <table class="table">
              <caption class="visually-hidden">Deliveries to {props.endpoint.url}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Time taken</th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(d) => (
                    <tr data-testid="webhook-delivery">
                      <td>{formatDateTime(Date.parse(d.at))}</td>
                      <td>{d.eventType}</td>
                      <td>{d.attempt}</td>
                      <td>{deliveryOutcome(d)}</td>
                      <td>{d.durationMs} ms</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
      <button type="button" onClick={() => void refetch()}>
        Refresh the log
      </button>
    </div>
  );
}

function Webhooks() {
  const [endpoints, { refetch }] = createResource(listWebhooks);
  const [error, setError] = createSignal<unknown>(null);
  const [url, setUrl] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [events, setEvents] = createSignal<WebhookEventType[]>([
    "order.created",
    "shipment.created",
    "order.dispatched",
  ]);
  const [secret, setSecret] = createSignal<string | null>(null);
  const [open, setOpen] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let attempt = crypto.randomUUID();

  const toggle = (event: WebhookEventType, on: boolean) =>
    setEvents((list) => (on ? [...new Set([...list, event])] : list.filter((e) => e !== event)));

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const body = {
        url: url().trim(),
        events: events(),
        ...(description().trim() ? { description: description().trim() } : {}),
      };
      const created = await createWebhook(body, attempt);
      attempt = crypto.randomUUID();
      setSecret(created.secret);
      setUrl("");
      setDescription("");
      void refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (endpoint: WebhookEndpoint) => {
    if (!confirm(`Stop sending webhooks to ${endpoint.url}? Deliveries waiting to be retried are dropped.`))
      return;
    setError(null);
    try {
      await deleteWebhook(endpoint.id);
      void refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="card" aria-labelledby="s-webhooks" data-testid="webhooks">
      <h2 id="s-webhooks">Webhooks</h2>
      <p class="muted">
        Consign posts each event to your https address, signed the Standard Webhooks way with the endpoint's
        secret; a delivery that fails is retried for about 18 hours.
      </p>
      <FormError error={error() ?? endpoints.error} />
      <Show when={secret()}>
        {(s) => (
          <ShownOnce
            label="The endpoint's signing secret."
            value={s()}
            testId="new-webhook-secret"
            onDone={() => setSecret(null)}
          />
        )}
      </Show>
      <Show when={endpoints()}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">No webhook endpoints yet.</p>}>
            <ul class="plain">
              <For each={list()}>
                {(endpoint) => (
                  <li data-testid="webhook-endpoint" data-status={endpoint.status}>
                    <p>
                      <strong>{endpoint.url}</strong>
                      {endpoint.description ? ` — ${endpoint.description}` : ""}
                      <br />
                      <span class="muted">{endpoint.events.join(", ")}</span>
                      <br />
                      <Show
                        when={endpoint.status === "failing"}
                        fallback={<span>Active since {formatDateTime(Date.parse(endpoint.createdAt))}</span>}
                      >
                        <span class="integration-warning">
                          Failing since{" "}
                          {formatDateTime(Date.parse(endpoint.failingSince ?? endpoint.createdAt))}
                          {endpoint.lastError ? `: ${endpoint.lastError}` : ""}
                        </span>
                      </Show>
                    </p>
                    <div class="row">
                      <button
                        type="button"
                        aria-expanded={open() === endpoint.id}
                        onClick={() => setOpen(open() === endpoint.id ? null : endpoint.id)}
                      >
                        {open() === endpoint.id ? "Hide the delivery log" : "Delivery log"}
                      </button>
                      <button type="button" class="danger" onClick={() => void remove(endpoint)}>
                        Delete {endpoint.url}
                      </button>
                    </div>
                    <Show when={open() === endpoint.id}>
                      <Deliveries endpoint={endpoint} />
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <h3>Add an endpoint</h3>
      <form onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>Endpoint URL (https)</span>
          <input
            type="url"
            value={url()}
            required
            placeholder="https://example.co.uk/consign/webhooks"
            aria-invalid={fieldError(error(), "url") ? "true" : undefined}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <Show when={fieldError(error(), "url")}>
            {(m) => (
              <span class="field-error" data-testid="webhook-url-error">
                {m()}
              </span>
            )}
          </Show>
        </label>
        <label class="field">
          <span>Description (optional)</span>
          <input
            value={description()}
            maxLength={200}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </label>
        <fieldset class="events">
          <legend>Events</legend>
          <Show when={fieldError(error(), "events")}>{(m) => <span class="field-error">{m()}</span>}</Show>
          <For each={[...WEBHOOK_EVENTS]}>
            {(event) => (
              <label>
                <input
                  type="checkbox"
                  checked={events().includes(event)}
                  onChange={(e) => toggle(event, e.currentTarget.checked)}
                />
                <span>
                  <code>{event}</code> — {WEBHOOK_EVENT_MEANING[event]}
                </span>
              </label>
            )}
          </For>
        </fieldset>
        <button
          type="submit"
          class="primary"
          disabled={busy() || events().length === 0 || url().trim() === ""}
        >
          Add endpoint
        </button>
      </form>
    </section>
  );
}

/** Owner only: API keys and webhook endpoints for integrations. */
export function Integrations() {
  return (
    <div data-testid="integrations">
      <ApiKeys />
      <Webhooks />
    </div>
  );
}
