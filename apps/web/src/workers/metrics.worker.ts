// The metrics web worker: Amazon's account metrics (seller-fulfilled and FBA apart), their 90-day
// trend, headroom and the at-risk queue, computed with @consign/domain off the main thread.
//
// It keeps a MetricLedger (typed columns) of the archive and the live orders: the archive goes in
// once, live orders are upserted on each report, and the trend's 90 points are 90 passes over the
// columns rather than 90 walks over the order objects. It answers no figure until it has the archive:
// rates over the live orders alone would be rates over part of the data.

import {
  DAY_MS,
  type Headroom,
  METRIC_DEFINITIONS,
  MetricLedger,
  type MetricResult,
  metricHeadroom,
  metricKey,
  metricList,
  type Order,
  rankUnshipped,
} from "@consign/domain";
import { expose } from "comlink";

export interface TrendPoint {
  at: number;
  /** Keyed by metricKey ("MFN:lateDispatchRate10", "AFN:orderDefectRate"). */
  rates: Record<string, number | null>;
}
export interface AtRisk {
  orderId: string;
  latestShipDate: number;
  msLeft: number;
  overdue: boolean;
  state: string;
}
export interface ShownMetric extends MetricResult {
  key: string;
  label: string;
}
export interface MetricsReport {
  asOf: number;
  metrics: ShownMetric[];
  headroom: Headroom[];
  trend: TrendPoint[];
  atRisk: AtRisk[];
  orderCount: number;
  archivedCount: number;
}

let ledger: MetricLedger | null = null;
let archive = new Map<string, Order>();
let liveIds = new Set<string>();

const api = {
  /** Older orders (from the archive months) to count alongside the live ones. */
  setArchive(orders: Order[]): number {
    archive = new Map(orders.map((o) => [o.orderId, o]));
    ledger = MetricLedger.from(orders);
    liveIds = new Set();
    return archive.size;
  },

  /** Every figure at `now`; refuses until the archive is in (the page shows no rate meanwhile). */
  report(live: Order[], now: number, trendDays = 90): MetricsReport {
    if (ledger === null) throw new Error("The archived orders are not loaded yet: no figure is complete.");
    const current = new Set<string>();
    // Live orders win over archived copies of the same order.
    for (const o of live) {
      ledger.upsert(o);
      current.add(o.orderId);
    }
    for (const id of liveIds) {
      if (current.has(id)) continue;
      const archived = archive.get(id);
      if (archived) ledger.upsert(archived);
      else ledger.remove(id);
    }
    liveIds = current;

    const metrics = ledger.metricsAt(now);
    const trend: TrendPoint[] = [];
    for (let d = trendDays - 1; d >= 0; d--) {
      const at = now - d * DAY_MS;
      const rates: TrendPoint["rates"] = {};
      for (const r of metricList(ledger.metricsAt(at))) rates[metricKey(r)] = r.rate;
      trend.push({ at, rates });
    }
    return {
      asOf: now,
      metrics: metricList(metrics).map((r) => ({
        ...r,
        key: metricKey(r),
        label: METRIC_DEFINITIONS[r.metric].label,
      })),
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
      orderCount: ledger.size,
      archivedCount: archive.size,
    };
  },
};

export type MetricsWorker = typeof api;
expose(api);
