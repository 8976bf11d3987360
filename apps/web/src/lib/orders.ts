// The live orders as the UI sees them: a Map kept in step with the document, the same orders sorted by
// dispatch deadline, a search index updated per changed order, and a version signal bumped once per Yjs
// transaction (so 50,000 orders are not re-read).
//
// A big transaction (the copy on the device loading, a first sync) is read in one pass over the document;
// small ones re-read only the orders they touched. Search texts are made in idle time after the list shows.
// The orders come from the document on the page, or from the document worker's projection (./doc-link.ts):
// an `OrderSource` either way.

import {
  countViews,
  type DispatchFacts,
  dispatchFactsOf,
  type Order,
  type Shortfall,
  StockQueue,
  tallyViews,
  type ViewId,
  type WarehouseClock,
} from "@consign/domain";
import { stockLevels } from "@consign/sync";
import { type Accessor, createSignal } from "solid-js";
import type * as Y from "yjs";
import { sameWarehouseDay } from "./clock.ts";
import { type LabelRunProgress, listRuns, MAP, observeOrders, readAllOrders, readOrder } from "./doc.ts";
import { whenIdle } from "./idle.ts";
import { SearchIndex } from "./search.ts";
import { SortedOrders } from "./sorted-orders.ts";

/** Where the store reads orders from: the live document, or a projection of it kept by the document worker. */
export interface OrderSource {
  /** Every order (one pass). */
  readAll(): Map<string, Order>;
  read(orderId: string): Order | undefined;
  /**
   * Calls back once per change (a transaction) with the orders it touched. `more`: a part of a change that
   * comes in parts (every order, from the document worker); the list shows it with the last part.
   */
  observe(onChange: (orderIds: ReadonlySet<string>, more?: boolean) => void): () => void;
}

/** The orders of a document on this page. */
export function documentOrders(doc: Y.Doc): OrderSource {
  return {
    readAll: () => readAllOrders(doc),
    read: (id) => readOrder(doc, id),
    observe: (onChange) => observeOrders(doc, (change) => onChange(change.orderIds)),
  };
}

export interface OrdersStore {
  byId: Map<string, Order>;
  /** Every order, dispatch deadline first (`byDeadline`); read it inside a tracking scope to follow changes. */
  sorted: Accessor<readonly Order[]>;
  search: SearchIndex;
  version: Accessor<number>;
  runs: Accessor<LabelRunProgress[]>;
  /**
   * Open orders that the stock on hand cannot fill (oldest orders get scarce stock first), with what
   * each is short of: flagged before anyone is tempted to cancel. Empty when no SKU has a stock level.
   */
  shortfalls: Accessor<ReadonlyMap<string, Shortfall[]>>;
  /**
   * What the dispatch clock reads of each order (none of it depends on the time), kept per changed order: the
   * clock's 30-s tick and a change to one order of 50,000 read these, not every order's eligibility again.
   * Read it inside a tracking scope to follow changes.
   */
  dispatchFacts(): Iterable<DispatchFacts>;
  /**
   * How many orders wait for Amazon to take their confirmation, how many Amazon refused, and the marketplaces
   * the orders are from: kept per changed order (the sync chip and the marketplace filter read them on every
   * change). Read inside a tracking scope to follow changes.
   */
  tally(): Readonly<OrderTally>;
  /**
   * How many orders each view holds on the warehouse day of `day`: counted in full once a day (and after a
   * bulk read), then kept by the orders each change touched (at 50,000 orders a full count is 40+ ms, and
   * a team's every print is a change). Read it inside a tracking scope of `version` to follow changes.
   */
  counts(day: WarehouseClock): Record<ViewId, number>;
  dispose(): void;
}

export interface OrderTally {
  confirmationsPending: number;
  confirmationsFailed: number;
  /** Orders per marketplace id. */
  marketplaces: ReadonlyMap<string, number>;
}

/** Adds `by` (1, or -1 for an order's old version) of `o` to `t`. */
function addToTally(
  t: { confirmationsPending: number; confirmationsFailed: number; marketplaces: Map<string, number> },
  o: Order,
  by: 1 | -1,
): void {
  if (o.confirmation.state === "pending") t.confirmationsPending += by;
  else if (o.confirmation.state === "failed") t.confirmationsFailed += by;
  const n = (t.marketplaces.get(o.marketplaceId) ?? 0) + by;
  if (n > 0) t.marketplaces.set(o.marketplaceId, n);
  else t.marketplaces.delete(o.marketplaceId);
}

/**
 * Reading the whole document in one pass costs about what reading a quarter of its orders one by one does:
 * past that share (the copy on the device loading, a first sync), one pass.
 */
const bulk = (changed: number, held: number) => changed > 200 && changed * 4 > held;
/** Past this many, sorting again beats moving each order to its place. */
const RESORT = 32;

/**
 * The orders of `source` (by default the document's own); runs and stock levels are read from `doc` (on a
 * page served by the document worker, the page's small copy of those maps: ./doc-mirror.ts).
 */
