// Rules compiled once into predicate closures; first enabled rule whose conditions all hold wins.

import type { ChosenService, Order } from "../order.ts";
import { type OrderFacts, orderFacts } from "./facts.ts";
import { parseRules, type RuleConditions, type ShippingRule } from "./schema.ts";

interface Condition {
  test(f: OrderFacts): boolean;
  /** Why it holds, for the matched rule's reason. */
  met(f: OrderFacts): string;
  /** Why it does not, for explanations. */
  unmet(f: OrderFacts): string;
}

interface CompiledRule {
  rule: ShippingRule;
  label: string;
  conditions: Condition[];
}

export type RuleAssignment =
  | { matched: true; orderId: string; ruleId: string; service: ChosenService; reason: string }
  | { matched: false; orderId: string; reason: string };

export interface RuleCheck {
  ruleId: string;
  matched: boolean;
  /** The conditions met, or the first one that failed. */
  reason: string;
}

export interface RuleEngine {
  readonly rules: readonly ShippingRule[];
  assign(order: Order): RuleAssignment;
  /** Every enabled rule checked against the order, for "why did this order get that service?". */
  explain(order: Order): RuleCheck[];
}

/** Validates (throws a bad_request ConsignError naming the field at fault) and compiles a rule list. */
export function compileRules(input: unknown): RuleEngine {
  const rules = parseRules(input);
  const compiled = rules.filter((r) => r.enabled).map(compileRule);
  const count = compiled.length;

  const assign = (order: Order): RuleAssignment => {
    const f = orderFacts(order);
    for (let i = 0; i < count; i++) {
      const c = compiled[i]!;
      const conditions = c.conditions;
      let ok = true;
      for (let j = 0; j < conditions.length; j++) {
        if (!conditions[j]!.test(f)) {
          ok = false;
          break;
        }
      }
      if (ok) return matchOf(order.orderId, c, f);
    }
    return {
      matched: false,
      orderId: order.orderId,
      reason:
        count === 0
          ? "No shipping rules are set up: choose a service by hand."
          : `No rule matched (${count} checked): choose a service by hand or add a rule.`,
    };
  };

  const explain = (order: Order): RuleCheck[] => {
    const f = orderFacts(order);
    return compiled.map((c) => {
      const failed = c.conditions.find((cond) => !cond.test(f));
      return failed
        ? { ruleId: c.rule.id, matched: false, reason: `${c.label} skipped: ${failed.unmet(f)}` }
        : { ruleId: c.rule.id, matched: true, reason: matchOf(order.orderId, c, f).reason };
    });
  };

  return { rules, assign, explain };
}

function matchOf(orderId: string, c: CompiledRule, f: OrderFacts): RuleAssignment & { matched: true } {
  const why =
    c.conditions.length === 0 ? "it has no conditions" : c.conditions.map((cond) => cond.met(f)).join("; ");
  const { courier, serviceCode, format } = c.rule.use;
  const reason = `${c.label} matched: ${why}.`;
  return {
    matched: true,
    orderId,
    ruleId: c.rule.id,
    reason,
    service: { courier, serviceCode, ...(format ? { format } : {}), ruleId: c.rule.id, reason },
  };
}

function compileRule(rule: ShippingRule): CompiledRule {
  return { rule, label: `Rule "${rule.name ?? rule.id}"`, conditions: compileConditions(rule.when) };
}

const grams = (n: number) => `${n.toLocaleString("en-GB")} g`;
const pounds = (n: number) => `£${n.toFixed(2)}`;
const plain = (n: number) => `${n}`;

function rangeCondition(
  what: string,
  r: { min?: number | undefined; max?: number | undefined },
  read: (f: OrderFacts) => number | undefined,
  show: (n: number) => string,
): Condition {
  const min = r.min ?? Number.NEGATIVE_INFINITY;
  const max = r.max ?? Number.POSITIVE_INFINITY;
  const bounds =
    r.min !== undefined && r.max !== undefined
      ? `${show(r.min)}–${show(r.max)}`
      : r.min !== undefined
        ? `at least ${show(r.min)}`
        : `at most ${show(max)}`;
  return {
    test: (f) => {
      const v = read(f);
      return v !== undefined && v >= min && v <= max;
    },
    met: (f) => `${what} ${show(read(f)!)} is ${bounds}`,
    unmet: (f) => {
      const v = read(f);
      return v === undefined ? `${what} is not known` : `${what} ${show(v)} is not ${bounds}`;
    },
  };
}

