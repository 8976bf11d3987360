// The live orders as the UI sees them: a Map kept in step with the document, a search index updated per
// changed order, and a version signal bumped once per Yjs transaction (so 50,000 orders are not re-read).

import type { Order } from "@consign/domain";
import { type Accessor, createSignal } from "solid-js";
import type * as Y from "yjs";
import { type LabelRunProgress, listRuns, MAP, observeOrders, readOrder } from "./doc.ts";
import { SearchIndex } from "./search.ts";

export interface OrdersStore {
  byId: Map<string, Order>;
  search: SearchIndex;
  version: Accessor<number>;
  runs: Accessor<LabelRunProgress[]>;
  dispose(): void;
}

export function createOrdersStore(doc: Y.Doc): OrdersStore {
  const byId = new Map<string, Order>();
  const search = new SearchIndex();
  const [version, setVersion] = createSignal(0);
  const [runs, setRuns] = createSignal<LabelRunProgress[]>([]);

  function refresh(id: string): void {
    const order = readOrder(doc, id);
    if (order) {
      byId.set(id, order);
      search.upsert(order);
    } else {
      byId.delete(id);
      search.remove(id);
    }
  }
  for (const id of doc.getMap(MAP.orders).keys()) refresh(id);

  const stopOrders = observeOrders(doc, (change) => {
    performance.mark("T:obs0:" + change.orderIds.size);
    for (const id of change.orderIds) refresh(id);
    performance.mark("T:obs1");
    setVersion((v) => v + 1);
    performance.mark("T:obs2");
  });

  const runMap = doc.getMap(MAP.runs);
  const readRuns = () => setRuns(listRuns(doc).sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0)));
  readRuns();
  runMap.observe(readRuns);
  setVersion(1);

  return {
    byId,
    search,
    version,
    runs,
    dispose() {
      stopOrders();
      runMap.unobserve(readRuns);
    },
  };
}
