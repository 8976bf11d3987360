import {
  type AzClaim,
  type ClaimOutcome,
  cancellationRequestReason,
  claimCountsAsDefect,
  historySentence,
  historyWho,
  type Order,
  openCancellationRequest,
  type ShipmentManifest,
  serviceName,
} from "@consign/domain";
import { createEffect, createMemo, For, on, onCleanup, onMount, Show } from "solid-js";
import { formatCountdown, formatDateTime, sentLateness, urgency } from "../lib/clock.ts";
import { WORK_FIELD_RULES } from "../lib/doc.ts";
import {
  canHold,
  holdOrder,
  recordNoteEdit,
  releaseOrder,
  saveService,
  savePackage as storePackage,
} from "../lib/edits.ts";
import { now } from "../lib/now.ts";
import type { Peer } from "../lib/presence.ts";
import { bindText, type TextBinding } from "../lib/text-binding.ts";
import { STATE_TEXT } from "../lib/views.ts";
import type { Workspace } from "../lib/workspace.ts";
import { AddressSection } from "./AddressSection.tsx";
import { DeliveryStatus } from "./DeliveryStatus.tsx";
import { OrderReturns } from "./OrderReturns.tsx";
import { ParcelSplit } from "./ParcelSplit.tsx";
import { ServicePicker } from "./ServicePicker.tsx";

export interface DrawerActions {
  buyAndPrint(ids: string[]): void;
  dispatch(ids: string[]): void;
  voidLabel(id: string): void;
  printLabels(ids: string[]): void;
  /** Cancels the order on Amazon as the buyer asked (order acknowledgement feed). */
  acceptCancellation(id: string): void;
  /** Keeps the order despite the buyer's request: it has already left. */
  keepOrder(id: string): void;
}

