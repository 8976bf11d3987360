// Settings → Integrations: the owner's webhook endpoints. Each shows its events and state, and
// offers its delivery log, a retry of what failed, a secret rotation and deletion. A new endpoint's
// secret and a rotated one appear in the same shown-once box.
import { createResource, createSignal, For, Show } from "solid-js";
import { formatDateTime } from "../../lib/clock.ts";
import {
  deleteWebhook,
  listWebhooks,
  retryLabel,
  retryWebhook,
  rotateWebhookSecret,
  type WebhookEndpoint,
} from "../../lib/integrations.ts";
import { FormError } from "../FormError.tsx";
import { ShownOnce } from "./ShownOnce.tsx";
import { WebhookDeliveries } from "./WebhookDeliveries.tsx";
import { WebhookForm } from "./WebhookForm.tsx";

/** How long a rotated-out secret keeps signing (the API's default, said in the app's words). */
const GRACE_HOURS = 24;

interface Secret {
  label: string;
  detail?: string;
  value: string;
}

export function Webhooks() {
  const [endpoints, { refetch }] = createResource(listWebhooks);
  const [error, setError] = createSignal<unknown>(null);
  const [secret, setSecret] = createSignal<Secret | null>(null);
  const [said, setSaid] = createSignal<string | null>(null);
  const [open, setOpen] = createSignal<string | null>(null);

  /** Runs an endpoint action, showing its error or what it did; the list is read again after. */
  const act = async (work: () => Promise<string | null>) => {
    setError(null);
    setSaid(null);
    try {
      setSaid(await work());
    } catch (err) {
      setError(err);
    } finally {
      void refetch();
    }
  };

  const rotate = (endpoint: WebhookEndpoint) =>
    act(async () => {
      if (
        !confirm(
          `Make a new signing secret for ${endpoint.url}? For ${GRACE_HOURS} hours each delivery is signed with both the old and the new secret, so your receiver keeps working while you change it; after that only the new one.`,
        )
      )
        return null;
      const rotated = await rotateWebhookSecret(endpoint.id, GRACE_HOURS, crypto.randomUUID());
      const until = rotated.endpoint.previousSecretExpiresAt;
      setSecret({
        label: `The new signing secret for ${endpoint.url}.`,
        detail: until
          ? `Put it in your receiver before ${formatDateTime(Date.parse(until))}: until then deliveries also carry the old secret's signature, after that only this one's.`
          : "Only this secret signs from now on.",
        value: rotated.secret,
      });
      return null;
    });

  const retry = (endpoint: WebhookEndpoint) =>
    act(async () => {
      // A fresh key each tap: the same backlog may fail again and need another retry later. A
      // double tap only sends each message again with its same webhook-id, which receivers dedupe.
      const { retried } = await retryWebhook(endpoint.id, crypto.randomUUID());
      return retried === 0
        ? "Nothing is waiting to be sent to this endpoint."
        : `${retried} ${retried === 1 ? "delivery is" : "deliveries are"} being sent again now, each with its first webhook-id.`;
    });

  const remove = (endpoint: WebhookEndpoint) =>
    act(async () => {
      if (!confirm(`Stop sending webhooks to ${endpoint.url}? Deliveries waiting to be retried are dropped.`))
        return null;
      await deleteWebhook(endpoint.id);
      return null;
    });

  return (
    <section class="card" aria-labelledby="s-webhooks" data-testid="webhooks">
      <h2 id="s-webhooks">Webhooks</h2>
      <p class="muted">
        Consign posts each event to your https address, signed the Standard Webhooks way with the endpoint's
        secret; a delivery that fails is retried for about 18 hours, then waits for you to retry it here.
      </p>
      <FormError error={error() ?? endpoints.error} />
      <Show when={said()}>
        <p role="status" data-testid="webhook-said">
          {said()}
        </p>
      </Show>
      <Show when={secret()}>
        {(s) => (
          <ShownOnce
            label={s().label}
            detail={s().detail}
            value={s().value}
            testId="webhook-secret"
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
                      <Show when={endpoint.previousSecretExpiresAt}>
                        {(until) => (
                          <>
                            <br />
                            <span data-testid="webhook-old-secret">
                              The old secret also signs until {formatDateTime(Date.parse(until()))}.
                            </span>
                          </>
                        )}
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
                      <Show when={retryLabel(endpoint)}>
                        {(label) => (
                          <button type="button" class="primary" onClick={() => void retry(endpoint)}>
                            {label()}
                          </button>
                        )}
                      </Show>
                      <button type="button" onClick={() => void rotate(endpoint)}>
                        Rotate the secret of {endpoint.url}
                      </button>
                      <button type="button" class="danger" onClick={() => void remove(endpoint)}>
                        Delete {endpoint.url}
                      </button>
                    </div>
                    <Show when={open() === endpoint.id}>
                      <WebhookDeliveries endpoint={endpoint} onRetried={() => void refetch()} />
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <WebhookForm
        error={error()}
        setError={setError}
        onCreated={(created) => {
          setSecret({ label: "The endpoint's signing secret.", value: created.secret });
          void refetch();
        }}
      />
    </section>
  );
}
