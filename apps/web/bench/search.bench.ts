// Issue 23's keystroke figure, the search's part: what the order screen's search runs on each keystroke
// (`SearchIndex.filter` over the view's ids in deadline order) over N generated orders (default 50,000),
// today's index beside the one before this pass (./search-before.ts) in the same run, alternating rounds.
// Each round types what test/bench/pwa.bench.ts types, then a few replaced queries (pasted, not grown).
// Run from the repo root: [PER_QUERY=1] [WALL=1] node_modules/.bin/tsx apps/web/bench/search.bench.ts [orders] [rounds]
import { cpus, loadavg } from "node:os";
import type { Order } from "@consign/domain";
import { generateOrders } from "@consign/domain/testing";
import { SearchIndex } from "../src/lib/search.ts";
import { byDeadline } from "../src/lib/views.ts";
import { SearchIndex as SearchIndexBefore } from "./search-before.ts";

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 15);
/** pwa.bench.ts's keystrokes (grown, backspaced, cleared), then queries replaced at once. */
const TYPED = ["m", "mu", "mug", "mu", "m", "", "s", "sm", "smi", "smit", "smith", "", "1", "12", "123", ""];
const REPLACED = ["blue", "sw1a", "mug blue", "026-", "jones", "zz", "e", "4"];

interface Filtering {
  upsert(o: Order): void;
  prepare(ids: readonly string[]): boolean;
  filter(ids: readonly string[], query: string): readonly string[];
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
console.log(`${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, load average ${load()}`);
const orders = generateOrders(N, { seed: 23 }).sort(byDeadline);
const ids = orders.map((o) => o.orderId);

function build(make: () => Filtering): { index: Filtering; ms: number } {
  const t0 = performance.now();
  const index = make();
  for (const o of orders) index.upsert(o);
  index.prepare(ids);
  return { index, ms: performance.now() - t0 };
}

const before = build(() => new SearchIndexBefore());
const now = build(() => new SearchIndex());
// Same answers, or the figures mean nothing.
for (const q of [...TYPED, ...REPLACED]) {
  const a = before.index.filter(ids, q);
  const b = now.index.filter(ids, q);
  if (a.length !== b.length || a.some((id, i) => id !== b[i])) throw new Error(`answers differ for "${q}"`);
}

/**
 * The process's CPU time for one call (ms): on a shared machine wall time counts other programs' turns on
 * the cores; WALL=1 times with performance.now() instead.
 */
const timed = (f: () => unknown): number => {
  if (process.env.WALL) {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  }
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
/** Lining up a new view's texts (done in idle time in the app, before the first keystroke). */
const prepared: Record<"before" | "now", number[]> = { before: [], now: [] };
const typed: Record<"before" | "now", number[]> = { before: [], now: [] };
const replaced: Record<"before" | "now", number[]> = { before: [], now: [] };
const firstLetter: Record<"before" | "now", number[]> = { before: [], now: [] };
/** Per query typed: "before" and "now" times, for PER_QUERY=1. */
const perQuery = new Map<string, Record<"before" | "now", number[]>>();
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, { index }] of (r % 2
    ? [
        ["now", now],
        ["before", before],
      ]
    : [
        ["before", before],
        ["now", now],
      ]) as ["before" | "now", { index: Filtering }][]) {
    // Each round starts from a screen just shown: the view's ids a new array (a change to the orders).
    const view = ids.slice();
    prepared[name].push(timed(() => index.prepare(view)));
    for (const q of TYPED) {
      const ms = timed(() => index.filter(view, q));
      typed[name].push(ms);
      const mine = perQuery.get(q) ?? { before: [], now: [] };
      mine[name].push(ms);
      perQuery.set(q, mine);
      if (q.length === 1) firstLetter[name].push(ms);
    }
    for (const q of REPLACED) {
      index.filter(view, "");
      const ms = timed(() => index.filter(view, q));
      replaced[name].push(ms);
      const mine = perQuery.get(`=${q}`) ?? { before: [], now: [] };
      mine[name].push(ms);
      perQuery.set(`=${q}`, mine);
    }
  }
}

const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const row = (label: string, xs: Record<"before" | "now", number[]>) =>
  console.log(
    `  ${label.padEnd(34)} now median ${q(xs.now, 0.5).toFixed(3)} / p95 ${q(xs.now, 0.95).toFixed(3)} / max ${Math.max(...xs.now).toFixed(3)} ms   before ${q(xs.before, 0.5).toFixed(3)} / ${q(xs.before, 0.95).toFixed(3)} / ${Math.max(...xs.before).toFixed(3)} ms`,
  );
console.log(
  `${N.toLocaleString()} orders (seed 23), ${ROUNDS} rounds alternating; index built + lined up: now ${now.ms.toFixed(0)} ms, before ${before.ms.toFixed(0)} ms`,
);
row("keystroke, pwa.bench's typing", typed);
row("(idle) a changed view lined up", prepared);
row("keystroke, first letter of a query", firstLetter);
row("query replaced at once", replaced);
if (process.env.PER_QUERY) for (const [query, xs] of perQuery) row(`"${query}"`, xs);
console.log(`load average at the end ${load()}`);
