// Issue 23's scrolling figure, the part a change costs: what the Orders screen works out over every order
// when one order changes (another tablet buys a label) and the 30-s clock ticks, at N open orders (default
// 50,000): the dispatch clock (its figures and courier lines) and the stock shortfalls the rows' "no stock"
// badge reads. Today's path (the orders store keeps each order's dispatch facts and its place in the stock
// queue per changed order: ../src/lib/orders.ts) beside the path before it (every order worked out afresh,
// every order's lines sorted again), in the same run, alternating which goes first.
// Run from the repo root: node_modules/.bin/tsx apps/web/bench/orders-change.bench.ts [orders] [rounds]
import { cpus, loadavg } from "node:os";
import {
  courierClock,
  courierLines,
  DEFAULT_COURIER_HANDOVERS,
  type DispatchFacts,
  dispatchFactsOf,
  dispatchFigures,
  dispatchFiguresOf,
  holdsStock,
  type Order,
  type OrderState,
  StockQueue,
  trackedLines,
  unfillable,
  warehouseClock,
} from "@consign/domain";
import { generateOrders } from "@consign/domain/testing";

const N = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 20);
const now = Date.UTC(2026, 10, 25, 12);
const cutoffs = { team: "17:00", couriers: DEFAULT_COURIER_HANDOVERS };
const STATES: OrderState[] = ["new", "ready", "label_bought", "printed"];
const COURIERS = ["royal-mail", "evri", "dpd"] as const;

console.log(
  `${cpus().length} × ${cpus()[0]?.model}, node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
// N open orders due from yesterday to three days on, most with a service worked out; every SKU tracked, with
// enough stock for most of its orders (a few hundred orders short), as a busy seller's day.
const orders = new Map<string, Order>(
  generateOrders(N, { seed: 23, now }).map((o, i) => [
    o.orderId,
    {
      ...o,
      state: STATES[i % STATES.length]!,
      latestShipDate: now - 86_400_000 + ((i * 7_919) % (4 * 86_400_000)),
      service:
        i % 5 === 0
          ? undefined
          : { courier: COURIERS[i % COURIERS.length]!, serviceCode: "STD", source: "rule" as const },
    },
  ]),
);
const demand = new Map<string, number>();
for (const o of orders.values())
  for (const i of o.items) demand.set(i.sku, (demand.get(i.sku) ?? 0) + i.quantityOrdered);
const levels = new Map([...demand].map(([sku, n], k) => [sku, k % 10 === 0 ? n - 5 : n + 10]));
const ids = [...orders.keys()];

// Today's path: what the store holds.
const facts = new Map<string, DispatchFacts>([...orders].map(([id, o]) => [id, dispatchFactsOf(o)]));
const queue = new StockQueue();
queue.resetOrders(orders.values());

/** CPU time of one call, ms. */
const timed = (f: () => unknown): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const before = (at: number) => [
  dispatchFigures(orders.values(), warehouseClock(at), cutoffs),
  courierClock(orders.values(), at, cutoffs.couriers),
  unfillable(
    [...orders.values()].filter(holdsStock).map((o) => trackedLines(o, levels)),
    levels,
  ).length,
];
const today = (at: number, id: string) => {
  const o = orders.get(id)!;
  facts.set(id, dispatchFactsOf(o));
  queue.update(id, o);
  return [
    dispatchFiguresOf(facts.values(), warehouseClock(at), cutoffs),
    courierLines(facts.values(), at, cutoffs.couriers),
    queue.shortfalls(levels).size,
  ];
};

const times = { before: [] as number[], today: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  // Another tablet bought a label: the store holds a new object for that one order; the clock has ticked.
  const id = ids[(round * 977) % ids.length]!;
  orders.set(id, { ...orders.get(id)!, state: "label_bought" });
  const at = now + round * 30_000;
  let a: unknown;
  let b: unknown;
  if (round % 2 === 0) {
    times.before.push(timed(() => (a = before(at))));
    times.today.push(timed(() => (b = today(at, id))));
  } else {
    times.today.push(timed(() => (b = today(at, id))));
    times.before.push(timed(() => (a = before(at))));
  }
  // Same answers, or the figures mean nothing.
  if (JSON.stringify(a) !== JSON.stringify(b))
    throw new Error(`the paths read differently at round ${round}`);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
console.log(
  `${N} open orders, ${ROUNDS} changes (one order each, the clock 30 s on); ${queue.shortfalls(levels).size} orders short of stock; CPU time per change for the dispatch clock and the stock shortfalls:`,
);
console.log(
  `  before (every order worked out afresh, every order's lines sorted): median ${median(times.before).toFixed(1)} ms, max ${max(times.before).toFixed(1)} ms`,
);
console.log(
  `  today (kept per changed order):                                      median ${median(times.today).toFixed(1)} ms, max ${max(times.today).toFixed(1)} ms`,
);
