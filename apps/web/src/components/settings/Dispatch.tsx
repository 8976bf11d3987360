import { createSignal } from "solid-js";
import {
  CONFIRM_ON_PRINT_WORDS,
  confirmOnPrintSignal,
  writeConfirmOnPrint,
} from "../../lib/confirm-on-print.ts";
import type { Workspace } from "../../lib/workspace.ts";

/**
 * When Amazon hears an order is dispatched: as its label is printed (the default), or only when a packer
 * marks it dispatched. The owner's choice, kept in the document's settings so every tablet says the same.
 */
export function Dispatch(props: { ws: Workspace; readOnly: boolean }) {
  const doc = props.ws.live.doc;
  const on = confirmOnPrintSignal(doc);
  const [saved, setSaved] = createSignal<string | null>(null);
  return (
    <section class="card" aria-labelledby="s-dispatch" data-testid="dispatch-settings">
      <h2 id="s-dispatch">Dispatch</h2>
      <label class="check">
        <input
          type="checkbox"
          data-testid="confirm-on-print"
          checked={on()}
          disabled={props.readOnly}
          onChange={(e) => {
            const value = e.currentTarget.checked;
            writeConfirmOnPrint(doc, value);
            setSaved(
              value
                ? "Saved: printing a label now tells Amazon the order is dispatched."
                : "Saved: Amazon hears of a dispatch only when a packer marks the order dispatched.",
            );
          }}
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
    </section>
  );
}
