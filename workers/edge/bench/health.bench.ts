// Benchmarks for issue 10 (account health, stock, refunds). Run from the repo root:
//   node_modules/.bin/tsx workers/edge/bench/health.bench.ts [--runs=5]
// Each case runs the real code and a naive baseline on the same data in the same run, checks they
// agree, and prints the median of `runs` timings:
//   1. stock: what each SKU can still sell and which orders stock cannot fill, 5,000 open orders ×
//      2,000 SKUs (the room's stockView: reservations, availableBySku, unfillable, lowStock) against
//      a per-SKU scan of every order and a per-order rescan of the orders before it;
//   2. landing 5,000 Finances transactions (refunds, A-to-z claims, chargebacks) on their orders,
//      half in the live document (5,000 orders), half in the archive (20,000; an in-memory stand-in
//      for the room's SQLite archive), against a per-event scan of the document and the archive;
//   3. parsing a 50,000-row feedback report against building a record per row keyed by header.

import type { Order } from "@consign/domain";
import { availableBySku, lowStock, type OrderLines, reservationsOf, unfillable } from "@consign/domain";
import { createRng } from "@consign/domain/testing";
import type { Transaction } from "@consign/sp-api";
import { parseFeedbackReport } from "@consign/sp-api";
import { listOrders, readOrder, upsertOrders, writeOrder } from "@consign/sync";
import * as Y from "yjs";
import { landDefects } from "../src/health/land-defects.ts";
import { classifyTransactions, type DefectUpdate } from "../src/health/refund-sync.ts";
import { order as baseOrder } from "../test/sync-fixtures.ts";

const RUNS = Number(process.argv.find((a: string) => a.startsWith("--runs="))?.slice(7) ?? 5);
const DAY = 86_400_000;

/** Deterministic numbers (mulberry32), so every run sees the same data. */
const rng = createRng;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median of `runs` timings after one warm-up (naive baselines run once: they are slow). */
function timed<T>(fn: () => T, runs = RUNS): { ms: number; value: T } {
  let value = fn();
  if (runs <= 1) {
    const t = performance.now();
    value = fn();
    return { ms: performance.now() - t, value };
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), value };
}

const rows: { name: string; ours: number; naive: number }[] = [];
function record(name: string, ours: number, naive: number) {
  rows.push({ name, ours, naive });
  console.log(`  ${name}: ours ${ours.toFixed(1)} ms, naive ${naive.toFixed(1)} ms`);
}

function check(ok: boolean, what: string) {
  if (!ok) {
    console.error(`MISMATCH: ${what}`);
    process.exitCode = 1;
  }
}

// 1. stock ------------------------------------------------------------------------------------------
const SKUS = Array.from({ length: 2_000 }, (_, i) => `SKU-${String(i).padStart(5, "0")}`);
function stockData() {
  const r = rng(10);
  const levels = new Map<string, number>();
  for (const sku of SKUS) levels.set(sku, Math.floor(r() * 12)); // scarce: many orders go short
  const open: OrderLines[] = Array.from({ length: 5_000 }, (_, i) => ({
    orderId: `203-${String(i).padStart(7, "0")}`,
    placedAt: Date.UTC(2026, 3, 1) + Math.floor(r() * 10 * DAY),
    lines: Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({
      sku: SKUS[Math.floor(r() * SKUS.length)] as string,
      quantity: 1 + Math.floor(r() * 3),
    })),
  }));
  return { levels, open };
}

/** What the room does (stockView): reservations per SKU, then the three stock functions. */
function stockOurs(levels: Map<string, number>, open: OrderLines[]) {
  const available = availableBySku(levels, reservationsOf(open, levels));
  return { available, short: unfillable(open, levels), low: lowStock(available, new Map(), 2) };
}

/** Naive: every SKU scans every order; every order rescans the orders before it. */
function stockNaive(levels: Map<string, number>, open: OrderLines[]) {
  const available = new Map<string, number>();
  for (const sku of levels.keys()) {
    let held = 0;
    for (const o of open) for (const l of o.lines) if (l.sku === sku) held += l.quantity;
    available.set(sku, Math.max(0, (levels.get(sku) ?? 0) - held));
  }
  const sorted = [...open].sort((a, b) => a.placedAt - b.placedAt || a.orderId.localeCompare(b.orderId));
  const filled: OrderLines[] = [];
  const short: string[] = [];
  for (const o of sorted) {
    let ok = true;
    for (const sku of new Set(o.lines.map((l) => l.sku))) {
      let used = 0;
      for (const f of filled) for (const l of f.lines) if (l.sku === sku) used += l.quantity;
      const need = o.lines.filter((l) => l.sku === sku).reduce((a, l) => a + l.quantity, 0);
      if ((levels.get(sku) ?? 0) - used < need) ok = false;
    }
    if (ok) filled.push(o);
    else short.push(o.orderId);
  }
  const low = [...available].filter(([, n]) => n <= 2).length;
  return { available, short, low };
}

