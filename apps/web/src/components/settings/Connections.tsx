import { createResource, createSignal, For, Show } from "solid-js";
import * as api from "../../lib/api.ts";
import { formatDateTime } from "../../lib/clock.ts";
import { currentSearch, navigate } from "../../lib/router.ts";
import { FormError } from "../FormError.tsx";

interface CourierForm {
  courier: string;
  name: string;
  fields: { name: string; label: string; secret?: boolean }[];
}
const COURIERS: CourierForm[] = [
  {
    courier: "royal-mail",
    name: "Royal Mail Click & Drop",
    fields: [{ name: "apiKey", label: "API key", secret: true }],
  },
  {
    courier: "evri",
    name: "Evri",
    fields: [
      { name: "clientId", label: "Client id" },
      { name: "clientSecret", label: "Client secret", secret: true },
    ],
  },
  {
    courier: "dpd",
    name: "DPD",
    fields: [
      { name: "username", label: "Username" },
      { name: "password", label: "Password", secret: true },
      { name: "accountNumber", label: "Account number" },
    ],
  },
];

/** Amazon (OAuth redirect) and courier accounts (credentials are sent once and never shown again). */
export function Connections() {
  const [amazon, { refetch: refetchAmazon }] = createResource(api.getAmazonStatus);
  const [couriers, { refetch: refetchCouriers }] = createResource(api.getCouriers);
  const [error, setError] = createSignal<unknown>(null);
  const [editing, setEditing] = createSignal<string | null>(null);
  const returned = currentSearch().get("amazon");
  const returnMessage = currentSearch().get("message");

  async function connectAmazon() {
    setError(null);
    try {
      const { url } = await api.connectAmazon();
      location.assign(url);
    } catch (err) {
      setError(err);
    }
  }
  const [disconnected, setDisconnected] = createSignal<string | null>(null);
  async function disconnectAmazon() {
    if (
      !confirm(
        "Disconnect Amazon? New orders stop arriving and dispatches are no longer confirmed on Amazon until you connect again.",
      )
    )
      return;
    setError(null);
    try {
      const r = await api.disconnectAmazon();
      setDisconnected(
        r.liveUpdates.message
          ? `Amazon is disconnected. ${r.liveUpdates.message}`
          : "Amazon is disconnected: it no longer sends this account's orders to Consign.",
      );
      void refetchAmazon();
    } catch (err) {
      setError(err);
    }
  }
  async function saveCourier(e: SubmitEvent, courier: string) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const credentials: Record<string, string> = {};
    for (const [k, v] of new FormData(form)) credentials[k] = String(v).trim();
    setError(null);
    try {
      await api.putCourier(courier, credentials);
      form.reset();
      setEditing(null);
      void refetchCouriers();
    } catch (err) {
      setError(err);
    }
  }
  const connected = (courier: string) => couriers()?.find((c) => c.courier === courier)?.connected ?? false;

  return (
    <section class="card" aria-labelledby="s-connections" data-testid="connections">
      <h2 id="s-connections">Connections</h2>
      <Show when={returned === "connected"}>
        <p class="notice" role="status">
          Amazon is connected.{" "}
          <button type="button" class="link" onClick={() => navigate("/settings", true)}>
            OK
          </button>
        </p>
      </Show>
      <Show when={returned === "error"}>
        <p class="form-error" role="alert">
          Amazon did not connect: {returnMessage ?? "no reason given"}
        </p>
      </Show>
      <Show when={disconnected()}>
        {(text) => (
          <p class="notice" role="status" data-testid="amazon-disconnected">
            {text()}
          </p>
        )}
      </Show>
      <FormError error={error()} />
      <h3>Amazon</h3>
      <Show
        when={amazon()}
        fallback={<p class="muted">{amazon.error ? (amazon.error as Error).message : "Checking…"}</p>}
      >
        {(a) => (
          <div class="row" data-testid="amazon-status" data-connected={a().connected}>
            <span class={a().connected ? "status ok" : "status muted"}>
              {a().connected
                ? `✓ Connected${a().sellingPartnerId ? ` as ${a().sellingPartnerId}` : ""}`
                : "Not connected"}
              {a().lastSyncAt ? ` · last import ${formatDateTime(a().lastSyncAt!)}` : ""}
            </span>
            <Show when={a().error}>
              <span class="inline-error">{a().error}</span>
            </Show>
            <button type="button" class={a().connected ? "" : "primary"} onClick={() => void connectAmazon()}>
              {a().connected ? "Reconnect Amazon" : "Connect Amazon"}
            </button>
            <Show when={a().connected}>
              <button type="button" class="danger" onClick={() => void disconnectAmazon()}>
                Disconnect Amazon
              </button>
            </Show>
            <button type="button" class="link" onClick={() => void refetchAmazon()}>
              Refresh
            </button>
          </div>
        )}
      </Show>
      <h3>Couriers</h3>
      <ul class="plain">
        <For each={COURIERS}>
          {(c) => (
            <li data-testid={`courier-${c.courier}`} data-connected={connected(c.courier)}>
              <div class="row">
                <strong>{c.name}</strong>
                <span class={connected(c.courier) ? "status ok" : "status muted"}>
                  {connected(c.courier) ? "✓ Connected" : "Not connected"}
                </span>
                <button type="button" onClick={() => setEditing(editing() === c.courier ? null : c.courier)}>
                  {connected(c.courier) ? "Replace credentials" : "Connect"}
                </button>
              </div>
              <Show when={editing() === c.courier}>
                <form
                  class="row wrap"
                  onSubmit={(e) => void saveCourier(e, c.courier)}
                  aria-label={`${c.name} credentials`}
                >
                  <For each={c.fields}>
                    {(f) => (
                      <label class="field inline">
                        <span>{f.label}</span>
                        <input
                          name={f.name}
                          type={f.secret ? "password" : "text"}
                          autocomplete="off"
                          required
                        />
                      </label>
                    )}
                  </For>
                  <button type="submit" class="primary">
                    Save {c.name}
                  </button>
                  <p class="muted">
                    Credentials are sent once and stored encrypted; Consign never shows them again.
                  </p>
                </form>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
