// Settings → Integrations: the owner's API keys (scope, created, last used, revoke; shown once).
import { createResource, createSignal, For, Show } from "solid-js";
import { formatDateTime } from "../../lib/clock.ts";
import {
  type ApiKeyView,
  createApiKey,
  type KeyScope,
  listApiKeys,
  revokeApiKey,
} from "../../lib/integrations.ts";
import { FormError, fieldError } from "../FormError.tsx";
import { ShownOnce } from "./ShownOnce.tsx";

/** Owner only: make, list and revoke API keys. */
export function ApiKeys() {
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
