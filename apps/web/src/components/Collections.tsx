import { courierName } from "@consign/domain";
import { createMemo, createSignal, For, onMount, Show } from "solid-js";
import { getCouriers } from "../lib/api.ts";
import {
  bookCollection,
  COLLECTING_COURIERS,
  type CollectingCourier,
  type Collection,
  cancelCollection,
  collectionWords,
  listCollections,
} from "../lib/courier-day.ts";
import { roomTime } from "../lib/now.ts";
import "../styles/collections.css";

/** Today in UK time as YYYY-MM-DD (the collection's day is the warehouse's day, on the seller's clock). */
function ukToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(roomTime());
}

/**
 * Collections on the courier-day strip: book an Evri or DPD driver for a day (ready time, parcels,
 * which default to the labels waiting for that courier), see what is booked from today on, and
 * cancel one. Offers only the couriers the seller has connected; every refusal says why.
 */
export function Collections(props: { readOnly: boolean }) {
  const [collections, setCollections] = createSignal<Collection[]>([]);
  const [connected, setConnected] = createSignal<CollectingCourier[]>([]);
  const [courier, setCourier] = createSignal<CollectingCourier | null>(null);
  const [date, setDate] = createSignal(ukToday());
  const [readyAt, setReadyAt] = createSignal("10:00");
  const [parcels, setParcels] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [message, setMessage] = createSignal<string | null>(null);

  const refetch = async () => {
    try {
      setCollections((await listCollections(ukToday())).collections);
    } catch {
      // offline: the list shows what it last had
    }
  };
  onMount(() => {
    void refetch();
    void getCouriers()
      .then((all) => {
        const on = new Set(all.filter((c) => c.connected).map((c) => c.courier));
        setConnected(COLLECTING_COURIERS.filter((c) => on.has(c)));
      })
      .catch(() => setConnected([]));
  });
  const chosen = createMemo(() => {
    const c = courier();
    return c && connected().includes(c) ? c : connected()[0];
  });
  const booked = () => collections().filter((c) => c.state === "booked");

  async function book(e: Event) {
    e.preventDefault();
    const c = chosen();
    if (!c) return;
    const count = parcels().trim();
    if (count && !/^\d{1,3}$/.test(count)) {
      setError("Parcels: a whole number from 1 to 999, or leave it empty for the labels waiting.");
      return;
    }
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const made = await bookCollection({
        courier: c,
        date: date(),
        readyAt: readyAt(),
        ...(count ? { parcels: Number(count) } : {}),
      });
      setMessage(collectionWords(made, courierName));
      await refetch();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function cancel(c: Collection) {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(collectionWords(await cancelCollection(c.id), courierName));
      await refetch();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details class="collections" data-testid="collections">
      <summary>Collections{booked().length ? ` (${booked().length} booked)` : ""}</summary>
      <ul>
        <For each={booked()} fallback={<li class="muted">No collection booked from today on.</li>}>
          {(c) => (
            <li data-testid="collection-row" data-collection-id={c.id}>
              {collectionWords(c, courierName)}{" "}
              <Show when={!props.readOnly}>
                <button type="button" disabled={busy()} onClick={() => void cancel(c)}>
                  Cancel {courierName(c.courier)} collection
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={!props.readOnly}>
        <Show
          when={connected().length > 0}
          fallback={<p class="muted">Connect Evri or DPD in Settings → Couriers to book a collection.</p>}
        >
          <form class="drawer-actions" onSubmit={(e) => void book(e)} data-testid="book-collection">
            <label class="field">
              <span>Courier</span>
              <select
                value={chosen() ?? ""}
                onChange={(e) => setCourier(e.currentTarget.value as CollectingCourier)}
              >
                <For each={connected()}>{(c) => <option value={c}>{courierName(c)}</option>}</For>
              </select>
            </label>
            <label class="field">
              <span>Day</span>
              <input
                type="date"
                value={date()}
                min={ukToday()}
                onInput={(e) => setDate(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>Ready at</span>
              <input type="time" value={readyAt()} onInput={(e) => setReadyAt(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>Parcels (empty: the labels waiting)</span>
              <input
                inputMode="numeric"
                value={parcels()}
                onInput={(e) => setParcels(e.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={busy()}>
              Book {courierName(chosen() ?? "evri")} collection
            </button>
          </form>
        </Show>
      </Show>
      <Show when={message()}>
        <p role="status" data-testid="collection-message">
          {message()}
        </p>
      </Show>
      <Show when={error()}>
        <p role="alert" class="form-error" data-testid="collection-error">
          {error()}
        </p>
      </Show>
    </details>
  );
}