{
  const { levels, open } = stockData();
  const ours = timed(() => stockOurs(levels, open));
  const naive = timed(() => stockNaive(levels, open), 1);
  check(
    [...ours.value.available].every(([sku, n]) => naive.value.available.get(sku) === n),
    "stock: available per SKU",
  );
  check(
    ours.value.short.map((s) => s.orderId).join() === naive.value.short.join(),
    "stock: unfillable orders",
  );
  check(ours.value.low.length === naive.value.low, "stock: low-stock warnings");
  console.log(
    `stock: ${open.length} open orders, ${levels.size} SKUs, ${ours.value.short.length} orders short, ${ours.value.low.length} SKUs low or out`,
  );
  record("stock: available + unfillable + low (5,000 orders × 2,000 SKUs)", ours.ms, naive.ms);
}

// 2. landing refunds and claims ------------------------------------------------------------------
function makeOrder(id: string, at: number): Order {
  return { ...baseOrder(id, at), state: "confirmed" };
}
const liveIds = Array.from({ length: 5_000 }, (_, i) => `202-1${String(i).padStart(6, "0")}-0000001`);
const archivedIds = Array.from({ length: 20_000 }, (_, i) => `202-9${String(i).padStart(6, "0")}-0000001`);

function transactions(): { t: Transaction; orderId: string; at: number }[] {
  const r = rng(20);
  const kinds = [
    { transactionType: "Refund", description: "Refund for return" },
    { transactionType: "Adjustment", description: "A-to-z Guarantee Claim" },
    { transactionType: "Adjustment", description: "Chargeback Refund" },
  ];
  return Array.from({ length: 5_000 }, (_, i) => {
    const pool = i % 2 === 0 ? liveIds : archivedIds;
    const orderId = pool[Math.floor(r() * pool.length)] as string;
    const at = Date.UTC(2026, 3, 20) + i * 60_000;
    const kind = kinds[i % kinds.length] as (typeof kinds)[number];
    return {
      t: {
        ...kind,
        transactionId: `T${i}`,
        postedDate: new Date(at).toISOString(),
        totalAmount: { currencyAmount: -5, currencyCode: "GBP" },
      },
      orderId,
      at,
    };
  });
}

function world() {
  const doc = new Y.Doc();
  upsertOrders(
    doc,
    liveIds.map((id, i) => makeOrder(id, Date.UTC(2026, 3, 1) + i * 1000)),
    "import",
  );
  const stored = new Map(archivedIds.map((id, i) => [id, makeOrder(id, Date.UTC(2026, 0, 1) + i * 1000)]));
  const archive = {
    stored,
    get: (id: string) => stored.get(id),
    put: (orders: Order[]) => {
      for (const o of orders) stored.set(o.orderId, o);
    },
  };
  const room = { doc, transact: (fn: (d: Y.Doc) => void) => doc.transact(() => fn(doc)) };
  return { doc, room, archive };
}

/**
 * Naive: each event on its own, found by scanning the document's orders, then the archive's.
 * `limit` lands only the first updates (the whole batch takes minutes this way).
 */
function landNaive(w: ReturnType<typeof world>, fresh: ReturnType<typeof transactions>, limit = Infinity) {
  const archivedList = [...w.archive.stored.values()];
  const { refunds, defects } = classifyTransactions(fresh);
  const updates: DefectUpdate[] = [
    ...refunds.map((x) => ({ orderId: x.orderId, defects: { refundedAt: x.refundedAt } })),
    ...defects,
  ].slice(0, limit);
  for (const u of updates) {
    const live = listOrders(w.doc).find((o) => o.orderId === u.orderId);
    if (live) {
      w.doc.transact(() =>
        writeOrder(w.doc, { orderId: u.orderId, defects: { ...(live.defects ?? {}), ...u.defects } }),
      );
      continue;
    }
    const i = archivedList.findIndex((o) => o.orderId === u.orderId);
    const old = archivedList[i];
    if (old) {
      archivedList[i] = { ...old, defects: { ...(old.defects ?? {}), ...u.defects } };
      w.archive.put([archivedList[i] as Order]);
    }
  }
}

function landOurs(w: ReturnType<typeof world>, fresh: ReturnType<typeof transactions>) {
  const { refunds, defects } = classifyTransactions(fresh);
  // The room's two callbacks: refunds, then claims and chargebacks.
  landDefects(
    w,
    refunds.map((x) => ({ orderId: x.orderId, defects: { refundedAt: x.refundedAt } })),
    Date.now(),
  );
  return landDefects(w, defects, Date.now());
}

