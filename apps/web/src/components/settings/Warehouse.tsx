import { type Address, DEFAULT_DISPATCH_CUTOFF, dispatchCutoffOf } from "@consign/domain";
import { createSignal } from "solid-js";
import { readSetting, writeSetting } from "../../lib/doc.ts";
import type { Workspace } from "../../lib/workspace.ts";
import type { PrinterSettings } from "../BulkPanel.tsx";

/** Sender address, dispatch cut-off and printer: kept in the document's settings, shared by the team. */
export function Warehouse(props: { ws: Workspace; readOnly: boolean }) {
  const doc = props.ws.live.doc;
  const [saved, setSaved] = createSignal<string | null>(null);
  const sender = () => readSetting<Address>(doc, "senderAddress");
  const printer = () => readSetting<PrinterSettings>(doc, "printer") ?? { layout: "4x6", zpl: false };
  const cutoff = () => dispatchCutoffOf(readSetting<string>(doc, "dispatchCutoff"));

  function saveSender(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const v = (k: string) => String(f.get(k) ?? "").trim();
    const address: Address = {
      name: v("name"),
      line1: v("line1"),
      city: v("city"),
      postcode: v("postcode").toUpperCase(),
      countryCode: "GB",
    };
    if (v("line2")) address.line2 = v("line2");
    if (v("phone")) address.phone = v("phone");
    writeSetting(doc, "senderAddress", address, "local");
    writeSetting(doc, "dispatchCutoff", v("cutoff") || DEFAULT_DISPATCH_CUTOFF, "local");
    setSaved("Sender address saved.");
  }
  function savePrinter(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    writeSetting(doc, "printer", { layout: String(f.get("layout")), zpl: f.get("zpl") === "on" }, "local");
    setSaved("Printer saved.");
  }
  return (
    <section class="card" aria-labelledby="s-warehouse">
      <h2 id="s-warehouse">Warehouse</h2>
      <p role="status" class="muted">
        {saved()}
      </p>
      <form onSubmit={saveSender} aria-label="Sender address" data-testid="sender-form">
        <fieldset disabled={props.readOnly}>
          <legend>Sender address (printed on labels)</legend>
          <div class="grid2">
            <label class="field">
              <span>Name or business</span>
              <input name="name" required value={sender()?.name ?? ""} autocomplete="organization" />
            </label>
            <label class="field">
              <span>Phone</span>
              <input name="phone" type="tel" value={sender()?.phone ?? ""} />
            </label>
            <label class="field">
              <span>Address line 1</span>
              <input name="line1" required value={sender()?.line1 ?? ""} />
            </label>
            <label class="field">
              <span>Address line 2</span>
              <input name="line2" value={sender()?.line2 ?? ""} />
            </label>
            <label class="field">
              <span>Town or city</span>
              <input name="city" required value={sender()?.city ?? ""} />
            </label>
            <label class="field">
              <span>Postcode</span>
              <input
                name="postcode"
                required
                value={sender()?.postcode ?? ""}
                pattern="[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}"
              />
            </label>
            <label class="field">
              <span>Courier collects at (dispatch cut-off)</span>
              <input name="cutoff" type="time" value={cutoff()} />
            </label>
          </div>
          <button type="submit" class="primary">
            Save sender address
          </button>
        </fieldset>
      </form>
      <form onSubmit={savePrinter} aria-label="Printer" data-testid="printer-form">
        <fieldset disabled={props.readOnly}>
          <legend>Printer</legend>
          <div class="radios" role="radiogroup" aria-label="Label paper">
            <label>
              <input type="radio" name="layout" value="4x6" checked={printer().layout === "4x6"} /> 4×6 in
              thermal (100×150 mm)
            </label>
            <label>
              <input type="radio" name="layout" value="a4-2up" checked={printer().layout === "a4-2up"} /> A4,
              2 labels a sheet
            </label>
            <label>
              <input type="radio" name="layout" value="a4-4up" checked={printer().layout === "a4-4up"} /> A4,
              4 labels a sheet
            </label>
          </div>
          <label class="check">
            <input type="checkbox" name="zpl" checked={printer().zpl} /> Zebra printer: offer ZPL downloads
          </label>
          <p class="muted">Print at 100% scale (“Actual size”), margins none.</p>
          <button type="submit" class="primary">
            Save printer
          </button>
        </fieldset>
      </form>
    </section>
  );
}