function setCondition(
  what: string,
  values: readonly string[],
  read: (f: OrderFacts) => string,
  negate: boolean,
): Condition {
  const set = new Set(values);
  const list = values.join(", ");
  return {
    test: negate ? (f) => !set.has(read(f)) : (f) => set.has(read(f)),
    met: (f) => `${what} ${read(f) || "(none)"} is ${negate ? "not " : ""}in ${list}`,
    unmet: (f) => `${what} ${read(f) || "(none)"} is ${negate ? "" : "not "}in ${list}`,
  };
}

function postcodeCondition(prefixes: readonly string[], negate: boolean): Condition {
  const areas = new Set(prefixes.filter((p) => /^[A-Z]+$/.test(p)));
  const districts = new Set(prefixes.filter((p) => !/^[A-Z]+$/.test(p)));
  const hit = (f: OrderFacts) => areas.has(f.postcodeArea) || districts.has(f.postcodeDistrict);
  const list = prefixes.join(", ");
  const where = (f: OrderFacts) => f.postcodeDistrict || "(no postcode)";
  return {
    test: negate ? (f) => !hit(f) : hit,
    met: (f) => `postcode ${where(f)} is ${negate ? "not " : ""}in ${list}`,
    unmet: (f) => `postcode ${where(f)} is ${negate ? "" : "not "}in ${list}`,
  };
}

function compileConditions(when: RuleConditions): Condition[] {
  const out: Condition[] = [];
  // Cheap, selective conditions first: the order of conditions does not change the result.
  if (when.prime !== undefined) {
    const want = when.prime;
    out.push({
      test: (f) => f.prime === want,
      met: () => (want ? "Prime order" : "not a Prime order"),
      unmet: () => (want ? "not a Prime order" : "a Prime order"),
    });
  }
  if (when.countries) out.push(setCondition("country", when.countries, (f) => f.countryCode, false));
  if (when.notCountries) out.push(setCondition("country", when.notCountries, (f) => f.countryCode, true));
  if (when.postcodeAreas) out.push(postcodeCondition(when.postcodeAreas, false));
  if (when.notPostcodeAreas) out.push(postcodeCondition(when.notPostcodeAreas, true));
  if (when.shipServiceLevels) {
    out.push(setCondition("service level", when.shipServiceLevels, (f) => f.shipServiceLevel, false));
  }
  if (when.weightGrams) out.push(rangeCondition("weight", when.weightGrams, (f) => f.weightGrams, grams));
  if (when.itemCount) out.push(rangeCondition("item count", when.itemCount, (f) => f.itemCount, plain));
  if (when.orderValue) out.push(rangeCondition("order value", when.orderValue, (f) => f.orderValue, pounds));
  if (when.fitsWithinMm) {
    const box = [when.fitsWithinMm.length, when.fitsWithinMm.width, when.fitsWithinMm.height].sort(
      (a, b) => b - a,
    );
    const [b0, b1, b2] = [box[0]!, box[1]!, box[2]!];
    const boxText = `${b0}×${b1}×${b2} mm`;
    out.push({
      test: (f) => f.sidesMm !== undefined && f.sidesMm[0] <= b0 && f.sidesMm[1] <= b1 && f.sidesMm[2] <= b2,
      met: (f) => `parcel ${f.sidesMm!.join("×")} mm fits ${boxText}`,
      unmet: (f) =>
        f.sidesMm === undefined
          ? "parcel size is not known"
          : `parcel ${f.sidesMm.join("×")} mm does not fit ${boxText}`,
    });
  }
  if (when.skus) {
    const set = new Set(when.skus);
    const list = when.skus.join(", ");
    out.push({
      test: (f) => f.skus.some((s) => set.has(s)),
      met: (f) => `SKU ${f.skus.filter((s) => set.has(s)).join(", ")} is in ${list}`,
      unmet: () => `no SKU in ${list}`,
    });
  }
  if (when.skuPrefixes) {
    const prefixes = when.skuPrefixes;
    const hit = (s: string) => prefixes.some((p) => s.startsWith(p));
    out.push({
      test: (f) => f.skus.some(hit),
      met: (f) => `SKU ${f.skus.filter(hit).join(", ")} starts with ${prefixes.join(" or ")}`,
      unmet: () => `no SKU starts with ${prefixes.join(" or ")}`,
    });
  }
  return out;
}
