import { formatPercent, type MetricId } from "@consign/domain";
import { type Remote, wrap } from "comlink";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { OfficialHealth } from "../components/OfficialHealth.tsx";
import { TrendChart } from "../components/TrendChart.tsx";
import { loadArchive, monthsBack } from "../lib/archive-cache.ts";
import { formatCountdown, formatDateTime, formatDay, urgency } from "../lib/clock.ts";
import type { Workspace } from "../lib/workspace.ts";
import { workspace } from "../lib/workspace.ts";
import type { MetricsReport, MetricsWorker } from "../workers/metrics.worker.ts";
import "../styles/metrics.css";

const STATUS_WORDS = {
  healthy: "Healthy",
  at_risk: "At risk",
  breaching: "Breaching",
  no_data: "No orders yet",
} as const;
const STATUS_ICON = { healthy: "✓", at_risk: "!", breaching: "✕", no_data: "–" } as const;

export default function MetricsScreen() {
  return (
    <Show when={workspace()} fallback={<p class="loading">Opening your orders…</p>}>
      {(ws) => <MetricsBoard ws={ws()} />}
    </Show>
  );
}

function MetricsBoard(props: { ws: Workspace }) {
  const raw = new Worker(new URL("../workers/metrics.worker.ts", import.meta.url), {
    type: "module",
    name: "metrics",
  });
  const worker: Remote<MetricsWorker> = wrap<MetricsWorker>(raw);
  onCleanup(() => raw.terminate());
  const [report, setReport] = createSignal<MetricsReport | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [chartMetric, setChartMetric] = createSignal<MetricId>("lateDispatchRate10");
  const [archiveNote, setArchiveNote] = createSignal("Loading archived orders…");

  // One report at a time; changes arriving meanwhile ask for one more (at most one every 3 s while orders stream in).
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const recompute = (soon = false) => {
    // Until the copy on this device has loaded there are no orders to count: not "No orders yet".
    if (!props.ws.live.loaded()) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    timer = setTimeout(
      async () => {
        try {
          setReport(await worker.report([...props.ws.orders.byId.values()], Date.now()));
          setError(null);
        } catch (err) {
          setError((err as Error).message);
        } finally {
          running = false;
          if (again) {
            again = false;
            recompute();
          }
        }
      },
      report() && !soon ? 3000 : 0,
    );
  };
  onCleanup(() => clearTimeout(timer));
  createEffect(on([props.ws.orders.version, props.ws.live.loaded], () => recompute()));

  void (async () => {
    const now = Date.now();
    const months = monthsBack(now, 5);
    const orders = await loadArchive(props.ws.sellerId, months, months.at(-1)!).catch(() => []);
    await worker.setArchive(orders);
    setArchiveNote(`Includes ${orders.length} archived orders from ${months[0]} on.`);
    recompute(true);
  })();

  const series = () => {
    const r = report();
    const m = r?.metrics.find((x) => x.metric === chartMetric());
    if (!r || !m) return null;
    return {
      label: `${m.label} (${m.windowDays} days)`,
      points: r.trend.map((t) => ({ at: t.at, value: t.rates[chartMetric()] ?? null })),
      target: m.target,
      comparator: m.comparator,
    };
  };

  return (
    <div class="metrics">
      <header class="row">
        <h1>Account health</h1>
        <span class="muted" data-testid="metrics-as-of">
          {report()
            ? `As of ${formatDateTime(report()!.asOf)} · ${report()!.orderCount} orders`
            : "Calculating…"}
        </span>
      </header>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <p class="muted">{archiveNote()}</p>
      <Show
        when={report()}
        fallback={
          <Show when={!error()}>
            <p class="loading" role="status" data-testid="metrics-working">
              Working out the figures…
            </p>
          </Show>
        }
      >
        {(r) => (
          <>
            <ul class="tiles" aria-label="Metrics">
              <For each={r().metrics}>
                {(m) => (
                  <li
                    class={`tile ${m.status}`}
                    data-testid="metric-tile"
                    data-metric={m.metric}
                    data-status={m.status}
                  >
                    <h2>{m.label}</h2>
                    <p class="value">{m.rate === null ? "—" : formatPercent(m.rate)}</p>
                    <p class="status-words">
                      <span aria-hidden="true">{STATUS_ICON[m.status]} </span>
                      {STATUS_WORDS[m.status]}
                    </p>
                    <p>
                      Target:{" "}
                      {m.target === null
                        ? "none set by Amazon"
                        : `${m.comparator === "below" ? "under" : "over"} ${formatPercent(m.target)}`}
                    </p>
                    <p class="muted">
                      {m.windowDays} days: {formatDay(m.from)} – {formatDay(m.to)} · {m.numerator} of{" "}
                      {m.denominator}
                    </p>
                    <p class="muted">as of {formatDateTime(r().asOf)}</p>
                  </li>
                )}
              </For>
            </ul>

            <OfficialHealth />

            <section class="card" aria-labelledby="m-headroom">
              <h2 id="m-headroom">Headroom</h2>
              <ul data-testid="headroom">
                <For each={r().headroom}>
                  {(h) => <li classList={{ breach: h.alreadyBreaching }}>{h.sentence}</li>}
                </For>
              </ul>
            </section>

            <section class="card" aria-labelledby="m-trend">
              <div class="row">
                <h2 id="m-trend">90-day trend</h2>
                <label class="field inline">
                  <span class="visually-hidden">Metric</span>
                  <select
                    aria-label="Metric shown in the trend"
                    value={chartMetric()}
                    onChange={(e) => setChartMetric(e.currentTarget.value as MetricId)}
                  >
                    <For each={r().metrics}>
                      {(m) => (
                        <option value={m.metric}>
                          {m.label} ({m.windowDays} days)
                        </option>
                      )}
                    </For>
                  </select>
                </label>
              </div>
              <Show when={series()}>{(s) => <TrendChart series={s()} />}</Show>
            </section>

            <section class="card" aria-labelledby="m-risk">
              <h2 id="m-risk">At risk: dispatch these first</h2>
              <Show when={r().atRisk.length > 0} fallback={<p class="muted">Nothing waiting to go.</p>}>
                <ol class="at-risk" data-testid="at-risk">
                  <For each={r().atRisk}>
                    {(a) => (
                      <li>
                        <span class={`c-due ${urgency(a.latestShipDate - Date.now())}`}>
                          {formatCountdown(a.latestShipDate - Date.now())}
                        </span>
                        <span class="oid">{a.orderId}</span>
                        <span class="muted">
                          ship by {formatDateTime(a.latestShipDate)} · {a.state.replace("_", " ")}
                        </span>
                      </li>
                    )}
                  </For>
                </ol>
              </Show>
            </section>
          </>
        )}
      </Show>
    </div>
  );
}
