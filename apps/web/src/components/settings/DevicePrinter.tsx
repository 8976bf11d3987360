// Settings → This tablet's printer: pair a USB label printer (WebUSB), its profile (language,
// resolution, label stock, darkness), a test print, and forget. A device setting: each bench
// has its own printer. Without WebUSB it says why, and how to print the PDF at exact size.
import {
  LABEL_STOCKS,
  type LabelStock,
  PRINTER_DPIS,
  PRINTER_LANGUAGES,
  zplTestPrint,
} from "@consign/labels";
import { createSignal, For, Show } from "solid-js";
import {
  connectPrinter,
  devicePrinter,
  dropConnection,
  forgetPrinter,
  pairPrinter,
  saveProfile,
} from "../../lib/device-printer.ts";
import { webUsbMissingReason } from "../../lib/usb-printer.ts";
import { PdfDialogSettings } from "../DirectPrint.tsx";

export function DevicePrinter() {
  const missing = webUsbMissingReason();
  const [message, setMessage] = createSignal<{ text: string; error?: boolean } | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function act(fn: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ text: await fn() });
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(false);
    }
  }

  const pair = () => act(async () => `Paired ${(await pairPrinter()).name}.`);
  const testPrint = () =>
    act(async () => {
      const p = devicePrinter();
      if (!p) throw new Error("Pair a printer first.");
      try {
        const printer = await connectPrinter();
        await printer.ready();
        await printer.send(zplTestPrint(p.profile, p.name));
      } catch (err) {
        dropConnection();
        throw err;
      }
      return `Test print sent to ${p.name}: the frame should sit just inside the label's edges.`;
    });
  function save(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    try {
      saveProfile({
        language: f.get("language"),
        dpi: Number(f.get("dpi")),
        stock: f.get("stock"),
        darkness: Number(f.get("darkness")),
      });
      setMessage({ text: "Printer profile saved on this tablet." });
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    }
  }

  return (
    <section class="card" aria-labelledby="s-device-printer" data-testid="device-printer">
      <h2 id="s-device-printer">This tablet's printer</h2>
      <Show when={message()}>
        {(m) => (
          <p
            role={m().error ? "alert" : "status"}
            classList={{ "form-error": !!m().error, muted: !m().error }}
            data-testid="device-printer-message"
          >
            {m().text}
          </p>
        )}
      </Show>
      <Show
        when={!missing}
        fallback={
          <>
            <p data-testid="webusb-missing">{missing} Labels print as PDF through the print dialog.</p>
            <PdfDialogSettings />
          </>
        }
      >
        <Show
          when={devicePrinter()}
          fallback={
            <>
              <p class="muted">
                Plug a USB label printer (Zebra or any printer with ZPL) into this tablet, then pair it:
                labels then print straight to it, with no dialog and no agent to install.
              </p>
              <button
                type="button"
                class="primary"
                disabled={busy()}
                onClick={() => void pair()}
                data-testid="pair-printer"
              >
                Pair a USB label printer
              </button>
            </>
          }
        >
          {(p) => (
            <form onSubmit={save} aria-label="Printer profile" data-testid="device-printer-form">
              <p>
                <strong data-testid="paired-printer">{p().name}</strong>
              </p>
              <fieldset>
                <legend>Language</legend>
                <select name="language" aria-label="Printer language">
                  <For each={PRINTER_LANGUAGES}>
                    {(l) => (
                      <option value={l} selected={p().profile.language === l} disabled={l !== "zpl"}>
                        {l.toUpperCase()}
                        {l === "zpl" ? "" : " (not yet)"}
                      </option>
                    )}
                  </For>
                </select>
              </fieldset>
              <fieldset>
                <legend>Resolution</legend>
                <For each={PRINTER_DPIS}>
                  {(dpi) => (
                    <label>
                      <input type="radio" name="dpi" value={dpi} checked={p().profile.dpi === dpi} /> {dpi}{" "}
                      dpi
                    </label>
                  )}
                </For>
              </fieldset>
              <fieldset>
                <legend>Label stock</legend>
                <For each={Object.keys(LABEL_STOCKS) as LabelStock[]}>
                  {(stock) => (
                    <label>
                      <input type="radio" name="stock" value={stock} checked={p().profile.stock === stock} />{" "}
                      {LABEL_STOCKS[stock].name}
                    </label>
                  )}
                </For>
              </fieldset>
              <label class="field">
                <span>Darkness (0–30, most printers 15)</span>
                <input name="darkness" type="number" min="0" max="30" step="1" value={p().profile.darkness} />
              </label>
              <div class="row">
                <button type="submit" class="primary" data-testid="save-device-printer">
                  Save
                </button>
                <button
                  type="button"
                  disabled={busy()}
                  onClick={() => void testPrint()}
                  data-testid="test-print"
                >
                  Test print
                </button>
                <button
                  type="button"
                  disabled={busy()}
                  onClick={() =>
                    void act(async () => {
                      await forgetPrinter();
                      return "Printer forgotten on this tablet.";
                    })
                  }
                >
                  Forget this printer
                </button>
              </div>
            </form>
          )}
        </Show>
      </Show>
    </section>
  );
}
