// "Print on <printer>": the run straight to this tablet's USB label printer, through the team's
// print queue, with progress and the printer's problems in words, Stop and Resume, and an
// explicit Reprint for labels already printed. Where the browser has no WebUSB, or no printer
// is paired, it says so and the PDF parts below stay the way to print, with the print dialog
// settings for exact-size labels shown once on this device.
import type { Address, Order } from "@consign/domain";
import { LABEL_STOCKS } from "@consign/labels";
import { proxy } from "comlink";
import { createSignal, Show } from "solid-js";
import {
  connectPrinter,
  devicePrinter,
  dropConnection,
  markPdfNoteSeen,
  pdfNoteSeen,
} from "../lib/device-printer.ts";
import { type DirectPrintProgress, runDirectPrint } from "../lib/direct-print.ts";
import { readSetting } from "../lib/doc.ts";
import { labelsWorker } from "../lib/labels-client.ts";
import { accessToken, session } from "../lib/session.ts";
import { webUsbMissingReason } from "../lib/usb-printer.ts";
import type { Workspace } from "../lib/workspace.ts";

const DEFAULT_SENDER: Address = { name: "", line1: "", city: "", postcode: "", countryCode: "GB" };

export function PdfDialogSettings() {
  return (
    <p class="muted" data-testid="pdf-dialog-settings">
      In the print dialog: choose the label printer, paper size 4×6 in (101.6 × 152.4 mm, or your stock),
      scale 100% (“Actual size”, not “Fit”), margins None, one page per sheet. Each label is one page of
      exactly that size.
    </p>
  );
}

export default function DirectPrint(props: { ws: Workspace; orders: () => Order[] }) {
  const missing = webUsbMissingReason();
  const [progress, setProgress] = createSignal<DirectPrintProgress | null>(null);
  const [stopped, setStopped] = createSignal<string | null>(null);
  const [running, setRunning] = createSignal(false);
  const [noteSeen, setNoteSeen] = createSignal(pdfNoteSeen());
  let keepGoing = true;

  /** Prints `orders` (default: the run's); `reprint` prints labels already printed again. */
  async function print(reprint: boolean, orders: Order[] = props.orders()) {
    const paired = devicePrinter();
    if (!paired || running()) return;
    setStopped(null);
    setRunning(true);
    keepGoing = true;
    try {
      const printer = await connectPrinter();
      const sender = readSetting<Address>(props.ws.live.doc, "senderAddress") ?? DEFAULT_SENDER;
      const getToken = proxy(() => accessToken());
      const result = await runDirectPrint({ jobId: crypto.randomUUID(), reprint }, orders, {
        doc: props.ws.live.doc,
        printer,
        makeZpl: (orders) => labelsWorker().zplForPrinter(orders, paired.profile, sender, getToken),
        device: session()?.deviceName || "this tablet",
        by: session()?.user.name ?? "someone",
        onProgress: setProgress,
        keepGoing: () => keepGoing,
      });
      setProgress(result);
      if (result.stopped) {
        setStopped(result.stopped);
        if (/unplugged/.test(result.stopped)) dropConnection();
      }
    } catch (err) {
      setStopped((err as Error).message);
      dropConnection();
    } finally {
      setRunning(false);
    }
  }

  const skipped = () => Object.keys(progress()?.skipped ?? {}).length;
  const failed = () => Object.keys(progress()?.failed ?? {}).length;
  const firstSkip = () => Object.values(progress()?.skipped ?? {})[0];

  return (
    <div class="progress-block direct-print" data-testid="direct-print">
      <Show
        when={!missing}
        fallback={
          <>
            <p data-testid="direct-print-unavailable">{missing} Print the PDF below instead.</p>
            <Show when={!noteSeen()}>
              <PdfDialogSettings />
              <button
                type="button"
                onClick={() => {
                  markPdfNoteSeen();
                  setNoteSeen(true);
                }}
              >
                Got it
              </button>
            </Show>
          </>
        }
      >
        <Show
          when={devicePrinter()}
          fallback={
            <p data-testid="direct-print-unpaired">
              No label printer is paired with this tablet: pair one under Settings → This tablet's printer to
              print without a dialog. Until then, print the PDF below.
            </p>
          }
        >
          {(p) => (
            <>
              <div class="row">
                <button
                  type="button"
                  class="primary"
                  disabled={running() || props.orders().length === 0}
                  onClick={() => void print(false)}
                  data-testid="print-direct"
                >
                  {stopped() ? "Resume" : `Print ${props.orders().length} labels on ${p().name}`}
                </button>
                <Show when={running()}>
                  <button type="button" onClick={() => (keepGoing = false)} data-testid="stop-direct">
                    Stop
                  </button>
                </Show>
              </div>
              <p class="muted">
                {LABEL_STOCKS[p().profile.stock].name} · {p().profile.dpi} dpi · ZPL
              </p>
              <Show when={progress()}>
                {(pr) => (
                  <p data-testid="direct-print-progress" aria-live="polite">
                    {pr().doing}
                    <progress max={pr().total} value={pr().printed} />
                  </p>
                )}
              </Show>
              <Show when={stopped()}>
                <p class="form-error" role="alert" data-testid="direct-print-error">
                  {stopped()}
                  <Show when={failed()}> ({failed()} not printed yet)</Show>
                </p>
              </Show>
              <Show when={!running() && skipped() > 0}>
                <p data-testid="direct-print-skipped">
                  {skipped()} left out: {firstSkip()}.{" "}
                  <button
                    type="button"
                    onClick={() => {
                      const left = progress()?.skipped ?? {};
                      void print(
                        true,
                        props.orders().filter((o) => o.orderId in left),
                      );
                    }}
                    data-testid="reprint"
                  >
                    Reprint them
                  </button>
                </p>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}
