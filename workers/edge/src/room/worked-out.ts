// Parcels and services worked out again whenever what they depend on changes: an order arriving or
// changing, the SKU weights or packaging, the shipping rules. Orders not yet labelled only; what a
// person set on an order (an entered weight, a chosen service) is kept. See the domain's workOut.
import {
  compileRules,
  isWorkable,
  type Order,
  type RuleEngine,
  type WeightInputs,
  workOut,
} from "@consign/domain";
import { listOrders, readOrder, readSetting, writeOrder } from "@consign/sync";
import type * as Y from "yjs";
import type { RoomDoc } from "./label-runs.ts";
import { readRules, SETTING } from "./settings.ts";

export function readWeightInputs(doc: Y.Doc): WeightInputs {
  return {
    skuWeights: readSetting<Record<string, number>>(doc, SETTING.skuWeights) ?? {},
    packagingGrams: readSetting<number>(doc, SETTING.packagingGrams) ?? 0,
  };
}

/** Writes the order's worked-out parcel and service when they differ; inside the caller's transaction. */
export function workOutInto(doc: Y.Doc, order: Order, inputs: WeightInputs, engine: RuleEngine): boolean {
  if (!isWorkable(order)) return false;
  const next = workOut(order, inputs, engine);
  return writeOrder(doc, { orderId: order.orderId, package: next.package, service: next.service });
}

export class WorkedOut {
  constructor(private readonly room: RoomDoc) {}

  /** Works out the given orders (every open one when none are given); returns how many changed. */
  refresh(orderIds?: readonly string[], origin: unknown = "server"): number {
    const doc = this.room.doc;
    const inputs = readWeightInputs(doc);
    const engine = compileRules(readRules(doc));
    let changed = 0;
    this.room.transact((d) => {
      const orders = orderIds
        ? orderIds.map((id) => readOrder(d, id)).filter((o): o is Order => !!o)
        : listOrders(d);
      for (const order of orders) if (workOutInto(d, order, inputs, engine)) changed++;
    }, origin);
    return changed;
  }
}