{
  const fresh = transactions();
  const updates = (() => {
    const c = classifyTransactions(fresh);
    return c.refunds.length + c.defects.length;
  })();
  // Each timed run lands on a fresh copy of the world (built outside the timing).
  const time = (land: (w: ReturnType<typeof world>) => unknown, runs: number) => {
    const times: number[] = [];
    let last: ReturnType<typeof world> | undefined;
    for (let i = 0; i <= runs; i++) {
      const w = world();
      const t = performance.now();
      land(w);
      if (i > 0) times.push(performance.now() - t);
      last = w;
    }
    return { ms: median(times), w: last as ReturnType<typeof world> };
  };
  const ours = time((w) => landOurs(w, fresh), RUNS);
  // The naive way lands SAMPLE updates; its figure is scaled to the whole batch (it is linear:
  // every update costs one scan of the same document and archive).
  const SAMPLE = 250;
  const naiveSample = time((w) => landNaive(w, fresh, SAMPLE), 1);
  const naiveMs = (naiveSample.ms * updates) / SAMPLE;
  // Agreement: the whole batch the naive way once, only for the check (not timed).
  const check1 = world();
  const check2 = world();
  landOurs(check1, fresh);
  landNaiveFast(check2, fresh);
  const sample = [...new Set(fresh.map((f) => f.orderId))];
  const defectsOf = (w: ReturnType<typeof world>, id: string) =>
    JSON.stringify(readOrder(w.doc, id)?.defects ?? w.archive.get(id)?.defects ?? null);
  check(
    sample.every((id) => defectsOf(check1, id) === defectsOf(check2, id)),
    "landing: defects on every order",
  );
  console.log(
    `landing: ${fresh.length} transactions → ${updates} updates on ${sample.length} orders (${liveIds.length} live, ${archivedIds.length} archived); naive timed on ${SAMPLE} updates and scaled ×${(updates / SAMPLE).toFixed(1)}`,
  );
  record("land 5,000 refunds/claims/chargebacks (live doc + archive)", ours.ms, naiveMs);
}

/** The naive semantics (one update at a time) with lookups by id: only to check agreement. */
function landNaiveFast(w: ReturnType<typeof world>, fresh: ReturnType<typeof transactions>) {
  const { refunds, defects } = classifyTransactions(fresh);
  for (const u of [
    ...refunds.map((x) => ({ orderId: x.orderId, defects: { refundedAt: x.refundedAt } })),
    ...defects,
  ]) {
    const live = readOrder(w.doc, u.orderId);
    if (live) writeOrder(w.doc, { orderId: u.orderId, defects: { ...(live.defects ?? {}), ...u.defects } });
    else {
      const old = w.archive.get(u.orderId);
      if (old) w.archive.put([{ ...old, defects: { ...(old.defects ?? {}), ...u.defects } }]);
    }
  }
}

// 3. feedback report -------------------------------------------------------------------------------
function feedbackReport(n: number): string {
  const r = rng(30);
  const lines = ["Date\tRating\tComments\tResponse\tOrder ID\tRater Email"];
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 300) * DAY);
    const date = `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${String(d.getUTCFullYear()).slice(2)}`;
    lines.push(
      `${date}\t${1 + Math.floor(r() * 5)}\tArrived on time, well packed ${i}\t\t202-${String(i).padStart(7, "0")}-0000001\tbuyer${i}@marketplace.amazon.co.uk`,
    );
  }
  return lines.join("\n");
}

function feedbackNaive(text: string) {
  const [head, ...body] = text.split("\n");
  const header = (head ?? "").split("\t");
  return body
    .map((line) => Object.fromEntries(line.split("\t").map((v, i) => [header[i] ?? `c${i}`, v])))
    .map((rec) => {
      const [dd, mm, yy] = String(rec.Date).split("/");
      return {
        orderId: String(rec["Order ID"]),
        rating: Number(rec.Rating),
        at: new Date(
          `20${yy}-${String(mm).padStart(2, "0")}-${String(dd).padStart(2, "0")}T00:00:00Z`,
        ).getTime(),
        comment: String(rec.Comments),
      };
    });
}

{
  const text = feedbackReport(50_000);
  const ours = timed(() => parseFeedbackReport(text));
  const naive = timed(() => feedbackNaive(text), 3);
  check(
    ours.value.length === naive.value.length &&
      ours.value.every((f, i) => f.at === naive.value[i]?.at && f.orderId === naive.value[i]?.orderId),
    "feedback: rows",
  );
  console.log(`feedback report: ${ours.value.length} rows, ${(text.length / 1e6).toFixed(1)} MB`);
  record("parse feedback report (50,000 rows)", ours.ms, naive.ms);
}

console.log(`\n# issue 10 benchmarks (node ${process.version}, median of ${RUNS} runs)\n`);
console.log("| case | ours (ms) | naive (ms) | naive ÷ ours |");
console.log("|---|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.ours.toFixed(1)} | ${r.naive.toFixed(1)} | ${(r.naive / r.ours).toFixed(1)}× |`,
  );
}
