// Issue 14's figure: every metric, seller-fulfilled and FBA apart, with packages, over 100,000 orders.
// Run from the repo root: node_modules/.bin/tsx packages/domain/bench/metrics.bench.ts
// (or `npm run bench metrics`). Medians of several runs over seeded data, the naive baseline in the
// same run; the machine's load average is printed with the figures.

import { loadavg } from "node:os";
import { computeMetrics } from "../src/metrics/compute.ts";
import { MetricLedger } from "../src/metrics/ledger.ts";
import type { Order, OrderPackage } from "../src/order.ts";
import { generateOrders, naiveMetrics } from "../src/testing/generate.ts";

const NOW = Date.UTC(2026, 10, 25, 12);
const HOUR = 3_600_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function runs(n: number, fn: () => unknown): number {
  fn(); // warm up
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}
const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 2)} ms`;

/**
 * The generated accounts, with every confirmed seller-fulfilled order of several lines sent in one
 * parcel per line (about 15% of them), each parcel confirmed and delivered at its own time.
 */
function withParcels(orders: Order[]): { orders: Order[]; parcels: number; afn: number } {
  let parcels = 0;
  let afn = 0;
  const out = orders.map((o) => {
    if (o.fulfilmentChannel === "AFN") afn++;
    const at = o.confirmation.confirmedAt;
    if (o.fulfilmentChannel !== "MFN" || at === undefined || o.items.length < 2) {
      if (o.fulfilmentChannel === "MFN" && at !== undefined) parcels++;
      return o;
    }
    const packages: OrderPackage[] = o.items.map((item, i) => ({
      packageReferenceId: String(i + 1),
      items: [{ orderItemId: item.orderItemId, quantity: item.quantityOrdered }],
      shipments: o.shipments,
      confirmation: { ...o.confirmation, confirmedAt: at + i * HOUR },
      ...(o.deliveredAt === undefined ? {} : { deliveredAt: o.deliveredAt + i * 6 * HOUR }),
    }));
    parcels += packages.length;
    return { ...o, packages };
  });
  return { orders: out, parcels, afn };
}

const generated = withParcels(generateOrders(100_000, { seed: 4, now: NOW }));
const { orders } = generated;
let sink = 0;
const ledger = MetricLedger.from(orders);
const build = runs(3, () => MetricLedger.from(orders));
const ledgerPass = runs(25, () => {
  const m = ledger.metricsAt(NOW);
  sink += m.mfn.lateDispatchRate10.numerator + m.afn.orderDefectRate.denominator;
});
const trend = runs(3, () => {
  for (let d = 0; d < 90; d++) sink += ledger.metricsAt(NOW - d * 86_400_000).mfn.validTrackingRate.numerator;
});
const objects = runs(9, () => {
  sink += computeMetrics(orders, NOW).mfn.onTimeDeliveryRate.numerator;
});
const naive = runs(3, () => {
  sink += naiveMetrics(orders, NOW).lateDispatchRate10.numerator;
});
const check = JSON.stringify(ledger.metricsAt(NOW)) === JSON.stringify(computeMetrics(orders, NOW));

console.log(
  `metrics over ${orders.length.toLocaleString()} orders (${generated.afn.toLocaleString()} FBA), ` +
    `${generated.parcels.toLocaleString()} confirmed seller-fulfilled parcels; load average ${loadavg()[0]!.toFixed(2)}`,
);
console.log(
  `  MetricLedger.metricsAt, every metric, both channels (median of 25): ${ms(ledgerPass)}   goal ≤ 10 ms`,
);
console.log(`  the 90-day trend (90 × metricsAt, median of 3): ${ms(trend)}`);
console.log(`  ledger built once: ${ms(build)}`);
console.log(`  one pass over the order objects (computeMetrics, median of 9): ${ms(objects)}`);
console.log(
  `  naive filter per metric with Date objects (median of 3): ${ms(naive)}   ledger is ${(naive / ledgerPass).toFixed(0)}x faster`,
);
console.log(`  ledger equals the one pass: ${check ? "yes" : "NO"}  [${sink > 0 ? "ok" : "?"}]`);
