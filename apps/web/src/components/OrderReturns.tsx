import {
  activeShipment,
  COURIER_NAMES,
  type CourierId,
  courierName,
  type Order,
  RETURNS_COURIERS,
} from "@consign/domain";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { getCouriers } from "../lib/api.ts";
import { createReturn, listReturns, type ReturnView, returnLabelUrl } from "../lib/returns.ts";

const RETURNS_ORDER = Object.keys(RETURNS_COURIERS) as CourierId[];

/**
 * Returns on an order's drawer: once the parcel has gone, a returns label from any courier the
 * seller has connected that makes them (Royal Mail Tracked Returns, DPD, Evri): a PDF to email the
 * buyer, or Evri's QR code they show at a ParcelShop; each with its own tracking number and linked
 * to the parcel sent. The courier that carried the parcel is offered first.
 */
export function OrderReturns(props: { order: Order; readOnly: boolean }) {
  const [returns, { refetch }] = createResource(
    () => props.order.orderId,
    async (id) => (await listReturns(id)).returns,
  );
  const [connections] = createResource(async () => {
    try {
      return await getCouriers();
    } catch {
      return null;
    }
  });
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [reason, setReason] = createSignal("");
  const [chosen, setChosen] = createSignal<CourierId | null>(null);

  /** Connected couriers that make returns, the parcel's own courier first. */
  const offered = createMemo<CourierId[]>(() => {
    const connected = new Set((connections() ?? []).filter((c) => c.connected).map((c) => c.courier));
    const sentWith = (activeShipment(props.order) ?? props.order.shipments.at(-1))?.courier;
    return RETURNS_ORDER.filter((c) => connected.has(c)).sort(
      (a, b) => Number(b === sentWith) - Number(a === sentWith),
    );
  });
  const courier = () => {
    const c = chosen();
    return c && offered().includes(c) ? c : offered()[0];
  };
  const formats = () => {
    const c = courier();
    return c ? (RETURNS_COURIERS[c]?.formats ?? ["pdf"]) : [];
  };

  async function make(format: "pdf" | "qr") {
    const c = courier();
    if (!c) return;
    setBusy(true);
    setError(null);
    try {
      const made = await createReturn(props.order.orderId, {
        courier: c,
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
                {courierName(r.courier)} return {r.trackingNumber ?? r.courierReturnId}
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
      <Show when={!props.readOnly && connections.state === "ready"}>
        <Show
          when={offered().length > 0}
          fallback={
            <p class="muted" data-testid="returns-none">
              Connect Royal Mail, DPD or Evri in Settings → Couriers to make returns labels.
            </p>
          }
        >
          <div class="drawer-actions">
            <label class="field">
              <span>Return with</span>
              <select
                value={courier() ?? ""}
                onChange={(e) => setChosen(e.currentTarget.value as CourierId)}
                data-testid="return-courier"
              >
                <For each={offered()}>
                  {(c) => (
                    <option value={c}>
                      {COURIER_NAMES[c]}: {RETURNS_COURIERS[c]?.handOver}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <label class="field">
              <span>Reason (optional)</span>
              <input value={reason()} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <button type="button" disabled={busy()} onClick={() => void make("pdf")}>
              Returns label ({COURIER_NAMES[courier() ?? "evri"]})
            </button>
            <Show when={formats().includes("qr")}>
              <button type="button" disabled={busy()} onClick={() => void make("qr")}>
                Returns QR code
              </button>
            </Show>
          </div>
        </Show>
      </Show>
      <Show when={error()}>
        <p role="alert" class="inline-error">
          {error()}
        </p>
      </Show>
    </section>
  );
}
