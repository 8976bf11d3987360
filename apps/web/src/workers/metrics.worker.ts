// The metrics web worker: Amazon's account metrics, their 90-day trend, headroom and the at-risk queue,
// computed with @consign/domain from the live document's orders plus the archive, off the main thread.

import {
  computeMetrics,
  DAY_MS,
  type Headroom,
  METRIC_DEFINITIONS,
  type MetricId,
  type MetricResult,
  metricHeadroom,
  metricList,
  type Order,
  rankUnshipped,
} from "@consign/domain";
import { expose } from "comlink";

export interface TrendPoint {
  at: number;
  rates: Partial<Record<MetricId, number | null>>;
}
export interface AtRisk {
  orderId: string;
  latestShipDate: number;
  msLeft: number;
  overdue: boolean;
  state: string;
}
export interface MetricsReport {
  asOf: number;
  metrics: (MetricResult & { label: string })[];
  headroom: Headroom[];
  trend: TrendPoint[];
  atRisk: AtRisk[];
  orderCount: number;
}

let archive: Order[] = [];

const api = {
  /** Older orders (from the archive months) to count alongside the live ones. */
  setArchive(orders: Order[]): number {
    archive = orders;
    return archive.length;
  },

  report(live: Order[], now: number, trendDays = 90): MetricsReport {
    // Live orders win over archived copies of the same order.
    const seen = new Set(live.map((o) => o.orderId));
    const all = live.concat(archive.filter((o) => !seen.has(o.orderId)));
    const metrics = computeMetrics(all, now);
    // Only orders that can fall in a window at some day of the trend are scanned per point.
    const oldest = now - (trendDays + 90) * DAY_MS;
    const recent = all.filter((o) => o.purchaseDate >= oldest || o.latestShipDate >= oldest);
    const trend: TrendPoint[] = [];
    for (let d = trendDays - 1; d >= 0; d--) {
      const at = now - d * DAY_MS;
      const m = computeMetrics(recent, at);
      const rates: TrendPoint["rates"] = {};
      for (const r of metricList(m)) rates[r.metric] = r.rate;
      trend.push({ at, rates });
    }
    return {
      asOf: now,
      metrics: metricList(metrics).map((r) => ({ ...r, label: METRIC_DEFINITIONS[r.metric].label })),
      headroom: metricHeadroom(metrics),
      trend,
      atRisk: rankUnshipped(live, now)
        .slice(0, 50)
        .map((r) => ({
          orderId: r.order.orderId,
          latestShipDate: r.order.latestShipDate,
          msLeft: r.msLeft,
          overdue: r.overdue,
          state: r.order.state,
        })),
      orderCount: all.length,
    };
  },
};

export type MetricsWorker = typeof api;
expose(api);
