// Today's label runs on this seller (from the live document, whoever started them: this tablet,
// another one or the API), each with its paperwork: "Reprint labels" (every label the run has, into
// the print step as a fresh batch), its pick list and its packing slips (A4 PDFs from the edge,
// GET /api/v1/labels/runs/{runId}/pick-list.pdf and /packing-slips.pdf).

import { createSignal, For, Show } from "solid-js";
import { ApiError, getJson } from "../lib/api.ts";
import type { LabelRunProgress } from "../lib/doc.ts";
import { printPdf } from "../lib/labels-client.ts";
import { accessToken } from "../lib/session.ts";
import "../styles/recent-runs.css";

const time = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

/** A run's orders and how each went (GET /api/v1/labels/runs/{runId}). */
interface RunView {
  orders: { orderId: string; status: "queued" | "buying" | "bought" | "already_bought" | "failed" }[];
}

/** A PDF from the edge with this device's access token; refusals come back in the edge's words. */
async function edgePdf(path: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${await accessToken()}` } });
  } catch {
    throw new ApiError("network", "Can't reach Consign: check the connection and try again.", 0);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new ApiError(
      "internal",
      body?.error?.message ?? `The document could not be made (HTTP ${res.status}).`,
      res.status,
    );
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** The orders of a run that have a label now, for reprinting. */
export async function runLabelledOrders(runId: string): Promise<string[]> {
  const view = await getJson<RunView>(`/api/v1/labels/runs/${encodeURIComponent(runId)}`);
  return view.orders
    .filter((o) => o.status === "bought" || o.status === "already_bought")
    .map((o) => o.orderId);
}

export function RecentRuns(props: {
  runs: () => LabelRunProgress[];
  /** Opens the print step for these orders (the bulk panel's "print" intent). */
  onReprint: (orderIds: string[]) => void;
}) {
  const [busy, setBusy] = createSignal<string | null>(null);
  const [message, setMessage] = createSignal<string | null>(null);
  const today = () => {
    const from = new Date();
    from.setHours(0, 0, 0, 0);
    return props
      .runs()
      .filter((r) => r.startedAt >= from.getTime())
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, 20);
  };
  async function act(key: string, work: () => Promise<void>) {
    setBusy(key);
    setMessage(null);
    try {
      await work();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(null);
    }
  }
  const reprint = (run: LabelRunProgress) =>
    act(`${run.runId}:labels`, async () => {
      const ids = await runLabelledOrders(run.runId);
      if (ids.length === 0) throw new Error("This run has no label to reprint (none bought, or all voided).");
      props.onReprint(ids);
    });
  const paper = (run: LabelRunProgress, kind: "pick-list" | "packing-slips") =>
    act(`${run.runId}:${kind}`, async () => {
      const pdf = await edgePdf(`/api/v1/labels/runs/${encodeURIComponent(run.runId)}/${kind}.pdf`);
      printPdf(pdf, kind === "pick-list" ? "Pick list" : "Packing slips");
    });

  return (
    <Show when={today().length > 0}>
      <details class="recent-runs" data-testid="recent-runs">
        <summary>Label runs today ({today().length})</summary>
        <Show when={message()}>
          <p class="inline-error" role="alert">
            {message()}
          </p>
        </Show>
        <ul>
          <For each={today()}>
            {(run) => (
              <li data-testid="recent-run" data-run-id={run.runId}>
                <span>
                  {time.format(run.startedAt)} · {run.startedBy} · {run.done} of {run.total} bought
                  <Show when={run.failed > 0}> · {run.failed} failed</Show>
                  <Show when={!run.finishedAt}> · buying…</Show>
                </span>
                <button type="button" disabled={busy() !== null} onClick={() => void reprint(run)}>
                  Reprint this run
                </button>
                <button type="button" disabled={busy() !== null} onClick={() => void paper(run, "pick-list")}>
                  Pick list
                </button>
                <button
                  type="button"
                  disabled={busy() !== null}
                  onClick={() => void paper(run, "packing-slips")}
                >
                  Packing slips
                </button>
              </li>
            )}
          </For>
        </ul>
      </details>
    </Show>
  );
}
