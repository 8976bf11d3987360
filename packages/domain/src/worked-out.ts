// An order's parcel and service, worked out again whenever what they depend on changes: the SKU
// weights, the packaging, the shipping rules or the order itself. What a person set on the order
// (an entered weight, an overridden service) is kept; everything worked out is redone, so fixing a
// SKU's weight or a rule helps every order not yet labelled at once.

import { effectivePackage, type WeightInputs } from "./eligibility.ts";
import type { ChosenService, Order, PackageSpec } from "./order.ts";
import type { RuleEngine } from "./rules/compile.ts";

export interface WorkedOut {
  /** The parcel to keep on the order (undefined: none can be worked out). */
  package: PackageSpec | undefined;
  /** The service to keep on the order (undefined: no rule matches and none was chosen by hand). */
  service: ChosenService | undefined;
}

/** Only orders that can still take a first label are worked out again. */
export function isWorkable(order: Order): boolean {
  return (
    (order.state === "new" || order.state === "ready") &&
    order.shipments.every((s) => s.voidedAt !== undefined)
  );
}

/** The package and service the order should carry now. */
export function workOut(order: Order, inputs: WeightInputs, engine: RuleEngine): WorkedOut {
  const pkg = effectivePackage(order, inputs);
  if (order.service?.source === "override") return { package: pkg, service: order.service };
  const assigned = engine.assign(pkg ? { ...order, package: pkg } : { ...order, package: undefined });
  return {
    package: pkg,
    service: assigned.matched ? { ...assigned.service, reason: assigned.reason, source: "rule" } : undefined,
  };
}
