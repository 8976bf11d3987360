import { createResource, For, Show } from "solid-js";
import { getOfficialHealth } from "../lib/health-api.ts";

const LABELS: Record<string, string> = {
  orderDefectRate: "Order Defect Rate",
  lateDispatchRate30: "Late Dispatch Rate (30 days)",
  preFulfilmentCancellationRate: "Pre-fulfilment Cancellation Rate",
  validTrackingRate: "Valid Tracking Rate",
  onTimeDeliveryRate: "On-Time Delivery Rate",
};
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
            <table>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col">Consign now</th>
                  <th scope="col">Amazon</th>
                  <th scope="col">Why they differ</th>
                </tr>
              </thead>
              <tbody>
                <For each={o().comparisons}>
                  {(c) => (
                    <tr data-testid="official-row" data-metric={c.metric} data-same={String(c.same)}>
                      <td>{LABELS[c.metric] ?? c.metric}</td>
                      <td>{pct(c.ours.rate)}</td>
                      <td>{c.amazon ? pct(c.amazon.rate) : "not reported"}</td>
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
