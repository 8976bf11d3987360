import { describe, expect, it } from "vitest";
import { HashBudget } from "./hash-budget.ts";

describe("HashBudget", () => {
  it("lets a burst through, then one wrong guess per refill, and says how long to wait", () => {
    const budget = new HashBudget({ perSecond: 2, burst: 3 }, 0);
    expect([budget.take(0), budget.take(0), budget.take(0)]).toEqual([0, 0, 0]);
    expect(budget.take(0)).toBe(500);
    expect(budget.take(200)).toBe(300);
    expect(budget.take(500)).toBe(0);
    expect(budget.take(500)).toBe(500);
    // Never more than the burst, however long it was quiet.
    const later = 3_600_000;
    expect([0, 1, 2, 3].map(() => budget.take(later))).toEqual([0, 0, 0, 500]);
  });

  it("gives the token back for a right password, so sign-ins that succeed never drain it", () => {
    const budget = new HashBudget({ perSecond: 1, burst: 2 }, 0);
    for (let i = 0; i < 100; i++) {
      expect(budget.take(0)).toBe(0);
      budget.give(0);
    }
    expect(budget.take(0)).toBe(0);
    expect(budget.take(0)).toBe(0);
    expect(budget.take(0)).toBe(1000);
  });
});
