import {
  type Address,
  activeShipment,
  COURIER_NAMES,
  customsFor,
  LABEL_RUN_MAX_ORDERS,
  type LabelInputs,
  labelEligibility,
  type Order,
  plural,
  type SkuCustoms,
  splitIntoRuns,
} from "@consign/domain";
import { type CustomsFormInput, DEFAULT_PROFILE } from "@consign/labels";
import { proxy } from "comlink";
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import * as api from "../lib/api.ts";
import { CONFIRM_ON_PRINT_WORDS, confirmOnPrintSignal } from "../lib/confirm-on-print.ts";
import { devicePrinter } from "../lib/device-printer.ts";
import { readSetting } from "../lib/doc.ts";
import { markPrinted } from "../lib/edits.ts";
import { trapFocus } from "../lib/focus-trap.ts";
import { buyInRuns, emptyRunSet, runSetFailures, runSetFinished } from "../lib/label-run-set.ts";
import { download, labelsWorker, printPdf } from "../lib/labels-client.ts";
import { accessToken, session } from "../lib/session.ts";
import { checkBatch, readiness } from "../lib/views.ts";
import type { Workspace } from "../lib/workspace.ts";
import type { BulkIntent } from "../routes/Orders.tsx";
import type { PrintPart, PrintProgress } from "../workers/labels.worker.ts";
import DirectPrint from "./DirectPrint.tsx";
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
  /** The seller's SKU weights and customs data, so a row left out names the SKU and what to add. */
  const weights = (): LabelInputs => {
    const iossNumber = readSetting<string>(doc, "iossNumber");
    return {
      skuWeights: readSetting<Record<string, number>>(doc, "skuWeights") ?? {},
      packagingGrams: readSetting<number>(doc, "packagingGrams") ?? 0,
      skuCustoms: readSetting<Record<string, SkuCustoms>>(doc, "skuCustoms") ?? {},
      ...(iossNumber ? { iossNumber } : {}),
    };
  };
  const check = createMemo(() => checkBatch(orders(), weights()));
  /** The CN22/CN23 printed after the label of a parcel that leaves the domestic post. */
  const customsPage = (o: Order): { customs?: CustomsFormInput } => {
    const found = customsFor(o, weights(), o.package?.weightGrams);
    if (!found.needed || !("declaration" in found) || !o.recipient) return {};
    const courier = activeShipment(o)?.courier ?? o.service?.courier;
    return {
      customs: {
        orderId: o.orderId,
        declaration: found.declaration,
        sender: sender(),
        recipient: o.recipient,
        ...(courier ? { courierName: COURIER_NAMES[courier] } : {}),
        date: Date.now(),
      },
    };
  };
  const [step, setStep] = createSignal<Step>(
    props.intent.kind === "buy" ? "check" : props.intent.kind === "dispatch" ? "dispatching" : "printing",
  );
  const [error, setError] = createSignal<string | null>(null);
  /** The check as it stood when the labels were ordered (the live one changes as labels arrive). */
  const [checkedSentence, setCheckedSentence] = createSignal<string | null>(null);
  /** Every run this "Buy" started (a selection over LABEL_RUN_MAX_ORDERS is bought as several). */
  const [runSet, setRunSet] = createSignal(emptyRunSet());
  const [runsSent, setRunsSent] = createSignal(0);
  const [buyIds, setBuyIds] = createSignal<string[]>([]);
  /** Orders of the selection that had a label before this Buy: printed with the run, never bought again. */
  const [alreadyLabelled, setAlreadyLabelled] = createSignal<string[]>([]);
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

  const hasLabel = (o: Order) => o.shipments.some((s) => s.voidedAt === undefined);
  // Sets, not lists: every row asks these on each change, and a run has a thousand rows.
  const buying = createMemo(() => new Set(buyIds()));
  const labelledEarlier = createMemo(() => new Set(alreadyLabelled()));
  const bought = createMemo(() => orders().filter((o) => buying().has(o.orderId) && hasLabel(o)));
  const boughtSet = createMemo(() => new Set(bought()));
  const buyFailures = createMemo(() => {
    const all = runSetFailures(runSet(), store.runs());
    // A label that arrived after all (a retry by the room) is not a failure any more.
    for (const o of bought()) delete all[o.orderId];
    return all;
  });
  const buyingFinished = () =>
    buyIds().length > 0 &&
    (runSetFinished(runSet(), store.runs(), runsSent()) ||
      bought().length + Object.keys(buyFailures()).length >= buyIds().length);

  // ---- 1. buy ----
  async function buy() {
    const ids = check().ready.map((o) => o.orderId);
    if (ids.length === 0) return;
    setError(null);
    setCheckedSentence(check().sentence);
    setAlreadyLabelled(check().hasLabel.map((o) => o.orderId));
    setBuyIds(ids);
    setStep("buying");
    setRunsSent(splitIntoRuns(ids).length);
    try {
      await buyInRuns(
        ids,
        (orderIds) =>
          props.ws.outbox.submit(
            api.buyLabelsCommand(orderIds),
            `Buy ${plural(orderIds.length, "label")}`,
          ) as Promise<{ runId?: string }>,
        setRunSet,
        LABEL_RUN_MAX_ORDERS,
        splitIntoRuns,
      );
    } catch (err) {
      setError((err as Error).message);
    }
  }

  // ---- 2. print ----
  const labelledBefore = (o: Order) =>
    labelledEarlier().has(o.orderId) && hasLabel(o) && (o.state === "label_bought" || o.state === "printed");
  /** Labels bought anywhere (this run, an earlier one, the API, another tablet) print together. */
  const printable = createMemo(() =>
    props.intent.kind === "buy"
      ? orders().filter((o) => boughtSet().has(o) || labelledBefore(o))
      : orders().filter((o) => hasLabel(o) && o.state !== "cancelled"),
  );
  /** Orders whose label is in a part made so far (only these can be printed, hence dispatched). */
  const inParts = createMemo(() => new Set(parts().flatMap((p) => p.orderIds)));
  /** Printing began while labels were still being bought: parts keep being made as labels arrive. */
  const [following, setFollowing] = createSignal(false);
  /** Labels in a part from here on while following (whole parts, so each file is worth its request). */
  const FOLLOW_PART = 50;
  /**
   * Set before anything reactive changes, so the effect below (woken by those changes) never
   * starts a second job beside this one: two jobs would put the same labels in two parts.
   */
  let composing = false;
  const [composed, setComposed] = createSignal(0);
  /**
   * Fetches labels into parts: "all" starts the print file again with every label; "missing" adds
   * the labels in no part yet (those that failed included); "next" adds the labels bought since
   * the last part, keeping the failures as they stand. One job at a time.
   */
  async function composePrint(mode: "all" | "missing" | "next" = "all") {
    if (composing) return;
    composing = true;
    try {
      await composeJob(mode);
    } finally {
      composing = false;
      // Anything bought meanwhile is looked at again (the effect reads this signal).
      setComposed((n) => n + 1);
    }
  }
  async function composeJob(mode: "all" | "missing" | "next") {
    setStep("printing");
    setError(null);
    if (mode === "all") {
      setParts([]);
      setPrintedParts(new Set<number>());
    }
    const kept = mode === "next" ? (printProgress()?.errors ?? {}) : {};
    const items = printable()
      .filter((o) => mode === "all" || !inParts().has(o.orderId))
      .filter((o) => kept[o.orderId] === undefined)
      .map((o) => ({ orderId: o.orderId, order: o, ...customsPage(o) }));
    if (items.length === 0) {
      if (mode !== "next") setError("None of these orders has a label to print yet.");
      return;
    }
    const id = crypto.randomUUID();
    const before = mode === "all" ? 0 : inParts().size;
    const failedBefore = Object.keys(kept).length;
    setJobId(id);
    setPrintProgress({
      done: before + failedBefore,
      total: before + failedBefore + items.length,
      held: before,
      errors: kept,
    });
    try {
      await labelsWorker().composePrintRun(
        id,
        items,
        {
          sender: sender(),
          layout: printer().layout,
          startAt: before,
          ...(mode === "next" && before > 0 ? { first: FOLLOW_PART } : {}),
        },
        proxy(() => accessToken()),
        proxy((p: PrintProgress) =>
          setPrintProgress({
            total: before + failedBefore + p.total,
            done: before + failedBefore + p.done,
            held: before + p.held,
            errors: { ...kept, ...p.errors },
          }),
        ),
        proxy((part: PrintPart) => setParts([...parts(), part])),
      );
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setJobId(null);
    }
  }
  // While following, a part is made each time a part's worth of labels has been bought, and the
  // rest once buying is over; a label that failed waits for "Fetch the missing labels again".
  createEffect(() => {
    composed();
    if (!following() || composing || jobId() || step() !== "printing") return;
    const failed = printProgress()?.errors ?? {};
    const waiting = printable().filter(
      (o) => !inParts().has(o.orderId) && failed[o.orderId] === undefined,
    ).length;
    if (waiting >= FOLLOW_PART || (buyingFinished() && waiting > 0)) void composePrint("next");
    else if (buyingFinished()) setFollowing(false);
  });
  function cancelPrint() {
    setFollowing(false);
    const id = jobId();
    if (id) void labelsWorker().cancel(id);
  }
  function printPart(index: number) {
    const part = parts()[index];
    if (!part) return;
    printPdf(part.pdf, `Labels ${part.from + 1}–${part.from + part.count}`);
    setPrintedParts(new Set([...printedParts(), index]));
    // Already printed, or moved on: printing again is allowed, a moved-on order is left as it is.
    markPrinted(doc, part.orderIds, me());
  }
  async function downloadZpl() {
    // The courier's own labels (their PDFs as ZPL graphics; ours only where no courier document is
    // stored), for this tablet's printer profile when one is paired.
    const { labels, errors } = await labelsWorker().zplForPrinter(
      printable(),
      devicePrinter()?.profile ?? DEFAULT_PROFILE,
      sender(),
      proxy(() => accessToken()),
    );
    const zpl = labels.map((l) => l.zpl).join("");
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
  async function pickList() {
    try {
      printPdf(await labelsWorker().pickList(orders()), "Pick list");
    } catch (err) {
      setError((err as Error).message);
    }
  }
  if (props.intent.kind === "slips") void packingSlips();
  if (props.intent.kind === "pick") void pickList();

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
  // Only a printed label leaves the building: an order whose label is in no printed file is never offered.
  const dispatchable = () => orders().filter((o) => o.state === "printed" && !toldAmazon(o));
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
    if (fail && o.state === "label_bought")
      return { text: "Label bought · not in the print file", tone: "failed", error: fail };
    if (fail) return { text: "Failed", tone: "failed", error: fail };
    if (o.state === "printed") return { text: "Printed", tone: "ok" };
    if (o.state === "label_bought" && inParts().has(o.orderId))
      return { text: "Label bought · in the print file", tone: "ok" };
    if (o.state === "label_bought") return { text: "Label bought", tone: "ok" };
    if (buying().has(o.orderId))
      return offline()
        ? { text: "Buying label · waiting for the connection", tone: "busy" }
        : { text: "Buying label…", tone: "busy" };
    // Every order the check leaves out says why, on its own row.
    if (o.state === "cancelled") return { text: "Cancelled (left out)", tone: "muted" };
    if (readiness(o) === "cancel_requested")
      return { text: "Cancellation requested (left out)", tone: "muted" };
    if (o.state === "on_hold") return { text: "On hold (left out)", tone: "muted" };
    const e = labelEligibility(o, weights());
    if (!e.eligible && e.block === "missing_weight")
      return { text: "Missing weight (left out)", tone: "muted", error: e.message };
    if (!e.eligible && e.block === "missing_customs")
      return { text: "Missing customs data (left out)", tone: "muted", error: e.message };
    if (!e.eligible && e.block === "missing_address")
      return { text: "No address yet (left out)", tone: "muted", error: e.message };
    return { text: "Waiting", tone: "muted" };
  };

  // Esc always closes (a print file still being made is cancelled first).
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    if (jobId()) cancelPrint();
    props.onClose();
  };
  let panel!: HTMLElement;
  onMount(() => onCleanup(trapFocus(panel)));
  addEventListener("keydown", onKey);
  onCleanup(() => removeEventListener("keydown", onKey));

  const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 100));
  const readyCount = () => check().ready.length;

  return (
    <div class="bulk-backdrop">
      <section
        ref={panel}
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
              : props.intent.kind === "pick"
                ? "Pick list"
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
              <Show when={readyCount() > LABEL_RUN_MAX_ORDERS}>
                {" "}
                (in {splitIntoRuns(check().ready).length} runs of up to {LABEL_RUN_MAX_ORDERS})
              </Show>
            </button>
            <Show when={check().hasLabel.length > 0}>
              <button
                type="button"
                onClick={() => {
                  setAlreadyLabelled(check().hasLabel.map((o) => o.orderId));
                  void composePrint();
                }}
                data-testid="print-already-bought"
              >
                Print the {plural(check().hasLabel.length, "label")} already bought
              </button>
            </Show>
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
                <Show when={runsSent() > 1}> · in {runsSent()} runs</Show>
                <progress max={buyIds().length} value={bought().length + Object.keys(buyFailures()).length} />
              </label>
              <Show when={step() === "buying"}>
                <button
                  type="button"
                  class="primary"
                  disabled={printable().length === 0}
                  onClick={() => {
                    setFollowing(!buyingFinished());
                    void composePrint();
                  }}
                >
                  {buyingFinished()
                    ? `Print ${plural(printable().length, "label")}`
                    : `Print the ${printable().length} bought so far`}
                </button>
              </Show>
            </div>
          </Show>

          <Show when={step() === "printing" && printable().length > 0}>
            <DirectPrint ws={props.ws} orders={printable} />
          </Show>

          <Show when={printProgress()}>
            {(p) => (
              <div class="progress-block" data-testid="print-progress">
                <label>
                  Print file: {p().held} of {p().total} labels ({pct(p().held, p().total)}%)
                  <Show when={Object.keys(p().errors).length > 0}>
                    {" "}
                    · {plural(Object.keys(p().errors).length, "label")} not in it
                  </Show>
                  <progress max={p().total} value={p().held} />
                </label>
                <Show when={!jobId() && Object.keys(p().errors).length > 0}>
                  <button
                    type="button"
                    class="primary"
                    onClick={() => void composePrint("missing")}
                    data-testid="fetch-missing"
                  >
                    Fetch the {plural(Object.keys(p().errors).length, "missing label")} again
                  </button>
                </Show>
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

          <Show
            when={
              props.intent.kind !== "slips" &&
              props.intent.kind !== "pick" &&
              (step() === "printing" || step() === "dispatching")
            }
          >
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
          <Show when={props.intent.kind === "pick"}>
            <button type="button" class="primary" onClick={() => void pickList()}>
              Print the pick list for {plural(orders().length, "order")}
            </button>
          </Show>
          <Show when={props.intent.kind === "buy" && (step() === "printing" || step() === "dispatching")}>
            <div class="paperwork" data-testid="batch-paperwork">
              <button type="button" onClick={() => void pickList()}>
                Pick list for this batch
              </button>
              <button type="button" onClick={() => void packingSlips()}>
                Packing slips for this batch
              </button>
            </div>
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