/** One order in a side drawer: items, address, history, notes, package, chosen service and who else is here. */
export function OrderDrawer(props: {
  order: Order;
  ws: Workspace;
  me: string;
  peers: Peer[];
  actions: DrawerActions;
  readOnly: boolean;
  onClose: () => void;
}) {
  let closeButton!: HTMLButtonElement;
  let notesArea!: HTMLTextAreaElement;
  onMount(() => closeButton.focus());
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") props.onClose();
  };
  addEventListener("keydown", onKey);
  onCleanup(() => removeEventListener("keydown", onKey));

  const doc = () => props.ws.live.doc;
  // The notes box is bound to the order's collaborative text: colleagues' typing shows live with
  // the caret kept, and only what this person types is written (see lib/text-binding.ts).
  let notesBinding: TextBinding | null = null;
  // Bound again only when the drawer shows another order or the app swaps its document (a memo:
  // `props.order` is a new object on every change to the document).
  const orderId = createMemo(() => props.order.orderId);
  createEffect(
    on([orderId, doc], ([orderId, d]) => {
      notesBinding?.destroy();
      notesBinding = bindText({
        doc: d,
        orderId,
        field: "notes",
        area: notesArea,
        focused: () => document.activeElement === notesArea,
      });
    }),
  );
  onCleanup(() => notesBinding?.destroy());
  const savePackage = (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const n = (k: string) => {
      const v = Number(f.get(k));
      return Number.isFinite(v) && v > 0 ? v : undefined;
    };
    const weightGrams = n("weight");
    if (!weightGrams) return;
    storePackage(doc(), props.order, props.me, {
      weightGrams,
      ...(n("length") ? { lengthMm: n("length") } : {}),
      ...(n("width") ? { widthMm: n("width") } : {}),
      ...(n("height") ? { heightMm: n("height") } : {}),
    });
  };
  const o = () => props.order;
  const left = () => o().latestShipDate - now();
  const sent = () => sentLateness(o());
  const asked = () => openCancellationRequest(o());
  const reason = () => cancellationRequestReason(o());

  return (
    <aside
      class="drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby="drawer-title"
      data-testid="order-drawer"
    >
      <header class="drawer-head">
        <h2 id="drawer-title">Order {o().orderId}</h2>
        <button type="button" ref={closeButton} onClick={() => props.onClose()} aria-label="Close order">
          ✕
        </button>
      </header>
      <p class="drawer-status">
        <span class={`c-state s-${o().state}`}>
          <span aria-hidden="true">{STATE_TEXT[o().state].icon}</span> {STATE_TEXT[o().state].text}
        </span>
        {" · "}
        <Show
          when={sent()}
          fallback={
            <span class={`c-due ${o().state === "cancelled" ? "" : urgency(left())}`}>
              Ship by {formatDateTime(o().latestShipDate)}
              {o().state === "cancelled" ? "" : ` (${formatCountdown(left())})`}
            </span>
          }
        >
          {(s) => (
            <span class={`c-due ${s().late ? "late" : "ok"}`} data-testid="sent-lateness">
              Ship by {formatDateTime(o().latestShipDate)}, {s().text}
            </span>
          )}
        </Show>
        <Show when={o().isPrime}>
          <span class="badge prime">Prime</span>
        </Show>
      </p>
      <Show when={props.peers.length > 0}>
        <p class="presence-note" data-testid="drawer-presence">
          Also open by {props.peers.map((p) => `${p.user.name} (${p.user.role})`).join(", ")}
        </p>
      </Show>
      <Show when={o().confirmation.state === "failed"}>
        <p class="form-error" role="alert">
          Amazon refused the dispatch confirmation: {o().confirmation.error ?? "no reason given"}
        </p>
      </Show>

      <Show when={asked()}>
        <div class="cancel-request" role="alert" data-testid="cancel-request">
          <p>
            <strong>The buyer asked to cancel</strong>
            {reason() ? `: “${reason()}”` : " (no reason given)"}. Accepting before you ship keeps it out of
            your cancellation rate.
          </p>
          <Show when={!props.readOnly}>
            <div class="drawer-actions">
              <button
                type="button"
                class="primary"
                data-testid="accept-cancellation"
                onClick={() => props.actions.acceptCancellation(o().orderId)}
              >
                Accept cancellation
              </button>
              <button
                type="button"
                data-testid="keep-order"
                onClick={() => props.actions.keepOrder(o().orderId)}
              >
                Already shipped
              </button>
            </div>
          </Show>
        </div>
      </Show>

      <Show when={!props.readOnly}>
        <div class="drawer-actions">
          <Show when={(o().state === "new" || o().state === "ready") && !asked()}>
            <button type="button" class="primary" onClick={() => props.actions.buyAndPrint([o().orderId])}>
              Buy &amp; print
            </button>
          </Show>
          <Show when={o().state === "label_bought" || o().state === "printed"}>
            <button type="button" onClick={() => props.actions.printLabels([o().orderId])}>
              Print label
            </button>
            <button type="button" class="primary" onClick={() => props.actions.dispatch([o().orderId])}>
              Confirm dispatch
            </button>
            <Show
              when={manifestOf(o())}
              fallback={
                <button type="button" onClick={() => props.actions.voidLabel(o().orderId)}>
                  Void label
                </button>
              }
            >
              {(m) => (
                <span class="muted" data-testid="manifested-note">
                  On Royal Mail manifest {m().number}: handed over, so the label can no longer be voided.
                </span>
              )}
            </Show>
          </Show>
          <Show when={canHold(o())}>
            <button type="button" onClick={() => holdOrder(doc(), o(), props.me)}>
              Hold
            </button>
          </Show>
          <Show when={o().state === "on_hold"}>
            <button type="button" onClick={() => releaseOrder(doc(), o(), props.me)}>
              Release hold
            </button>
          </Show>
        </div>
      </Show>

      <Show when={o().state === "dispatched" || o().state === "confirmed"}>
        <OrderReturns order={o()} readOnly={!!props.readOnly} />
      </Show>

      <Show when={props.ws.orders.shortfalls().get(o().orderId)}>
        {(short) => (
          <p role="note" class="inline-error" data-testid="order-unfillable">
            Stock on hand cannot fill this order:{" "}
            {short()
              .map((s) => `${s.sku} needs ${s.needed}, ${s.available} left after older orders`)
              .join("; ")}
            . Find the stock or contact the buyer before cancelling: a cancellation counts against the
            account.
          </p>
        )}
      </Show>

      <Show when={defectWords(o().defects).length > 0}>
        <p role="note" class="inline-error" data-testid="order-defects">
          Counts against the account: {defectWords(o().defects).join(", ")}.
        </p>
      </Show>

      <section aria-labelledby="d-items">
        <h3 id="d-items">Items</h3>
        <ul class="items">
          <For each={o().items}>
            {(i) => (
              <li>
                <strong>{i.quantityOrdered} ×</strong> {i.title}
                <span class="muted">
                  {" "}
                  SKU {i.sku} · ASIN {i.asin}
                </span>
                <Show when={i.cancellationRequested && o().state !== "cancelled"}>
                  <span class="badge danger">buyer asked to cancel</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </section>

      <AddressSection order={o()} readOnly={!!props.readOnly} />

      <section aria-labelledby="d-package">
        <h3 id="d-package">Package</h3>
        <form class="package-form" onSubmit={savePackage} aria-label="Package weight and size">
          <label class="field small">
            <span>Weight (g)</span>
            <input
              name="weight"
              type="number"
              min="1"
              inputmode="numeric"
              value={o().package?.weightGrams ?? ""}
              disabled={props.readOnly}
            />
          </label>
          <label class="field small">
            <span>Length (mm)</span>
            <input
              name="length"
              type="number"
              min="1"
              inputmode="numeric"
              value={o().package?.lengthMm ?? ""}
              disabled={props.readOnly}
            />
          </label>
          <label class="field small">
            <span>Width (mm)</span>
            <input
              name="width"
              type="number"
              min="1"
              inputmode="numeric"
              value={o().package?.widthMm ?? ""}
              disabled={props.readOnly}
            />
          </label>
          <label class="field small">
            <span>Height (mm)</span>
            <input
              name="height"
              type="number"
              min="1"
              inputmode="numeric"
              value={o().package?.heightMm ?? ""}
              disabled={props.readOnly}
            />
          </label>
          <Show when={!props.readOnly}>
            <button type="submit">Save package</button>
          </Show>
        </form>
      </section>

      <section aria-labelledby="d-service">
        <h3 id="d-service">Service</h3>
        <Show
          when={o().service}
          fallback={<p class="muted">No shipping rule has chosen a service yet ({o().shipServiceLevel}).</p>}
        >
          {(s) => (
            <p data-testid="chosen-service">
              <strong>{serviceName(s().courier, s().serviceCode)}</strong>
              {s().format ? ` · ${s().format}` : ""}
              <br />
              <span class="muted">
                {s().reason ?? (s().ruleId ? `Chosen by rule ${s().ruleId}` : "Chosen by hand")}
              </span>
            </p>
          )}
        </Show>
        <ServicePicker
          order={o()}
          readOnly={props.readOnly}
          onChange={(service) => saveService(doc(), props.order, props.me, service)}
        />
        <For each={o().shipments}>
          {(s) => (
            <p class={s.voidedAt ? "muted strike" : ""}>
              {serviceName(s.courier, s.serviceCode)}, tracking {s.trackingNumber}
              {s.voidedAt ? " (voided)" : ""}
              {s.manifest ? ` (manifest ${s.manifest.number})` : ""}
            </p>
          )}
        </For>
        <ParcelSplit order={o()} readOnly={!!props.readOnly} />
        <DeliveryStatus order={o()} />
      </section>

      <section aria-labelledby="d-notes">
        <h3 id="d-notes">Notes</h3>
        <textarea
          ref={notesArea}
          aria-labelledby="d-notes"
          data-testid="order-notes"
          rows="3"
          maxLength={WORK_FIELD_RULES.notes.maxChars}
          disabled={props.readOnly}
          onInput={() => notesBinding?.input()}
          onBlur={() => {
            if (notesBinding?.takeEdited()) recordNoteEdit(doc(), o(), props.me);
          }}
        />
      </section>

      <section aria-labelledby="d-history">
        <h3 id="d-history">History</h3>
        <ol class="history">
          <li>{formatDateTime(o().purchaseDate)}: ordered on Amazon</li>
          <Show when={o().buyerCancellationRequested || o().items.some((i) => i.cancellationRequested)}>
            <li>The buyer asked to cancel{reason() ? `: “${reason()}”` : ""}</li>
          </Show>
          <For each={o().history ?? []}>
            {(h) => (
              <li>
                {formatDateTime(h.at)}: {historySentence(h)}
                {historyWho(h) ? ` (${historyWho(h)})` : ""}
              </li>
            )}
          </For>
        </ol>
      </section>
    </aside>
  );
}

const CLAIM_ENDED: Record<ClaimOutcome, string> = {
  open: "A-to-z claim (open: counts as a defect)",
  granted: "A-to-z claim (granted to the buyer: a defect)",
  denied: "A-to-z claim (denied, not a defect)",
  withdrawn: "A-to-z claim (withdrawn by the buyer, not a defect)",
  amazon_funded: "A-to-z claim (funded by Amazon, not a defect)",
};

/** An A-to-z claim and whether it counts against the Order Defect Rate, in words. */
function claimWords(claim: AzClaim): string {
  if (claim.outcome) return CLAIM_ENDED[claim.outcome];
  return claimCountsAsDefect(claim) ? "A-to-z claim" : CLAIM_ENDED.denied;
}

/** What Amazon holds against this order (negative feedback, claims, chargebacks, refunds), in words. */
function defectWords(d: Order["defects"]): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (d.negativeFeedbackAt !== undefined) out.push("negative feedback");
  if (d.azClaim) out.push(claimWords(d.azClaim));
  if (d.chargebackAt !== undefined) out.push("chargeback");
  if (d.refundedAt !== undefined) out.push("refunded");
  return out;
}

/** The manifest the order's active label went on, if any. */
function manifestOf(order: Order): ShipmentManifest | undefined {
  return order.shipments.findLast((s) => !s.voidedAt)?.manifest;
}
