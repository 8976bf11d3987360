import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConsignError } from "../errors.ts";
import type { Order } from "../order.ts";
import { generateOrders, makeOrder, naiveAssign } from "../testing/generate.ts";
import { compileRules } from "./compile.ts";
import { validateRules } from "./schema.ts";

const rules = [
  {
    id: "ni-islands",
    name: "Highlands, islands and NI",
    when: { postcodeAreas: ["BT", "IV", "HS", "ZE", "PA20"] },
    use: { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" },
  },
  {
    id: "prime-next-day",
    when: { prime: true, shipServiceLevels: ["NextDay"] },
    use: { courier: "dpd", serviceCode: "1^12" },
  },
  {
    id: "large-letter",
    when: {
      weightGrams: { max: 750 },
      fitsWithinMm: { length: 353, width: 250, height: 25 },
      itemCount: { max: 1 },
    },
    use: { courier: "royal-mail", serviceCode: "TPN24", format: "large-letter" },
  },
  {
    id: "mugs",
    when: { skuPrefixes: ["MUG-"], orderValue: { min: 30 } },
    use: { courier: "evri", serviceCode: "EVRI24" },
  },
  { id: "off", enabled: false, when: {}, use: { courier: "evri", serviceCode: "EVRI48" } },
];

const engine = compileRules(rules);
const at = (postcode: string, extra: Partial<Order> = {}) =>
  makeOrder({ recipient: { name: "A", line1: "1", city: "C", postcode, countryCode: "GB" }, ...extra });

describe("shipping rules", () => {
  it("sends Northern Ireland and island postcodes by the first rule, saying why", () => {
    const a = engine.assign(at("BT7 1NN"));
    expect(a).toMatchObject({
      matched: true,
      ruleId: "ni-islands",
      service: { courier: "royal-mail", serviceCode: "TPS48" },
    });
    expect(a.reason).toBe(
      'Rule "Highlands, islands and NI" matched: postcode BT7 is in BT, IV, HS, ZE, PA20.',
    );
    expect(engine.assign(at("hs1 2ab")).matched).toBe(true);
    expect(engine.assign(at("PA20 0AA")).matched).toBe(true);
  });

  it("does not mistake a one-letter area for a two-letter one (B is not BT)", () => {
    const a = engine.assign(at("B1 1AA", { package: { weightGrams: 5000 } }));
    expect(a.matched).toBe(false);
    expect(engine.assign(at("PA21 0AA", { package: { weightGrams: 5000 } })).matched).toBe(false);
  });

  it("takes the first match when several rules apply", () => {
    const order = at("BT1 1AA", { isPrime: true, shipServiceLevel: "NextDay" });
    expect(engine.assign(order)).toMatchObject({ ruleId: "ni-islands" });
    expect(
      engine.assign({ ...order, recipient: { ...order.recipient!, postcode: "LS1 4AP" } }),
    ).toMatchObject({
      ruleId: "prime-next-day",
    });
  });

  it("lists every condition met in the reason", () => {
    const order = at("LS1 4AP", { package: { weightGrams: 300, lengthMm: 20, widthMm: 300, heightMm: 200 } });
    const a = engine.assign(order);
    expect(a).toMatchObject({
      ruleId: "large-letter",
      service: { format: "large-letter", ruleId: "large-letter" },
    });
    expect(a.reason).toContain("weight 300 g is at most 750 g");
    expect(a.reason).toContain("parcel 300×200×20 mm fits 353×250×25 mm");
    expect(a.reason).toContain("item count 1 is at most 1");
  });

  it("matches on SKU prefix and order value, and skips disabled rules", () => {
    const order = at("LS1 4AP", { orderTotal: { amount: "45.00", currencyCode: "GBP" } });
    expect(engine.assign(order)).toMatchObject({ ruleId: "mugs" });
    expect(engine.assign(at("LS1 4AP")).matched).toBe(false);
  });

  it("says so when no rule matches, and explains each rule", () => {
    const a = engine.assign(at("LS1 4AP"));
    expect(a).toEqual({
      matched: false,
      orderId: "202-0000000-0000001",
      reason: "No rule matched (4 checked): choose a service by hand or add a rule.",
    });
    const why = engine.explain(at("LS1 4AP"));
    expect(why.map((w) => w.reason)).toEqual([
      'Rule "Highlands, islands and NI" skipped: postcode LS1 is not in BT, IV, HS, ZE, PA20',
      'Rule "prime-next-day" skipped: not a Prime order',
      'Rule "large-letter" skipped: weight is not known',
      'Rule "mugs" skipped: order value £19.99 is not at least £30.00',
    ]);
  });

  it("rejects invalid rules naming the field at fault", () => {
    const bad = [
      {
        id: "a",
        when: { weightGrams: { min: 500, max: 100 } },
        use: { courier: "royal-mail", serviceCode: "X" },
      },
      { id: "a", when: { postcodeAreas: ["B T"] }, use: { courier: "parcelmonkey", serviceCode: "" } },
    ];
    const v = validateRules(bad);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const paths = v.errors.map((e) => e.path);
    expect(paths).toContain("rules.0.when.weightGrams.min");
    expect(paths).toContain("rules.1.when.postcodeAreas.0");
    expect(paths).toContain("rules.1.use.courier");
    expect(paths).toContain("rules.1.use.serviceCode");
    expect(v.errors.find((e) => e.path === "rules.0.when.weightGrams.min")?.message).toBe(
      "min must not exceed max",
    );
    let thrown: unknown;
    try {
      compileRules(bad);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConsignError);
    expect((thrown as ConsignError).code).toBe("bad_request");
    expect((thrown as ConsignError).fields.length).toBe(v.errors.length);
  });

  it("refuses two rules with the same id", () => {
    const v = validateRules([
      { id: "a", when: {}, use: { courier: "dpd", serviceCode: "1^12" } },
      { id: "a", when: {}, use: { courier: "dpd", serviceCode: "1^13" } },
    ]);
    expect(v).toEqual({
      ok: false,
      errors: [{ path: "rules.1.id", message: 'id "a" is already used by rule 1' }],
    });
  });

  it("refuses unknown condition names rather than ignoring them", () => {
    const v = validateRules([{ id: "x", when: { wieght: 3 }, use: { courier: "dpd", serviceCode: "1^12" } }]);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors[0]?.path).toBe("rules.0.when");
  });

  it("is deterministic and agrees with interpreting the rules afresh", () => {
    const orders = generateOrders(200, { seed: 5 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 199 }),
        fc.shuffledSubarray(rules.slice(0, 4), { minLength: 1 }),
        (i, subset) => {
          const order = orders[i]!;
          const e1 = compileRules(subset);
          const e2 = compileRules(structuredClone(subset));
          const a = e1.assign(order);
          expect(e1.assign(order)).toEqual(a);
          expect(e2.assign(order)).toEqual(a);
          const naive = naiveAssign(subset, order);
          expect(a.matched ? a.ruleId : null).toBe(naive?.ruleId ?? null);
        },
      ),
      { numRuns: 200 },
    );
  });
});
