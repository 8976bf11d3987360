// Settings → Integrations: add a webhook endpoint (an https URL on a public address, its events).
import { createSignal, For, Show } from "solid-js";
import {
  createWebhook,
  WEBHOOK_EVENT_MEANING,
  WEBHOOK_EVENTS,
  type WebhookEndpoint,
  type WebhookEventType,
} from "../../lib/integrations.ts";
import { fieldError } from "../FormError.tsx";

export function WebhookForm(props: {
  error: unknown;
  setError: (e: unknown) => void;
  onCreated: (created: { endpoint: WebhookEndpoint; secret: string }) => void;
}) {
  const [url, setUrl] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [events, setEvents] = createSignal<WebhookEventType[]>([
    "order.created",
    "shipment.created",
    "order.dispatched",
  ]);
  const [busy, setBusy] = createSignal(false);
  // One Idempotency-Key per endpoint being added: a retried tap never adds two.
  let attempt = crypto.randomUUID();

  const toggle = (event: WebhookEventType, on: boolean) =>
    setEvents((list) => (on ? [...new Set([...list, event])] : list.filter((e) => e !== event)));

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    props.setError(null);
    setBusy(true);
    try {
      const body = {
        url: url().trim(),
        events: events(),
        ...(description().trim() ? { description: description().trim() } : {}),
      };
      const created = await createWebhook(body, attempt);
      attempt = crypto.randomUUID();
      setUrl("");
      setDescription("");
      props.onCreated(created);
    } catch (err) {
      props.setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3>Add an endpoint</h3>
      <form onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>Endpoint URL (https)</span>
          <input
            type="url"
            value={url()}
            required
            placeholder="https://example.co.uk/consign/webhooks"
            aria-invalid={fieldError(props.error, "url") ? "true" : undefined}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <Show when={fieldError(props.error, "url")}>
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
          <Show when={fieldError(props.error, "events")}>
            {(m) => <span class="field-error">{m()}</span>}
          </Show>
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
    </>
  );
}
