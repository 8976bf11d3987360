import { validateRules } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { emptyRule, fieldOfPath, fromRule, toRule } from "./rules-form.ts";

describe("shipping rules editor", () => {
  it("round-trips a rule through the form", () => {
    const form = {
      ...emptyRule(1),
      weightMax: "750",
      postcodeAreas: "BT, IV",
      prime: "yes" as const,
      serviceCode: "TPN24",
    };
    const rule = toRule(form);
    expect(rule.when).toEqual({ weightGrams: { max: 750 }, postcodeAreas: ["BT", "IV"], prime: true });
    expect(fromRule(rule)).toEqual(form);
  });

  it("puts the domain's validation error on the field at fault", () => {
    const bad = toRule({ ...emptyRule(1), weightMin: "900", weightMax: "100", serviceCode: "TPN24" });
    const v = validateRules([toRule({ ...emptyRule(0), serviceCode: "TPS48" }), bad]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.map((e) => fieldOfPath(e.path))).toContainEqual([1, "weightMin"]);
  });

  it("flags a missing service code on the service field", () => {
    const v = validateRules([toRule(emptyRule(0))]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(fieldOfPath(v.errors[0]!.path)).toEqual([0, "serviceCode"]);
  });
});
