import type { Order } from "@consign/domain";
import { createResource, createSignal, For, Show } from "solid-js";
import { createReturn, listReturns, type ReturnView, returnLabelUrl } from "../lib/returns.ts";

/**
 * Returns on an order's drawer: once the parcel has gone, a returns label from Evri (a PDF to
 * email the buyer, or a QR code they show at a ParcelShop), each with its own tracking number and
 * linked to the parcel sent.
 */
export function OrderReturns(props: { order: Order; readOnly: boolean }) {
  const [returns, { refetch }] = createResource(
    () => props.order.orderId,
    async (id) => (await listReturns(id)).returns,
  );
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [reason, setReason] = createSignal("");

  async function make(format: "pdf" | "qr") {
    setBusy(true);
    setError(null);
    try {
      const made = await createReturn(props.order.orderId, {
        format,
        ...(reason().trim() ? { reason: reason().trim() } : {}),
      });
      await refetch();
      await open(made);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  async function open(r: ReturnView) {
    try {
      window.open(await returnLabelUrl(r), "_blank", "noopener");
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section class="order-returns" aria-label="Returns" data-testid="order-returns">
      <h3>Returns</h3>
      <Show when={(returns() ?? []).length > 0}>
        <ul>
          <For each={returns()}>
            {(r) => (
              <li data-testid="return-row">
                Evri return {r.trackingNumber ?? r.courierReturnId}
                {r.reason ? ` (${r.reason})` : ""}, {new Date(r.createdAt).toLocaleString("en-GB")} by{" "}
                {r.createdBy}{" "}
                <button type="button" onClick={() => void open(r)}>
                  {r.format === "qr" ? "Show QR code" : "Open label"}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={!props.readOnly}>
        <div class="drawer-actions">
          <label class="field">
            <span>Reason (optional)</span>
            <input value={reason()} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="button" disabled={busy()} onClick={() => void make("pdf")}>
            Returns label (Evri)
          </button>
          <button type="button" disabled={busy()} onClick={() => void make("qr")}>
            Returns QR code
          </button>
        </div>
      </Show>
      <Show when={error()}>
        <p role="alert" class="inline-error">
          {error()}
        </p>
      </Show>
    </section>
  );
}
