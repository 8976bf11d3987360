import { describe, expect, it } from "vitest";
import { labelEligibility, packageFromSkuWeights } from "./eligibility.ts";
import type { Order } from "./order.ts";
import { compileRules } from "./rules/compile.ts";
import { validateRules } from "./rules/schema.ts";
import { makeOrder } from "./testing/generate.ts";
import { workOut } from "./worked-out.ts";

const weights = { skuWeights: { "MUG-0001-BL": 400 }, packagingGrams: 50 };
const two = (extra: Partial<Order> = {}) =>
  makeOrder({
    items: [
      {
        orderItemId: "1",
        sku: "MUG-0001-BL",
        asin: "A",
        title: "Mug",
        quantityOrdered: 2,
        quantityShipped: 0,
      },
      { orderItemId: "2", sku: "TEA-9", asin: "B", title: "Tea", quantityOrdered: 1, quantityShipped: 0 },
    ],
    ...extra,
  });

describe("label eligibility", () => {
  it("works the parcel out from SKU weights, quantity and packaging", () => {
    const order = makeOrder({ items: [{ ...makeOrder().items[0]!, quantityOrdered: 3 }] });
    expect(labelEligibility(order, weights)).toEqual({
      eligible: true,
      package: { weightGrams: 1250, source: "sku" },
    });
  });

  it("names every SKU without a weight and the setting to fix", () => {
    const e = labelEligibility(two(), weights);
    expect(e).toMatchObject({
      eligible: false,
      block: "missing_weight",
      skus: ["TEA-9"],
      field: "skuWeights.TEA-9",
    });
    if (!e.eligible) expect(e.message).toContain("SKU TEA-9");
    expect(packageFromSkuWeights(two(), { skuWeights: {}, packagingGrams: 0 }).missing).toEqual([
      "MUG-0001-BL",
      "TEA-9",
    ]);
  });

  it("keeps a weight a person entered over the SKU weights, and redoes one worked out from them", () => {
    const entered = makeOrder({ package: { weightGrams: 900 } });
    expect(labelEligibility(entered, weights)).toMatchObject({
      eligible: true,
      package: { weightGrams: 900 },
    });
    const stale = makeOrder({ package: { weightGrams: 10, source: "sku" } });
    expect(labelEligibility(stale, weights)).toMatchObject({ eligible: true, package: { weightGrams: 450 } });
  });

  it("leaves out cancellation requests, cancelled, held, labelled and dispatched orders with the reason", () => {
    const blocks = [
      makeOrder({ buyerCancellationRequested: true }),
      makeOrder({ items: [{ ...makeOrder().items[0]!, cancellationRequested: true }] }),
      makeOrder({ state: "cancelled" }),
      makeOrder({ state: "on_hold" }),
      makeOrder({ state: "label_bought" }),
      makeOrder({ state: "dispatched" }),
      makeOrder({ recipient: undefined }),
    ].map((o) => {
      const e = labelEligibility(o, weights);
      return e.eligible ? "eligible" : e.block;
    });
    expect(blocks).toEqual([
      "cancellation_requested",
      "cancellation_requested",
      "cancelled",
      "on_hold",
      "already_labelled",
      "dispatched",
      "missing_address",
    ]);
    const e = labelEligibility(makeOrder({ buyerCancellationRequested: true }), weights);
    if (!e.eligible) expect(e.message).toMatch(/buyer asked to cancel/);
  });
});

describe("working out the service again", () => {
  const rules = [
    { id: "heavy", when: { weightGrams: { min: 1000 } }, use: { courier: "dpd", serviceCode: "1^12" } },
    { id: "rest", when: {}, use: { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" } },
  ];

  it("chooses from the weight the SKUs give now, and keeps a service chosen by hand", () => {
    const order = makeOrder({ items: [{ ...makeOrder().items[0]!, quantityOrdered: 3 }] });
    expect(workOut(order, weights, compileRules(rules)).service?.courier).toBe("dpd");
    expect(workOut(order, { skuWeights: {}, packagingGrams: 0 }, compileRules(rules))).toMatchObject({
      package: undefined,
      service: { courier: "royal-mail", serviceCode: "TPS48", source: "rule" },
    });
    const chosen = makeOrder({ service: { courier: "evri", serviceCode: "EVRI24", source: "override" } });
    expect(workOut(chosen, weights, compileRules(rules)).service?.serviceCode).toBe("EVRI24");
  });

  it("drops a service no rule chooses any more", () => {
    const order = makeOrder({ service: { courier: "dpd", serviceCode: "1^12", source: "rule" } });
    expect(workOut(order, weights, compileRules([])).service).toBeUndefined();
  });
});

describe("rules name services each courier offers", () => {
  it("refuses an unknown service code and a format the service does not carry, naming the field", () => {
    const v = validateRules([
      { id: "a", when: {}, use: { courier: "royal-mail", serviceCode: "CRL24" } },
      { id: "b", when: {}, use: { courier: "royal-mail", serviceCode: "TPN24", format: "letter" } },
      { id: "c", when: {}, use: { courier: "evri", serviceCode: "EVRI48" } },
    ]);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.errors.map((e) => e.path)).toEqual(["rules.0.use.serviceCode", "rules.1.use.format"]);
    expect(v.errors[0]!.message).toContain("TPN24 (Royal Mail Tracked 24)");
  });
});
