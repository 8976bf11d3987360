import { describe, expect, it } from "vitest";
import { failoverReason, fallbackService } from "./failover.ts";
import type { Order } from "./order.ts";
import { compileRules } from "./rules/compile.ts";

const rules = compileRules([
  { id: "rm", when: {}, use: { courier: "royal-mail", serviceCode: "TPN24", format: "small-parcel" } },
  { id: "off", enabled: false, when: {}, use: { courier: "dpd", serviceCode: "1^12" } },
  { id: "evri", when: {}, use: { courier: "evri", serviceCode: "EVRI24" } },
]);
const order = { orderId: "202-0000000-0000001", items: [], shipments: [] } as unknown as Order;

describe("courier failover: the next service the rules allow", () => {
  it("keeps the first rule's service while its courier is up", () => {
    expect(fallbackService(rules, order, () => false)?.courier).toBe("royal-mail");
  });

  it("skips a courier that is down, and a rule that is switched off", () => {
    const s = fallbackService(rules, order, (c) => c === "royal-mail");
    expect(s).toMatchObject({ courier: "evri", serviceCode: "EVRI24", ruleId: "evri" });
  });

  it("has nothing when every courier the rules allow is down", () => {
    expect(fallbackService(rules, order, (c) => c !== "dpd")).toBeUndefined();
  });

  it("says what happened in the seller's words", () => {
    expect(failoverReason("royal-mail", { courier: "evri", serviceCode: "EVRI24" })).toBe(
      "Royal Mail is not answering: sent with Evri Next Day instead",
    );
  });
});
