// Courier failover, the pure part: when a courier is down, the next service the seller's own rules
// allow (the first rule that matches the order and whose courier is up), and the words put on the
// order ("Royal Mail is not answering: sent with Evri Next Day instead").
import type { ChosenService, CourierId, Order } from "./order.ts";
import type { RuleEngine } from "./rules/compile.ts";
import { COURIER_NAMES, serviceName } from "./words.ts";

/**
 * The service of the first enabled rule that matches the order and sends with a courier that is
 * up, or undefined when the rules allow none. `order` carries the package it will be sent in.
 */
export function fallbackService(
  engine: RuleEngine,
  order: Order,
  isDown: (courier: CourierId) => boolean,
): ChosenService | undefined {
  const checks = engine.explain(order);
  for (const check of checks) {
    if (!check.matched) continue;
    const rule = engine.rules.find((r) => r.id === check.ruleId);
    if (!rule || isDown(rule.use.courier)) continue;
    const { courier, serviceCode, format } = rule.use;
    return { courier, serviceCode, ...(format ? { format } : {}), ruleId: rule.id, source: "rule" };
  }
  return undefined;
}

/** "Royal Mail is not answering: sent with Evri Next Day instead". */
export function failoverReason(down: CourierId, instead: ChosenService): string {
  return `${COURIER_NAMES[down]} is not answering: sent with ${serviceName(instead.courier, instead.serviceCode)} instead`;
}
