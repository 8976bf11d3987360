import { createMemo, For, Show } from "solid-js";
import { formatDay } from "../lib/clock.ts";

export interface TrendSeries {
  label: string;
  points: { at: number; value: number | null }[];
  target: number | null;
  comparator: "below" | "above" | "none";
}

const W = 720;
const H = 240;
const PAD = { l: 56, r: 96, t: 16, b: 32 };
const pct = (v: number) => `${(Math.round(v * 1000) / 10).toString()}%`;

/** A 90-day line in inline SVG: axis labels, a labelled dashed target line and the latest value in words. */
export function TrendChart(props: { series: TrendSeries }) {
  const geom = createMemo(() => {
    const pts = props.series.points;
    const values = pts.map((p) => p.value).filter((v): v is number => v !== null);
    const target = props.series.target;
    let lo = Math.min(...values, target ?? Number.POSITIVE_INFINITY);
    let hi = Math.max(...values, target ?? Number.NEGATIVE_INFINITY);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      lo = 0;
      hi = 0.05;
    }
    if (hi - lo < 0.01) {
      hi += 0.005;
      lo = Math.max(0, lo - 0.005);
    }
    const x0 = pts[0]?.at ?? 0;
    const x1 = pts.at(-1)?.at ?? 1;
    const x = (at: number) => PAD.l + ((at - x0) / Math.max(1, x1 - x0)) * (W - PAD.l - PAD.r);
    const y = (v: number) => PAD.t + (1 - (v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
    let d = "";
    let pen = false;
    for (const p of pts) {
      if (p.value === null) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`;
      pen = true;
    }
    const last = [...pts].reverse().find((p) => p.value !== null);
    const ticks = [lo, (lo + hi) / 2, hi];
    return { d, x, y, ticks, last, x0, x1, target };
  });
  const desc = () => {
    const g = geom();
    const s = props.series;
    return `${s.label} over 90 days${g.last?.value != null ? `, now ${pct(g.last.value)}` : ""}${s.target !== null ? `, target ${s.comparator === "below" ? "below" : "above"} ${pct(s.target)}` : ""}.`;
  };
  return (
    <svg class="trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={desc()} data-testid="trend-chart">
      <title>{desc()}</title>
      <For each={geom().ticks}>
        {(t) => (
          <>
            <line x1={PAD.l} x2={W - PAD.r} y1={geom().y(t)} y2={geom().y(t)} class="grid" />
            <text x={PAD.l - 6} y={geom().y(t) + 4} text-anchor="end" class="axis">
              {pct(t)}
            </text>
          </>
        )}
      </For>
      <text x={PAD.l} y={H - 8} class="axis">
        {formatDay(geom().x0)}
      </text>
      <text x={W - PAD.r} y={H - 8} text-anchor="end" class="axis">
        {formatDay(geom().x1)}
      </text>
      <Show when={geom().target !== null}>
        <line
          x1={PAD.l}
          x2={W - PAD.r}
          y1={geom().y(geom().target!)}
          y2={geom().y(geom().target!)}
          class="target"
        />
        <text x={W - PAD.r + 6} y={geom().y(geom().target!) + 4} class="axis">
          target {pct(geom().target!)}
        </text>
      </Show>
      <path d={geom().d} class="line" />
      <Show when={geom().last}>
        {(l) => (
          <>
            <circle cx={geom().x(l().at)} cy={geom().y(l().value!)} r="4" class="dot" />
            <text x={geom().x(l().at) + 8} y={geom().y(l().value!) - 8} class="value">
              now {pct(l().value!)}
            </text>
          </>
        )}
      </Show>
    </svg>
  );
}
