import { createSignal } from "solid-js";
import * as api from "../../lib/api.ts";
import {
  CONFIRM_ON_PRINT,
  CONFIRM_ON_PRINT_WORDS,
  confirmOnPrintSignal,
} from "../../lib/confirm-on-print.ts";
import type { Workspace } from "../../lib/workspace.ts";

/**
 * When Amazon hears an order is dispatched: as its label is printed (the default), or only when a packer
 * marks it dispatched. The owner's choice, changed through the edge (the room writes it into the
 * document, so every tablet shows the same and the room acts on it).
 */
export function Dispatch(props: { ws: Workspace; readOnly: boolean }) {
  const on = confirmOnPrintSignal(props.ws.live.doc);
  const [saving, setSaving] = createSignal(false);
  const [saved, setSaved] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  async function change(input: HTMLInputElement) {
    const value = input.checked;
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      await api.patchSettings({ [CONFIRM_ON_PRINT]: value });
      setSaved(
        value
          ? "Saved: printing a label now tells Amazon the order is dispatched."
          : "Saved: Amazon hears of a dispatch only when a packer marks the order dispatched.",
      );
    } catch (err) {
      input.checked = on();
      setError(
        navigator.onLine
          ? `Not saved: ${(err as Error).message}`
          : "Not saved: this tablet is offline. Change it again when the connection is back.",
      );
    } finally {
      setSaving(false);
    }
  }
  return (
    <section class="card" aria-labelledby="s-dispatch" data-testid="dispatch-settings">
      <h2 id="s-dispatch">Dispatch</h2>
      <label class="check">
        <input
          type="checkbox"
          data-testid="confirm-on-print"
          checked={on()}
          // Until this device's copy has loaded, the box would show the default, not the team's choice.
          disabled={props.readOnly || saving() || !props.ws.live.loaded()}
          onChange={(e) => void change(e.currentTarget)}
        />{" "}
        {CONFIRM_ON_PRINT_WORDS}
      </label>
      <p class="muted">
        On: the moment a label prints, Consign confirms the dispatch on Amazon with the carrier and tracking
        number. Off: packers mark orders dispatched in the Buy &amp; print panel when the parcels leave.
        {props.readOnly ? " Only the account owner can change this." : ""}
      </p>
      <p role="status" class="muted">
        {saved()}
      </p>
      <p role="alert" class="form-error">
        {error()}
      </p>
    </section>
  );
}
