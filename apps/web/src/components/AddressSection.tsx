import { type Address, addressCorrectionRefusal, historyWho, type Order } from "@consign/domain";
import { createSignal, For, Show } from "solid-js";
import { writeJson } from "../lib/api.ts";
import { formatDateTime } from "../lib/clock.ts";
import { FormError, fieldError } from "./FormError.tsx";

const FIELDS: { key: keyof Address; label: string; required?: boolean; autocomplete: string }[] = [
  { key: "name", label: "Name", required: true, autocomplete: "name" },
  { key: "line1", label: "Address line 1", required: true, autocomplete: "address-line1" },
  { key: "line2", label: "Address line 2", autocomplete: "address-line2" },
  { key: "city", label: "Town or city", required: true, autocomplete: "address-level2" },
  { key: "postcode", label: "Postcode", required: true, autocomplete: "postal-code" },
];

function AddressLines(props: { address: Address }) {
  return (
    <address>
      {props.address.name}
      <br />
      {props.address.line1}
      <Show when={props.address.line2}>
        <br />
        {props.address.line2}
      </Show>
      <br />
      {props.address.city} {props.address.postcode}
      <br />
      {props.address.countryCode}
    </address>
  );
}

/**
 * Where the parcel goes. Amazon's address as Amazon gave it; a corrected one (with who, on which
 * device, when and why) beside it, which the label goes to. Correcting is possible until the label
 * is bought; the room checks the address as the courier takes it and names what is wrong.
 */
export function AddressSection(props: { order: Order; readOnly: boolean }) {
  const [editing, setEditing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const o = () => props.order;
  const correction = () => o().addressCorrection;
  const canCorrect = () => !props.readOnly && addressCorrectionRefusal(o()) === null;
  const path = () => `/api/v1/orders/${encodeURIComponent(o().orderId)}/address-correction`;

  async function save(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const address: Record<string, string> = {
      countryCode: correction()?.address.countryCode ?? o().recipient?.countryCode ?? "GB",
    };
    for (const f of FIELDS) {
      const v = String(form.get(f.key) ?? "").trim();
      if (v) address[f.key] = v;
    }
    const reason = String(form.get("reason") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await writeJson("PUT", path(), {
        body: { address, ...(reason ? { reason } : {}) },
        idempotencyKey: crypto.randomUUID(),
      });
      setEditing(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function useAmazons() {
    setBusy(true);
    setError(null);
    try {
      await writeJson("DELETE", path(), { idempotencyKey: crypto.randomUUID() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const start = () => correction()?.address ?? o().recipient;
  return (
    <section aria-labelledby="d-address" data-testid="order-address">
      <h3 id="d-address">Deliver to</h3>
      <Show when={o().recipient} fallback={<p class="muted">Address not yet released by Amazon.</p>}>
        {(amazons) => (
          <>
            <Show when={correction()} fallback={<AddressLines address={amazons()} />}>
              {(c) => (
                <div class="address-corrected" data-testid="address-correction">
                  <AddressLines address={c().address} />
                  <p class="muted">
                    Corrected {formatDateTime(c().at)}
                    {historyWho(c()) ? ` by ${historyWho(c())}` : ""}
                    {c().reason ? `: ${c().reason}` : ""}. The label goes here.
                  </p>
                  <details>
                    <summary>Amazon's address</summary>
                    <AddressLines address={amazons()} />
                  </details>
                </div>
              )}
            </Show>
            <Show when={canCorrect() && !editing()}>
              <div class="address-actions">
                <button type="button" data-testid="correct-address" onClick={() => setEditing(true)}>
                  Correct the address
                </button>
                <Show when={correction()}>
                  <button type="button" disabled={busy()} onClick={() => void useAmazons()}>
                    Use Amazon's address
                  </button>
                </Show>
              </div>
            </Show>
            <Show when={editing()}>
              <form class="address-form" aria-label="Correct the delivery address" onSubmit={save}>
                <For each={FIELDS}>
                  {(f) => (
                    <label class="field">
                      <span>{f.label}</span>
                      <input
                        name={f.key}
                        required={f.required}
                        autocomplete={f.autocomplete}
                        value={(start()?.[f.key] as string | undefined) ?? ""}
                        aria-invalid={fieldError(error(), `address.${f.key}`) ? "true" : undefined}
                      />
                      <Show when={fieldError(error(), `address.${f.key}`)}>
                        {(m) => <span class="field-error">{m()}</span>}
                      </Show>
                    </label>
                  )}
                </For>
                <label class="field">
                  <span>Why (for the history)</span>
                  <input name="reason" placeholder="Buyer's message: flat number missing" />
                </label>
                <FormError error={error()} />
                <div class="address-actions">
                  <button type="submit" class="primary" disabled={busy()}>
                    {busy() ? "Saving…" : "Save the address"}
                  </button>
                  <button type="button" onClick={() => setEditing(false)}>
                    Cancel
                  </button>
                </div>
              </form>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
