// The live orders as the UI sees them: a Map kept in step with the document, a search index updated per
// changed order, and a version signal bumped once per Yjs transaction (so 50,000 orders are not re-read).

import type { Order } from "@consign/domain";
import { type Accessor, createSignal } from "solid-js";
import type * as Y from "yjs";
import { type LabelRun, ordersMap, readOrder, readRun, runsMap } from "./doc.ts";
import { SearchIndex } from "./search.ts";

export interface OrdersStore {
  byId: Map<string, Order>;
  search: SearchIndex;
  version: Accessor<number>;
  runs: Accessor<LabelRun[]>;
  dispose(): void;
}

export function createOrdersStore(doc: Y.Doc): OrdersStore {
  const byId = new Map<string, Order>();
  const search = new SearchIndex();
  const [version, setVersion] = createSignal(0);
  const [runs, setRuns] = createSignal<LabelRun[]>([]);
  const orders = ordersMap(doc);
  const runMap = runsMap(doc);

  function refresh(id: string): void {
    const order = orders.has(id) ? readOrder(orders.get(id)) : null;
    if (order) {
      byId.set(id, order);
      search.upsert(order);
    } else {
      byId.delete(id);
      search.remove(id);
    }
  }
  for (const id of orders.keys()) refresh(id);

  const onOrders = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const changed = new Set<string>();
    for (const e of events) {
      if (e.target === orders) for (const k of e.keysChanged) changed.add(k);
      else if (typeof e.path[0] === "string") changed.add(e.path[0]);
    }
    for (const id of changed) refresh(id);
    setVersion((v) => v + 1);
  };
  orders.observeDeep(onOrders);

  const readRuns = () => {
    const out: LabelRun[] = [];
    for (const [id, v] of runMap.entries()) {
      const run = readRun(id, v);
      if (run) out.push(run);
    }
    out.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
    setRuns(out);
  };
  readRuns();
  runMap.observeDeep(readRuns);
  setVersion(1);

  return {
    byId,
    search,
    version,
    runs,
    dispose() {
      orders.unobserveDeep(onOrders);
      runMap.unobserveDeep(readRuns);
    },
  };
}
