import { createResource, For, Show } from "solid-js";
import { getOfficialHealth } from "../lib/health-api.ts";
import { formatUtcRange } from "./MetricTiles.tsx";

const LABELS: Record<string, string> = {
  orderDefectRate: "Order Defect Rate",
  lateDispatchRate30: "Late Dispatch Rate (30 days)",
  preFulfilmentCancellationRate: "Pre-fulfilment Cancellation Rate",
  validTrackingRate: "Valid Tracking Rate",
  onTimeDeliveryRate: "On-Time Delivery Rate",
};
const utc = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);
const pct = (r: number | null | undefined) =>
  r === null || r === undefined ? "—" : `${(r * 100).toFixed(2)}%`;

/** Amazon's own figures (seller performance report) beside ours, with why they differ. */
export function OfficialHealth() {
  const [official] = createResource(() => getOfficialHealth().catch(() => null));
  return (
    <section class="card" aria-labelledby="m-official" data-testid="official-health">
      <h2 id="m-official">Amazon's own figures</h2>
      <Show when={official()} fallback={<p class="muted">Asking Amazon's report…</p>}>
        {(o) => (
          <>
            <p class="muted">
              {o().fetchedAt
                ? `From Amazon's seller performance report, fetched ${new Date(o().fetchedAt!).toLocaleString("en-GB")}.`
                : "Amazon has not sent its report yet: Consign asks for it every 6 hours once Amazon is connected."}
            </p>
            <p class="muted">
              Consign's figure is counted over the same days as Amazon's, up to the last day of its report, so
              what is left of a difference is data one side has and the other has not.
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col">Consign</th>
                  <th scope="col">Amazon</th>
                  <th scope="col">Why they differ</th>
                </tr>
              </thead>
              <tbody>
                <For each={o().comparisons}>
                  {(c) => (
                    <tr
                      data-testid="official-row"
                      data-metric={c.metric}
                      data-channel={c.channel}
                      data-same={String(c.same)}
                    >
                      <td>
                        {c.channel === "AFN" ? "FBA " : ""}
                        {LABELS[c.metric] ?? c.metric}
                      </td>
                      <td>
                        {pct(c.ours.rate)}
                        <br />
                        <span class="muted">
                          {c.ours.numerator} of {c.ours.denominator} ·{" "}
                          {formatUtcRange(c.ours.from, c.ours.to)}
                        </span>
                      </td>
                      <td>
                        {c.amazon ? pct(c.amazon.rate) : "not reported"}
                        <Show when={c.amazon?.from && c.amazon?.to}>
                          <br />
                          <span class="muted">
                            {c.amazon?.count ?? "?"} of {c.amazon?.total ?? "?"} ·{" "}
                            {formatUtcRange(utc(c.amazon?.from), utc(c.amazon?.to))}
                          </span>
                        </Show>
                      </td>
                      <td>{c.same ? "Same" : `≠ ${c.reasons.join(" ")}`}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}
