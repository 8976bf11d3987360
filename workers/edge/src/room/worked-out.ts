// Parcels and services worked out again whenever what they depend on changes: an order arriving or
// changing, the SKU weights or packaging, the shipping rules. Orders not yet labelled only; what a
// person set on an order (an entered weight, a chosen service) is kept. See the domain's workOut.
import {
  ConsignError,
  type CourierId,
  compileRules,
  ErrorCode,
  isWorkable,
  type LabelInputs,
  type Order,
  type PackageFormat,
  type RuleEngine,
  type SkuCustoms,
  serviceProblem,
  type WeightInputs,
  workOut,
} from "@consign/domain";
import { listOrders, readOrder, readSetting, writeOrder } from "@consign/sync";
import type * as Y from "yjs";
import type { RoomDoc } from "./label-runs.ts";
import { readRules, SETTING } from "./settings.ts";

/** What the label check reads from the settings: SKU weights, packaging, and customs data. */
export function readWeightInputs(doc: Y.Doc): LabelInputs {
  const iossNumber = readSetting<string>(doc, SETTING.iossNumber);
  return {
    skuWeights: readSetting<Record<string, number>>(doc, SETTING.skuWeights) ?? {},
    packagingGrams: readSetting<number>(doc, SETTING.packagingGrams) ?? 0,
    skuCustoms: readSetting<Record<string, SkuCustoms>>(doc, SETTING.skuCustoms) ?? {},
    ...(iossNumber ? { iossNumber } : {}),
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

/** What a person sets on one order: null hands the field back to SKU weights / the rules. */
export interface ShippingOverride {
  package?: { weightGrams: number; lengthMm?: number; widthMm?: number; heightMm?: number } | null;
  service?: { courier: CourierId; serviceCode: string; format?: PackageFormat } | null;
}

/**
 * Sets (or clears) an order's own parcel and service. Only before a label is bought: afterwards
 * the label says what was bought, so void it first. The service must be one its courier offers.
 */
export function overrideShipping(
  room: RoomDoc,
  orderId: string,
  change: ShippingOverride,
  by: string,
): Order {
  const order = readOrder(room.doc, orderId);
  if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
  if (!isWorkable(order)) {
    throw new ConsignError(
      ErrorCode.IllegalTransition,
      order.state === "label_bought" || order.state === "printed"
        ? `Order ${orderId} already has a label: void it first to change its parcel or service.`
        : `Order ${orderId} is ${order.state.replace("_", " ")}: its parcel and service can no longer change.`,
    );
  }
  if (change.service) {
    const problem = serviceProblem(change.service.courier, change.service.serviceCode, change.service.format);
    if (problem) {
      throw new ConsignError(ErrorCode.BadRequest, problem.message, [
        { path: `service.${problem.field}`, message: problem.message },
      ]);
    }
  }
  const doc = room.doc;
  room.transact((d) => {
    const patch: Partial<Order> & { orderId: string } = { orderId };
    if (change.package !== undefined) {
      patch.package = change.package ? { ...change.package, source: "entered" } : undefined;
    }
    if (change.service !== undefined) {
      patch.service = change.service
        ? { ...change.service, source: "override", reason: `Chosen by hand by ${by}.` }
        : undefined;
    }
    writeOrder(d, patch);
    // What was handed back (or depends on the new weight) is worked out again at once.
    const now = readOrder(d, orderId);
    if (now) workOutInto(d, now, readWeightInputs(doc), compileRules(readRules(doc)));
  });
  return readOrder(room.doc, orderId)!;
}
