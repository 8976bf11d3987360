import { type Address, type Order, plural } from "@consign/domain";
import { proxy } from "comlink";
import { createMemo, createSignal, For, onCleanup, Show } from "solid-js";
import * as api from "../lib/api.ts";
import { CONFIRM_ON_PRINT_WORDS, confirmOnPrintSignal } from "../lib/confirm-on-print.ts";
import { applyOrderAction, readSetting } from "../lib/doc.ts";
import { download, labelsWorker, printPdf } from "../lib/labels-client.ts";
import { accessToken, session } from "../lib/session.ts";
import { checkBatch, readiness } from "../lib/views.ts";
import type { Workspace } from "../lib/workspace.ts";
import type { BulkIntent } from "../routes/Orders.tsx";
import type { PrintPart, PrintProgress } from "../workers/labels.worker.ts";
import "../styles/bulk.css";

type Step = "check" | "buying" | "printing" | "dispatching";
export interface PrinterSettings {
  layout: "4x6" | "a4-2up" | "a4-4up";
  zpl: boolean;
}
const DEFAULT_SENDER: Address = { name: "", line1: "", city: "", postcode: "", countryCode: "GB" };

/** Bulk despatch: check → buy labels (progress per run) → print (worker) → mark dispatched → confirmed on Amazon. */
export default function BulkPanel(props: {
  intent: NonNullable<BulkIntent>;
  ws: Workspace;
  onClose: () => void;
  onDone: () => void;
}) {
  const store = props.ws.orders;
  const doc = props.ws.live.doc;
  // Start (and warm) the labels worker as the panel opens, so printing is fast when labels arrive.
  if (props.intent.kind === "buy") labelsWorker();
  const orders = createMemo(() => {
    store.version();
    return props.intent.orderIds.map((id) => store.byId.get(id)).filter((o): o is Order => !!o);
  });
  const check = createMemo(() => checkBatch(orders()));
  const [step, setStep] = createSignal<Step>(
    props.intent.kind === "buy" ? "check" : props.intent.kind === "dispatch" ? "dispatching" : "printing",
  );
  const [error, setError] = createSignal<string | null>(null);
  /** The check as it stood when the labels were ordered (the live one changes as labels arrive). */
  const [checkedSentence, setCheckedSentence] = createSignal<string | null>(null);
  const [runId, setRunId] = createSignal<string | null>(null);
  const [buyIds, setBuyIds] = createSignal<string[]>([]);
  const [printProgress, setPrintProgress] = createSignal<PrintProgress | null>(null);
  const [parts, setParts] = createSignal<PrintPart[]>([]);
  const [printedParts, setPrintedParts] = createSignal<Set<number>>(new Set());
  const [jobId, setJobId] = createSignal<string | null>(null);
  const me = () => session()?.user.name ?? "me";
  const printer = () => readSetting<PrinterSettings>(doc, "printer") ?? { layout: "4x6", zpl: false };
  const sender = () => readSetting<Address>(doc, "senderAddress") ?? DEFAULT_SENDER;
  /** The owner's setting: printing a label tells Amazon the order is dispatched (on unless switched off). */
  const confirmOnPrint = confirmOnPrintSignal(doc);
  const offline = () => props.ws.live.connection() === "offline";

  const run = createMemo(() => store.runs().find((r) => r.runId === runId()));
  const hasLabel = (o: Order) => o.shipments.some((s) => s.voidedAt === undefined);
  const bought = createMemo(() => orders().filter((o) => buyIds().includes(o.orderId) && hasLabel(o)));
  const buyFailures = () => run()?.failures ?? {};
  const buyingFinished = () =>
    buyIds().length > 0 &&
    (run()?.finishedAt !== undefined ||
      bought().length + Object.keys(buyFailures()).length >= buyIds().length);

  // ---- 1. buy ----
  async function buy() {
    const ids = check().ready.map((o) => o.orderId);
    if (ids.length === 0) return;
    setError(null);
    setCheckedSentence(check().sentence);
    setBuyIds(ids);
    setStep("buying");
    try {
      const answer = (await props.ws.outbox.submit(
        api.buyLabelsCommand(ids),
        `Buy ${plural(ids.length, "label")}`,
      )) as { runId?: string };
      if (answer?.runId) setRunId(answer.runId);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  // ---- 2. print ----
  const printable = () =>
    props.intent.kind === "buy" ? bought() : orders().filter((o) => hasLabel(o) && o.state !== "cancelled");
  async function composePrint() {
    setStep("printing");
    setError(null);
    setParts([]);
    setPrintedParts(new Set<number>());
    const items = printable().map((o) => ({ orderId: o.orderId, order: o }));
    if (items.length === 0) {
      setError("None of these orders has a label to print yet.");
      return;
    }
    const id = crypto.randomUUID();
    setJobId(id);
    setPrintProgress({ done: 0, total: items.length, errors: {} });
    try {
      await labelsWorker().composePrintRun(
        id,
        items,
        { sender: sender(), layout: printer().layout },
        proxy(() => accessToken()),
        proxy((p: PrintProgress) => setPrintProgress(p)),
        proxy((part: PrintPart) => setParts([...parts(), part])),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setJobId(null);
    }
  }
  function cancelPrint() {
    const id = jobId();
    if (id) void labelsWorker().cancel(id);
  }
  function printPart(index: number) {
    const part = parts()[index];
    if (!part) return;
    printPdf(part.pdf, `Labels ${part.from + 1}–${part.from + part.count}`);
    setPrintedParts(new Set([...printedParts(), index]));
    doc.transact(() => {
      for (const id of part.orderIds) {
        try {
          applyOrderAction(doc, id, { type: "printed" }, { at: Date.now(), by: me() }, "local");
        } catch {
          // already printed, or moved on: printing again is allowed, a moved-on order is left as it is
        }
      }
    }, "local");
  }
  async function downloadZpl() {
    const { zpl, errors } = await labelsWorker().zplFor(printable(), sender());
    if (zpl) download(zpl, `labels-${new Date().toISOString().slice(0, 16)}.zpl`, "text/plain");
    const n = Object.keys(errors).length;
    if (n)
      setError(`${n} label${n === 1 ? "" : "s"} could not be written as ZPL: ${Object.values(errors)[0]}`);
  }
  async function packingSlips() {
    try {
      const pdf = await labelsWorker().packingSlips(
        orders(),
        session()?.memberships.find((m) => m.sellerId === props.ws.sellerId)?.sellerName,
      );
      printPdf(pdf, "Packing slips");
    } catch (err) {
      setError((err as Error).message);
    }
  }
  if (props.intent.kind === "print") void composePrint();
  if (props.intent.kind === "slips") void packingSlips();

  // ---- 3. dispatch ----
  /**
   * On its way to Amazon, or there already: marked dispatched, confirmed, or printed while printing tells
   * Amazon (the room sends those by itself). These are never offered to "Mark … dispatched" again.
   */
  const toldAmazon = (o: Order) =>
    o.state === "dispatched" ||
    o.state === "confirmed" ||
    o.confirmation.state === "pending" ||
    o.confirmation.state === "confirmed" ||
    (o.state === "printed" && confirmOnPrint());
  const confirmedOnAmazon = (o: Order) => o.state === "confirmed" || o.confirmation.state === "confirmed";
  const dispatchable = () =>
    orders().filter((o) => (o.state === "label_bought" || o.state === "printed") && !toldAmazon(o));
  const told = () => orders().filter(toldAmazon);
  async function dispatch() {
    const ids = dispatchable().map((o) => o.orderId);
    if (ids.length === 0) return;
    setStep("dispatching");
    setError(null);
    try {
      await props.ws.outbox.submit(api.dispatchCommand(ids), `Dispatch ${plural(ids.length, "order")}`);
      props.onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const rowStatus = (o: Order): { text: string; tone: string; error?: string } => {
    const fail = buyFailures()[o.orderId] ?? printProgress()?.errors[o.orderId];
    if (o.confirmation.state === "failed")
      return { text: "Confirmation refused", tone: "failed", error: o.confirmation.error };
    if (o.confirmation.state === "confirmed" || o.state === "confirmed")
      return { text: "Confirmed on Amazon", tone: "ok" };
    if (o.state === "dispatched") return { text: "Dispatched · confirming on Amazon", tone: "busy" };
    if (o.state === "printed" && toldAmazon(o))
      return { text: "Printed · confirming on Amazon", tone: "busy" };
    if (fail) return { text: "Failed", tone: "failed", error: fail };
    if (o.state === "printed") return { text: "Printed", tone: "ok" };
    if (o.state === "label_bought") return { text: "Label bought", tone: "ok" };
    if (buyIds().includes(o.orderId))
      return offline()
        ? { text: "Buying label · waiting for the connection", tone: "busy" }
        : { text: "Buying label…", tone: "busy" };
    // Every order the check leaves out says why, on its own row.
    if (o.state === "cancelled") return { text: "Cancelled (left out)", tone: "muted" };
    if (readiness(o) === "cancel_requested")
      return { text: "Cancellation requested (left out)", tone: "muted" };
    if (o.state === "on_hold") return { text: "On hold (left out)", tone: "muted" };
    if (!o.package?.weightGrams) return { text: "Missing weight (left out)", tone: "muted" };
    return { text: "Waiting", tone: "muted" };
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && !jobId()) props.onClose();
  };
  addEventListener("keydown", onKey);
  onCleanup(() => removeEventListener("keydown", onKey));

  const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 100));
  const readyCount = () => check().ready.length;

  return (
    <div class="bulk-backdrop">
      <section
        class="bulk"
        role="dialog"
        aria-modal="true"
        aria-labelledby="bulk-title"
        data-testid="bulk-panel"
      >
        <header class="drawer-head">
          <h2 id="bulk-title">
            {props.intent.kind === "slips"
              ? "Packing slips"
              : props.intent.kind === "dispatch"
                ? "Confirm dispatch"
                : "Buy & print"}
          </h2>
          <button type="button" onClick={() => props.onClose()} aria-label="Close" disabled={!!jobId()}>
            ✕
          </button>
        </header>

        <Show when={props.intent.kind === "buy"}>
          <p class="check" data-testid="batch-check">
            {checkedSentence() ?? check().sentence}
          </p>
        </Show>
        <Show when={props.intent.kind === "buy" || props.intent.kind === "print"}>
          <p
            class="confirm-on-print"
            data-testid="confirm-on-print-note"
            data-on={confirmOnPrint() ? "true" : "false"}
          >
            {confirmOnPrint()
              ? "Printing a label tells Amazon the order is dispatched"
              : "Printing does not tell Amazon: mark the orders dispatched below when they leave"}{" "}
            <span class="muted">
              (Settings → Dispatch: “{CONFIRM_ON_PRINT_WORDS}” is {confirmOnPrint() ? "on" : "off"}).
            </span>
          </p>
        </Show>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>

        <div class="bulk-steps">
          <Show when={step() === "check"}>
            <button
              type="button"
              class="primary"
              disabled={readyCount() === 0}
              onClick={() => void buy()}
              data-testid="buy-labels"
            >
              Buy {plural(readyCount(), "label")}
            </button>
          </Show>

          <Show when={buyIds().length > 0}>
            <div class="progress-block" data-testid="run-progress">
              <label>
                Labels bought: {bought().length} of {buyIds().length}
                <Show when={offline() && !buyingFinished()}> · waiting for the connection</Show>
                <Show when={Object.keys(buyFailures()).length}>
                  {" "}
                  · {Object.keys(buyFailures()).length} failed
                </Show>
                <progress max={buyIds().length} value={bought().length + Object.keys(buyFailures()).length} />
              </label>
              <Show when={step() === "buying"}>
                <button
                  type="button"
                  class="primary"
                  disabled={bought().length === 0}
                  onClick={() => void composePrint()}
                >
                  {buyingFinished()
                    ? `Print ${plural(bought().length, "label")}`
                    : `Print the ${bought().length} bought so far`}
                </button>
              </Show>
            </div>
          </Show>

          <Show when={printProgress()}>
            {(p) => (
              <div class="progress-block" data-testid="print-progress">
                <label>
                  Print file: {p().done} of {p().total} labels ({pct(p().done, p().total)}%)
                  <progress max={p().total} value={p().done} />
                </label>
                <Show when={jobId()}>
                  <button type="button" onClick={cancelPrint}>
                    Cancel
                  </button>
                </Show>
                <div class="parts">
                  <For each={parts()}>
                    {(part, i) => (
                      <button
                        type="button"
                        classList={{ primary: !printedParts().has(i()) }}
                        onClick={() => printPart(i())}
                        data-testid="print-part"
                      >
                        {printedParts().has(i()) ? "Print again" : "Print"} labels {part.from + 1}–
                        {part.from + part.count}
                      </button>
                    )}
                  </For>
                  <Show when={!jobId() && printable().length > 0}>
                    <button type="button" onClick={() => void downloadZpl()}>
                      Download ZPL (Zebra)
                    </button>
                  </Show>
                </div>
              </div>
            )}
          </Show>

          <Show when={props.intent.kind !== "slips" && (step() === "printing" || step() === "dispatching")}>
            <div class="progress-block">
              <Show when={dispatchable().length > 0}>
                <button
                  type="button"
                  class="primary"
                  disabled={!!jobId()}
                  onClick={() => void dispatch()}
                  data-testid="confirm-dispatch"
                >
                  Mark {plural(dispatchable().length, "order")} dispatched &amp; confirm on Amazon
                </button>
              </Show>
              <Show when={told().length > 0}>
                <span class="muted" data-testid="amazon-progress" aria-live="polite">
                  {told().filter(confirmedOnAmazon).length} of {plural(told().length, "order")} confirmed on
                  Amazon
                  <Show when={offline() && props.ws.queued().length > 0}> · waiting for the connection</Show>
                </span>
              </Show>
            </div>
          </Show>
          <Show when={props.intent.kind === "slips"}>
            <button type="button" class="primary" onClick={() => void packingSlips()}>
              Print packing slips for {plural(orders().length, "order")}
            </button>
          </Show>
        </div>

        <ul class="bulk-orders" aria-label="Orders in this batch">
          <For each={orders()}>
            {(o) => {
              const s = () => rowStatus(o);
              return (
                <li data-testid="bulk-order" data-order-id={o.orderId}>
                  <span class="oid">{o.orderId}</span>
                  <span class={`status ${s().tone}`}>{s().text}</span>
                  <Show when={s().error}>
                    <span class="inline-error">{s().error}</span>
                  </Show>
                </li>
              );
            }}
          </For>
        </ul>
      </section>
    </div>
  );
}
