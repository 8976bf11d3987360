import { formatPercent, noRateReason } from "@consign/domain";
import { For, Show } from "solid-js";
import type { ShownMetric } from "../workers/metrics.worker.ts";

const STATUS_WORDS = {
  healthy: "Healthy",
  at_risk: "At risk (Consign's warning)",
  breaching: "Breaching Amazon's target",
  no_data: "No orders in this window",
} as const;
const STATUS_ICON = { healthy: "✓", at_risk: "!", breaching: "✕", no_data: "–" } as const;

// Windows are whole UTC days, as Amazon's account-health report draws them ("27 Oct – 25 Nov").
const utcDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
export const formatUtcRange = (from: number, to: number) => `${utcDay.format(from)} – ${utcDay.format(to)}`;

/** One tile per metric: the rate, the range it covers beside it, the target and the counts. */
export function MetricTiles(props: { metrics: ShownMetric[]; label: string }) {
  return (
    <ul class="tiles" aria-label={props.label}>
      <For each={props.metrics}>
        {(m) => (
          <li
            class={`tile ${m.status}`}
            data-testid="metric-tile"
            data-metric={m.metric}
            data-channel={m.channel}
            data-status={m.status}
            data-numerator={m.numerator}
            data-denominator={m.denominator}
          >
            <h3>{m.label}</h3>
            <p class="value" data-testid="metric-rate">
              {m.rate === null ? "—" : formatPercent(m.rate)}
            </p>
            <p class="range" data-testid="metric-range">
              {m.windowDays} days: {formatUtcRange(m.from, m.to)}
            </p>
            <p class="status-words" data-testid="metric-status">
              <span aria-hidden="true">{STATUS_ICON[m.status]} </span>
              {m.status === "no_data" ? (noRateReason(m) ?? STATUS_WORDS.no_data) : STATUS_WORDS[m.status]}
            </p>
            <p>
              Target:{" "}
              {m.target === null
                ? "none set by Amazon"
                : `${m.comparator === "below" ? "under" : "over"} ${formatPercent(m.target)}`}
            </p>
            <p class="muted">
              {m.numerator} of {m.denominator}{" "}
              {m.metric === "validTrackingRate" || m.metric === "onTimeDeliveryRate" ? "packages" : "orders"}
            </p>
            <Show
              when={
                m.metric === "onTimeDeliveryRate" && m.denominator > 0 && (m.awaitingDeliveryData ?? 0) > 0
              }
            >
              <p class="muted" data-testid="metric-awaiting">
                {m.awaitingDeliveryData} more with no delivery report from their courier yet (not counted)
              </p>
            </Show>
            <Show when={m.parts}>
              {(p) => (
                <p class="muted">
                  {p().negativeFeedback} negative feedback · {p().claims} A-to-z claims · {p().chargebacks}{" "}
                  chargebacks
                </p>
              )}
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
