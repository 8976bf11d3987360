import { createResource, createSignal, For, Show } from "solid-js";
import * as api from "../../lib/api.ts";
import { formatDateTime } from "../../lib/clock.ts";
import { currentSearch, navigate } from "../../lib/router.ts";
import { FormError } from "../FormError.tsx";

interface CourierForm {
  /** The form's own id (Royal Mail has two: one per API). */
  id: string;
  courier: string;
  name: string;
  /** Royal Mail: the API this form connects (one at a time: connecting one replaces the other). */
  via?: "click-and-drop" | "pro-shipping";
  /** Sent with the fields, e.g. which API. */
  extra?: Record<string, string>;
  /** Shown above the fields. */
  hint?: string;
  fields: { name: string; label: string; secret?: boolean; pattern?: string; title?: string }[];
}
const COURIERS: CourierForm[] = [
  {
    id: "royal-mail",
    courier: "royal-mail",
    via: "click-and-drop",
    name: "Royal Mail Click & Drop",
    fields: [{ name: "apiKey", label: "API key", secret: true }],
  },
  {
    id: "royal-mail-pro",
    courier: "royal-mail",
    via: "pro-shipping",
    name: "Royal Mail Pro Shipping",
    extra: { api: "pro-shipping" },
    hint: "For a Royal Mail contract account: labels come from Royal Mail's Shipping API v3, and a ZPL printer gets Royal Mail's own ZPL. Consign signs in with these before keeping them. Connecting it replaces Click & Drop.",
    fields: [
      { name: "clientId", label: "Client id" },
      { name: "clientSecret", label: "Client secret", secret: true },
      { name: "username", label: "Pro Shipping username" },
      { name: "password", label: "Pro Shipping password", secret: true },
      {
        name: "postingLocation",
        label: "Posting location",
        pattern: "\\d{10}",
        title: "The 10-digit posting location number on your Royal Mail contract",
      },
    ],
  },
  {
    id: "evri",
    courier: "evri",
    name: "Evri",
    // As Evri issues them to an account: a user for Basic auth, and the client the body names.
    fields: [
      { name: "username", label: "Username" },
      { name: "password", label: "Password", secret: true },
      { name: "clientId", label: "Client id" },
      { name: "clientName", label: "Client name" },
    ],
  },
  {
    id: "dpd",
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
  const [saving, setSaving] = createSignal<string | null>(null);
  async function saveCourier(e: SubmitEvent, c: CourierForm) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const credentials: Record<string, string> = { ...c.extra };
    for (const [k, v] of new FormData(form)) credentials[k] = k === "password" ? String(v) : String(v).trim();
    setError(null);
    setSaving(c.id);
    try {
      await api.putCourier(c.courier, credentials);
      form.reset();
      setEditing(null);
      void refetchCouriers();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(null);
    }
  }
  /** Connected through this form's API (a Royal Mail account is one API or the other). */
  const connected = (c: CourierForm) => {
    const line = couriers()?.find((x) => x.courier === c.courier);
    if (!line?.connected) return false;
    return !c.via || (line.via ?? "click-and-drop") === c.via;
  };

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
            <li data-testid={`courier-${c.id}`} data-connected={connected(c)}>
              <div class="row">
                <strong>{c.name}</strong>
                <span class={connected(c) ? "status ok" : "status muted"}>
                  {connected(c) ? "✓ Connected" : "Not connected"}
                </span>
                <button type="button" onClick={() => setEditing(editing() === c.id ? null : c.id)}>
                  {connected(c) ? "Replace credentials" : "Connect"}
                </button>
              </div>
              <Show when={editing() === c.id}>
                <form
                  class="row wrap"
                  onSubmit={(e) => void saveCourier(e, c)}
                  aria-label={`${c.name} credentials`}
                >
                  <Show when={c.hint}>
                    <p class="muted">{c.hint}</p>
                  </Show>
                  <For each={c.fields}>
                    {(f) => (
                      <label class="field inline">
                        <span>{f.label}</span>
                        <input
                          name={f.name}
                          type={f.secret ? "password" : "text"}
                          autocomplete="off"
                          required
                          {...(f.pattern ? { pattern: f.pattern, title: f.title } : {})}
                        />
                      </label>
                    )}
                  </For>
                  <button type="submit" class="primary" disabled={saving() === c.id}>
                    {saving() === c.id
                      ? c.extra
                        ? "Signing in to Royal Mail…"
                        : "Saving…"
                      : c.extra
                        ? `Test and connect ${c.name}`
                        : `Save ${c.name}`}
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
