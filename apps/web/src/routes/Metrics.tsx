import { AT_RISK_SHARE } from "@consign/domain";
import { type Remote, wrap } from "comlink";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { MetricTiles } from "../components/MetricTiles.tsx";
import { OfficialHealth } from "../components/OfficialHealth.tsx";
import { Section } from "../components/Section.tsx";
import { TrendChart } from "../components/TrendChart.tsx";
import { loadArchiveChecked, monthsBack } from "../lib/archive-cache.ts";
import { formatCountdown, formatDateTime, urgency } from "../lib/clock.ts";
import { roomTime } from "../lib/now.ts";
import type { Workspace } from "../lib/workspace.ts";
import { workspace } from "../lib/workspace.ts";
import type { MetricsReport, MetricsWorker } from "../workers/metrics.worker.ts";
import "../styles/metrics.css";

export default function MetricsScreen() {
  return (
    <Show when={workspace()} fallback={<p class="loading">Opening your orders…</p>}>
      {(ws) => <MetricsBoard ws={ws()} />}
    </Show>
  );
}

type ArchiveState =
  | { kind: "loading" }
  | { kind: "loaded"; count: number; since: string }
  | { kind: "missing"; months: string[] };

function MetricsBoard(props: { ws: Workspace }) {
  const raw = new Worker(new URL("../workers/metrics.worker.ts", import.meta.url), {
    type: "module",
    name: "metrics",
  });
  const worker: Remote<MetricsWorker> = wrap<MetricsWorker>(raw);
  onCleanup(() => raw.terminate());
  const [report, setReport] = createSignal<MetricsReport | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [chartKey, setChartKey] = createSignal("MFN:lateDispatchRate10");
  const [archive, setArchive] = createSignal<ArchiveState>({ kind: "loading" });

  // One report at a time; changes arriving meanwhile ask for one more (at most one every 3 s while orders stream in).
  // No report before both this device's copy and the archive are in: a rate over part of the orders
  // would be a different number from the one Amazon holds the seller to.
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const recompute = (soon = false) => {
    if (!props.ws.live.loaded() || archive().kind !== "loaded") return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    timer = setTimeout(
      async () => {
        try {
          setReport(await worker.report([...props.ws.orders.byId.values()], roomTime()));
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

  const loadArchive = async () => {
    setArchive({ kind: "loading" });
    const months = monthsBack(roomTime(), 5);
    const loaded = await loadArchiveChecked(props.ws.sellerId, months, months.at(-1)!).catch(() => ({
      orders: [],
      missing: months,
    }));
    if (loaded.missing.length > 0) {
      setArchive({ kind: "missing", months: loaded.missing });
      return;
    }
    await worker.setArchive(loaded.orders);
    setArchive({ kind: "loaded", count: loaded.orders.length, since: months[0]! });
    recompute(true);
  };
  void loadArchive();

  const shown = () => (archive().kind === "loaded" ? report() : null);
  const mfn = () => shown()?.metrics.filter((m) => m.channel === "MFN") ?? [];
  const fba = () => shown()?.metrics.filter((m) => m.channel === "AFN") ?? [];
  const optionLabel = (m: { label: string; windowDays: number; channel: string }) =>
    `${m.channel === "AFN" ? "FBA " : ""}${m.label} (${m.windowDays} days)`;
  const series = () => {
    const r = shown();
    const m = r?.metrics.find((x) => x.key === chartKey());
    if (!r || !m) return null;
    return {
      label: optionLabel(m),
      points: r.trend.map((t) => ({ at: t.at, value: t.rates[m.key] ?? null })),
      target: m.target,
      comparator: m.comparator,
    };
  };

  return (
    <div class="metrics">
      <header class="row">
        <h1>Account health</h1>
        <span class="muted" data-testid="metrics-as-of">
          {shown()
            ? `As of ${formatDateTime(shown()!.asOf)} · ${shown()!.orderCount} orders`
            : "Calculating…"}
        </span>
      </header>
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <p class="muted" data-testid="archive-note" data-archive={archive().kind}>
        {(() => {
          const a = archive();
          if (a.kind === "loading")
            return "Loading archived orders… No rate is shown until they are in: a figure from this device's orders alone would not be the one Amazon counts.";
          if (a.kind === "missing")
            return `Archived orders of ${a.months.join(", ")} could not be loaded, so no rate is shown: it would count only part of your orders.`;
          return `Includes ${a.count} archived orders from ${a.since} on.`;
        })()}
      </p>
      <Show when={archive().kind === "missing"}>
        <button type="button" onClick={() => void loadArchive()}>
          Try loading the archive again
        </button>
      </Show>
      <Show
        when={shown()}
        fallback={
          <Show when={!error() && archive().kind === "loading"}>
            <p class="loading" role="status" data-testid="metrics-working">
              Working out the figures…
            </p>
          </Show>
        }
      >
        {(r) => (
          <>
            <section aria-labelledby="m-mfn">
              <h2 id="m-mfn">Your own despatch (seller-fulfilled)</h2>
              <MetricTiles metrics={mfn()} label="Seller-fulfilled metrics" />
            </section>
            <section aria-labelledby="m-fba">
              <h2 id="m-fba">Fulfilled by Amazon (FBA)</h2>
              <p class="muted">
                Amazon reports FBA orders apart and holds you to their Order Defect Rate only; late dispatch,
                cancellations, tracking and delivery are for your own despatch.
              </p>
              <MetricTiles metrics={fba()} label="FBA metrics" />
            </section>
            <p class="muted" data-testid="at-risk-rule">
              "Breaching" is Amazon's target. "At risk" is Consign's own warning, not Amazon's: a rate within{" "}
              {Math.round((1 - AT_RISK_SHARE) * 100)}% of the allowance from the target (late dispatch from
              3%, valid tracking at or below 96.25%). Windows are whole days in UTC, as in Amazon's
              account-health report; today counts so far.
            </p>

            <Section name="Amazon's own figures">
              <OfficialHealth />
            </Section>

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
                    data-testid="trend-picker"
                    onChange={(e) => setChartKey(e.currentTarget.value)}
                  >
                    <For each={r().metrics}>
                      {(m) => (
                        <option value={m.key} selected={m.key === chartKey()}>
                          {optionLabel(m)}
                        </option>
                      )}
                    </For>
                  </select>
                </label>
              </div>
              <Show when={series()}>{(s) => <TrendChart series={s()} />}</Show>
            </section>

            <section class="card" aria-labelledby="m-risk">
              <h2 id="m-risk">Due soonest: dispatch these first</h2>
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
