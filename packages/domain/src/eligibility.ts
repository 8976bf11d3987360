// Can a label be bought for this order now? One answer for the app's batch check, the API's
// label runs and the room that buys: the reason an order is left out, in words a packer can act
// on, and the field or SKU to fix.
//
// Checked in this order, so the reason given is the one that matters first:
//   cancelled → cancellation requested → on hold → already labelled → dispatched →
//   no delivery address → no weight (naming each SKU without one) → no customs data for a parcel
//   that needs it (naming each SKU and field, or the IOSS number; see customs.ts).

import { type CustomsInputs, customsFor, customsGapField, customsGapMessage } from "./customs.ts";
import { deliveryAddress, type Order, type PackageSpec } from "./order.ts";
import { openCancellationRequest } from "./words.ts";

export type LabelBlock =
  | "cancelled"
  | "cancellation_requested"
  | "on_hold"
  | "already_labelled"
  | "dispatched"
  | "missing_address"
  | "missing_weight"
  | "missing_customs";

export type LabelEligibility =
  | { eligible: true; package: PackageSpec }
  | {
      eligible: false;
      block: LabelBlock;
      /** A sentence for the order's row or the API's error field. */
      message: string;
      /** What to fix: a field of the order, `skuWeights.<SKU>`, `skuCustoms.<SKU>.<field>` or `iossNumber`. */
      field?: string;
      /** SKUs without a weight (missing_weight) or without complete customs data (missing_customs). */
      skus?: string[];
    };

/** The seller's SKU weights and the packaging added to every parcel. */
export interface WeightInputs {
  skuWeights: Readonly<Record<string, number>>;
  packagingGrams: number;
}

export const NO_WEIGHTS: WeightInputs = { skuWeights: {}, packagingGrams: 0 };

/** Everything the label check reads from the seller's settings: weights, and customs data. */
export interface LabelInputs extends WeightInputs, Omit<CustomsInputs, "skuWeights"> {}

/**
 * The parcel worked out from SKU weights: the sum of each item's weight times its quantity, plus
 * packaging. `missing` lists the SKUs that have no weight (then there is no package).
 */
export function packageFromSkuWeights(
  order: Order,
  inputs: WeightInputs,
): { package?: PackageSpec; missing: string[] } {
  let grams = inputs.packagingGrams;
  const missing: string[] = [];
  for (const item of order.items) {
    const w = inputs.skuWeights[item.sku];
    if (w === undefined || !(w > 0)) {
      if (!missing.includes(item.sku)) missing.push(item.sku);
      continue;
    }
    grams += w * Math.max(1, item.quantityOrdered);
  }
  if (missing.length || !(grams > 0)) return { missing };
  return { package: { weightGrams: grams, source: "sku" }, missing };
}

/**
 * The parcel a label would be bought for: what a person entered on the order wins; otherwise the
 * SKU weights as they are now (so fixing a SKU's weight helps at once); otherwise what the order
 * already carries from an earlier working-out.
 */
export function effectivePackage(order: Order, inputs: WeightInputs): PackageSpec | undefined {
  const held = order.package && order.package.weightGrams > 0 ? order.package : undefined;
  if (held && held.source !== "sku") return held;
  const fromSkus = packageFromSkuWeights(order, inputs).package;
  if (!fromSkus) return held;
  // Keep what a person measured (sides, format) beside the weight the SKUs give.
  return held ? { ...held, weightGrams: fromSkus.weightGrams, source: "sku" } : fromSkus;
}

function missingWeightMessage(skus: readonly string[]): string {
  if (skus.length === 0) return "Missing weight: enter the parcel weight on the order.";
  const list = skus.length === 1 ? `SKU ${skus[0]}` : `SKUs ${skus.join(", ")}`;
  return `Missing weight for ${list}: add it under Settings → SKU weights, or enter the parcel weight on the order.`;
}

/** Whether a label can be bought for the order now, and if not, why and what to fix. */
export function labelEligibility(order: Order, inputs: LabelInputs = NO_WEIGHTS): LabelEligibility {
  const id = order.orderId;
  if (order.state === "cancelled") {
    return { eligible: false, block: "cancelled", message: `Order ${id} is cancelled: no label.` };
  }
  // An open request only: once someone answered it ("already shipped"), the order may take a label.
  if (openCancellationRequest(order)) {
    return {
      eligible: false,
      block: "cancellation_requested",
      message: `The buyer asked to cancel order ${id}: accept or refuse the cancellation on Amazon before buying a label.`,
      field: "cancellationRequested",
    };
  }
  if (order.state === "on_hold") {
    return {
      eligible: false,
      block: "on_hold",
      message: `Order ${id} is on hold: release it first.`,
      field: "state",
    };
  }
  if (order.state === "label_bought" || order.state === "printed") {
    return {
      eligible: false,
      block: "already_labelled",
      message: `Order ${id} already has a label: print it again instead of buying another.`,
    };
  }
  if (order.state !== "new" && order.state !== "ready") {
    return {
      eligible: false,
      block: "dispatched",
      message: `Order ${id} is already ${order.state}: no label now.`,
    };
  }
  if (!deliveryAddress(order)) {
    return {
      eligible: false,
      block: "missing_address",
      message: `Order ${id} has no delivery address yet (Amazon has not released it): try again shortly.`,
      field: "recipient",
    };
  }
  const pkg = effectivePackage(order, inputs);
  if (!pkg) {
    const { missing } = packageFromSkuWeights(order, inputs);
    const first = missing[0];
    return {
      eligible: false,
      block: "missing_weight",
      message: missingWeightMessage(missing),
      field: first !== undefined ? `skuWeights.${first}` : "package.weightGrams",
      skus: missing,
    };
  }
  const customs = customsFor(order, inputs, pkg.weightGrams);
  if (customs.needed && "gaps" in customs) {
    return {
      eligible: false,
      block: "missing_customs",
      message: customsGapMessage(customs.zone, customs.gaps),
      field: customsGapField(customs.gaps),
      skus: customs.gaps.flatMap((g) => (g.kind === "sku" ? [g.sku] : [])),
    };
  }
  return { eligible: true, package: pkg };
}

/** Reprinting needs a label, nothing more: an order with an active label and not cancelled. */
export function canPrintLabel(order: Order): boolean {
  return order.state !== "cancelled" && order.shipments.some((s) => s.voidedAt === undefined);
}

/** Most orders one label run (one API call) takes; a bigger selection is bought as several runs. */
export const LABEL_RUN_MAX_ORDERS = 500;

/** A selection cut into runs the API accepts, in the selection's order. */
export function splitIntoRuns<T>(ids: readonly T[], max = LABEL_RUN_MAX_ORDERS): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < ids.length; i += max) runs.push(ids.slice(i, i + max));
  return runs;
}
