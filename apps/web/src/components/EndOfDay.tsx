import { createSignal, onMount, Show } from "solid-js";
import type * as Y from "yjs";
import { manifestPdf } from "../lib/api.ts";
import { formatTime } from "../lib/clock.ts";
import {
  closeDay,
  courierDaySignal,
  listManifests,
  type Manifest,
  manifestWords,
  retryManifest,
} from "../lib/courier-day.ts";
import { printPdf } from "../lib/labels-client.ts";
import { Collections } from "./Collections.tsx";

/**
 * "Close the day": every Royal Mail label bought since the last manifest goes on one Click & Drop
 * manifest, whose PDF prints for the driver. Manifested labels can no longer be voided (the order
 * says which manifest). Shows the owner's automatic close time and the last manifest.
 */
export function EndOfDay(props: { doc: Y.Doc; readOnly: boolean }) {
  const settings = courierDaySignal(props.doc);
  // Not a resource: the orders screen must never wait on the network (it opens offline from the
  // device's copy); the last manifest shows once the edge answers, and nothing if it cannot.
  const [manifests, setManifests] = createSignal<Manifest[]>();
  const refetch = async () => {
    try {
      setManifests((await listManifests()).manifests);
    } catch {
      // offline or the edge is away: the button still works and says why if pressed
    }
  };
  onMount(() => void refetch());
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const last = (): Manifest | undefined => manifests()?.[0];
  const time = (iso: string) => formatTime(Date.parse(iso));

  async function print(m: Manifest) {
    setError(null);
    try {
      printPdf(new Uint8Array(await manifestPdf(m.id)), `Royal Mail manifest ${m.manifestNumber}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function run(action: () => Promise<Manifest>) {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const m = await action();
      setMessage(manifestWords(m, time));
      await refetch();
      if (m.documentReady) await print(m);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="end-of-day" data-testid="end-of-day">
      <Show when={!props.readOnly}>
        <button
          type="button"
          data-testid="close-day"
          disabled={busy()}
          onClick={() => {
            if (confirm("Close the day with Royal Mail? Labels on the manifest can no longer be voided.")) {
              void run(closeDay);
            }
          }}
        >
          {busy() ? "Closing…" : "Close the day"}
        </button>
      </Show>
      <span class="muted" data-testid="auto-close">
        {settings().autoCloseAt
          ? ` Royal Mail manifest closes by itself at ${settings().autoCloseAt}.`
          : " No automatic close (Settings → End of day)."}
      </span>
      <Show when={last()}>
        {(m) => (
          <span data-testid="last-manifest">
            {" "}
            {message() ?? manifestWords(m(), time)}{" "}
            <Show when={m().documentReady}>
              <button type="button" data-testid="print-manifest" onClick={() => void print(m())}>
                Print manifest
              </button>
            </Show>
            <Show when={!props.readOnly && (m().state === "failed" || m().state === "uncertain")}>
              <button type="button" onClick={() => void run(() => retryManifest(m().id))}>
                Retry
              </button>
            </Show>
          </span>
        )}
      </Show>
      <Show when={error()}>
        <span role="alert" class="form-error" data-testid="close-day-error">
          {error()}
        </span>
      </Show>
      <Collections readOnly={props.readOnly} />
    </div>
  );
}