export function createOrdersStore(doc: Y.Doc, source: OrderSource = documentOrders(doc)): OrdersStore {
  const byId = new Map<string, Order>();
  const sorted = new SortedOrders();
  const search = new SearchIndex();
  const [version, setVersion] = createSignal(0);
  const [runs, setRuns] = createSignal<LabelRunProgress[]>([]);
  const facts = new Map<string, DispatchFacts>();
  const tally = { confirmationsPending: 0, confirmationsFailed: 0, marketplaces: new Map<string, number>() };
  // The open orders in the order scarce stock goes to them, kept per changed order (sorting 50,000 orders'
  // lines again on every change took longer than a frame).
  const stockQueue = new StockQueue();
  // The views' counts for one warehouse day, kept up to date per changed order (null: count in full next).
  let counted: { day: WarehouseClock; counts: Record<ViewId, number> } | null = null;

  /** Re-reads the given orders (all when none given) from one pass over the whole document. */
  function readAll(ids?: ReadonlySet<string>): void {
    const all = source.readAll();
    for (const id of ids ?? byId.keys()) {
      if (all.has(id)) continue;
      byId.delete(id);
      search.remove(id);
    }
    for (const [id, order] of all) {
      if (ids && !ids.has(id)) continue;
      byId.set(id, order);
      search.upsert(order);
    }
    facts.clear();
    tally.confirmationsPending = 0;
    tally.confirmationsFailed = 0;
    tally.marketplaces.clear();
    for (const [id, order] of byId) {
      facts.set(id, dispatchFactsOf(order));
      addToTally(tally, order, 1);
    }
    stockQueue.resetOrders(byId.values());
    sorted.reset(byId.values());
    counted = null;
  }
  /**
   * Takes one order as the source has it now (its dispatch facts, the tally and the views' counts too; its
   * place in the stock queue unless `queue` is false); returns what it was and is.
   */
  function take(id: string, queue = true): [Order | undefined, Order | undefined] {
    const before = byId.get(id);
    const order = source.read(id);
    if (order) {
      byId.set(id, order);
      search.upsert(order);
      facts.set(id, dispatchFactsOf(order));
    } else {
      byId.delete(id);
      search.remove(id);
      facts.delete(id);
    }
    if (queue) stockQueue.update(id, order);
    if (before) addToTally(tally, before, -1);
    if (order) addToTally(tally, order, 1);
    if (counted) {
      if (before) tallyViews(counted.counts, before, counted.day, -1);
      if (order) tallyViews(counted.counts, order, counted.day, 1);
    }
    return [before, order];
  }
  function refresh(ids: Iterable<string>): void {
    const changes: [Order | undefined, Order | undefined][] = [];
    for (const id of ids) changes.push(take(id));
    if (changes.length > RESORT) sorted.reset(byId.values());
    else sorted.apply(changes);
  }

  // Search texts are made a slice at a time when the page is idle; a search before then finishes them.
  let idle: (() => void) | undefined;
  const indexWhenIdle = () => {
    if (idle !== undefined || search.pending === 0) return;
    idle = whenIdle((timeLeft) => {
      idle = undefined;
      if (!search.indexSome(() => timeLeft() > 2)) indexWhenIdle();
    });
  };

  /**
   * Takes orders of a change that comes in parts, a part at a time (each in the task its part came in, the
   * views' counts too), without sorting or telling the screens: the last part does (one sort, one pass).
   */
  let staged = false;
  function stage(ids: ReadonlySet<string>): void {
    // The stock queue is lined up once at the last part (one sort, not an insertion an order).
    for (const id of ids) take(id, false);
    staged = true;
  }

  readAll();
  const stopOrders = source.observe((orderIds, more) => {
    if (more) return stage(orderIds);
    if (staged) {
      stage(orderIds);
      staged = false;
      stockQueue.resetOrders(byId.values());
      sorted.reset(byId.values());
    } else if (bulk(orderIds.size, byId.size)) readAll(orderIds);
    else refresh(orderIds);
    setVersion((v) => v + 1);
    indexWhenIdle();
  });

  const runMap = doc.getMap(MAP.runs);
  const readRuns = () => setRuns(listRuns(doc).sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0)));
  readRuns();
  runMap.observe(readRuns);
  const stock = doc.getMap(MAP.stock);
  const [stockVersion, setStockVersion] = createSignal(0);
  const stockChanged = () => setStockVersion((v) => v + 1);
  stock.observe(stockChanged);
  // Worked out when read, at most once per change of orders or stock (not on every transaction
  // whether anyone looks or not): a tracking scope that reads it still follows both versions.
  let short: { orders: number; stock: number; value: ReadonlyMap<string, Shortfall[]> } | null = null;
  const shortfalls = (): ReadonlyMap<string, Shortfall[]> => {
    const orders = version();
    const stockNow = stockVersion();
    if (short === null || short.orders !== orders || short.stock !== stockNow) {
      short = { orders, stock: stockNow, value: stockQueue.shortfalls(stockLevels(doc)) };
    }
    return short.value;
  };
  setVersion(1);
  indexWhenIdle();

  return {
    byId,
    sorted: () => {
      version();
      return sorted.all;
    },
    search,
    version,
    runs,
    shortfalls,
    dispatchFacts() {
      version();
      return facts.values();
    },
    tally() {
      version();
      return tally;
    },
    counts(day) {
      if (counted === null || !sameWarehouseDay(counted.day, day))
        counted = { day, counts: countViews(byId.values(), day) };
      return { ...counted.counts };
    },
    dispose() {
      stopOrders();
      runMap.unobserve(readRuns);
      stock.unobserve(stockChanged);
      idle?.();
    },
  };
}
