import { createMemo, createSignal, onCleanup, Show } from "solid-js";
import * as api from "../lib/api.ts";
import { formatDateTime } from "../lib/clock.ts";
import { navigate } from "../lib/router.ts";
import { workspace } from "../lib/workspace.ts";

interface ChipState {
  tone: "ok" | "busy" | "offline" | "failed";
  text: string;
  details: string[];
}

/** Connected / offline / last import / confirmations queued — red on failure until someone deals with it. */
export function SyncChip() {
  const [open, setOpen] = createSignal(false);
  const [amazon, setAmazon] = createSignal<api.AmazonStatus | null>(null);
  // The last import from Amazon (and its error, if any) comes from the edge, checked every 5 minutes.
  const checkAmazon = () => {
    if (!workspace() || !navigator.onLine) return;
    api.getAmazonStatus().then(setAmazon, () => undefined);
  };
  checkAmazon();
  const timer = setInterval(checkAmazon, 5 * 60_000);
  onCleanup(() => clearInterval(timer));
  const state = createMemo<ChipState>(() => {
    const ws = workspace();
    if (!ws) return { tone: "offline", text: "Not connected", details: [] };
    const { confirmationsPending: pending, confirmationsFailed: failed } = ws.orders.tally();
    const conn = ws.live.connection();
    const queued = ws.queued().length;
    const lastImport = ws.live.lastSyncedAt();
    const details: string[] = [];
    details.push(
      conn === "connected"
        ? "Connected to Consign"
        : conn === "forbidden"
          ? "This account may not open this seller's orders"
          : conn === "signed-out"
            ? "Signed out: sign in again to sync"
            : conn === "refused"
              ? `The team's copy refused a change from this device (${ws.live.refusal() ?? "no reason given"}). Changes made here since are not shared: start again from the team's copy.`
              : "Offline: working on the orders held on this device",
    );
    if (lastImport) details.push(`Last sync ${formatDateTime(lastImport)}`);
    const a = amazon();
    if (a?.lastSyncAt) details.push(`Last import from Amazon ${formatDateTime(a.lastSyncAt)}`);
    if (a && !a.connected) details.push("Amazon is not connected: connect it in Settings");
    if (a?.error) details.push(`Amazon import failed: ${a.error}`);
    if (pending) details.push(`${pending} confirmation${pending === 1 ? "" : "s"} queued for Amazon`);
    if (queued) details.push(`${queued} command${queued === 1 ? "" : "s"} waiting to send`);
    if (failed) details.push(`${failed} confirmation${failed === 1 ? "" : "s"} refused by Amazon`);
    if (failed) return { tone: "failed", text: `${failed} failed`, details };
    if (a?.error) return { tone: "failed", text: "Import failed", details };
    if (conn === "forbidden" || conn === "signed-out" || conn === "refused")
      return { tone: "failed", text: "Not syncing", details };
    if (conn !== "connected")
      return { tone: "offline", text: queued ? `Offline · ${queued} queued` : "Offline", details };
    if (pending || queued) return { tone: "busy", text: `Live · ${pending + queued} queued`, details };
    return { tone: "ok", text: "Live", details };
  });
  return (
    <div class="sync-chip-wrap">
      <button
        type="button"
        class={`sync-chip ${state().tone}`}
        data-testid="sync-chip"
        data-state={state().tone}
        title={state().tone === "failed" ? state().details[0] : undefined}
        aria-expanded={open()}
        aria-label={`Sync: ${state().text}`}
        onClick={() => setOpen(!open())}
      >
        <span aria-hidden="true" class="dot" />
        {state().text}
      </button>
      <Show when={open()}>
        <div class="popover" role="dialog" aria-label="Sync details">
          <ul>
            {state().details.map((d) => (
              <li>{d}</li>
            ))}
          </ul>
          <Show when={workspace()?.live.connection() === "refused"}>
            <button
              type="button"
              data-testid="start-again"
              onClick={() => void workspace()?.live.startAgainFromTeamCopy()}
            >
              Start again from the team's copy
            </button>
          </Show>
          <Show when={state().tone === "failed"}>
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                navigate("/?view=attention");
              }}
            >
              Show orders that need attention
            </button>
          </Show>
        </div>
      </Show>
    </div>
  );
}
