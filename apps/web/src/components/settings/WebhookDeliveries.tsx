// One webhook endpoint's delivery log, newest first, with a retry on each delivery given up on.
import { createResource, createSignal, For, Show } from "solid-js";
import { formatDateTime } from "../../lib/clock.ts";
import {
  deliveryOutcome,
  retryableRows,
  retryWebhookDelivery,
  type WebhookEndpoint,
  webhookDeliveries,
} from "../../lib/integrations.ts";
import { FormError } from "../FormError.tsx";

export function WebhookDeliveries(props: { endpoint: WebhookEndpoint; onRetried: () => void }) {
  const [log, { refetch }] = createResource(() => webhookDeliveries(props.endpoint.id));
  const [error, setError] = createSignal<unknown>(null);
  const [said, setSaid] = createSignal<string | null>(null);
  const retryable = () => retryableRows(log() ?? []);

  const retry = async (messageId: string, attempt: number) => {
    setError(null);
    setSaid(null);
    try {
      // The same key for the same row: a second tap before the log moves on replays the first.
      await retryWebhookDelivery(props.endpoint.id, messageId, `retry:${messageId}:${attempt}`);
      setSaid(`Sending ${messageId} again now, with the same webhook-id.`);
      props.onRetried();
      void refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="deliveries" data-testid="webhook-deliveries">
      <FormError error={error() ?? log.error} />
      <Show when={said()}>
        <p role="status">{said()}</p>
      </Show>
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
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(d) => (
                    <tr data-testid="webhook-delivery" data-message-state={d.messageState}>
                      <td>{formatDateTime(Date.parse(d.at))}</td>
                      <td>{d.eventType}</td>
                      <td>{d.attempt}</td>
                      <td>{deliveryOutcome(d)}</td>
                      <td>{d.durationMs} ms</td>
                      <td>
                        <Show when={retryable().has(d.id)}>
                          <button type="button" onClick={() => void retry(d.messageId, d.attempt)}>
                            Retry {d.eventType} delivery
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
      <button type="button" onClick={() => void refetch()}>
        Refresh the log
      </button>
    </div>
  );
}
