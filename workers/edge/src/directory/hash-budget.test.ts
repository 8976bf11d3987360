import { describe, expect, it } from "vitest";
import {
  FloodMemo,
  floodRefusal,
  HashBudget,
  hashBudgetRule,
  hashBudgetRuleFrom,
  isFloodRefusal,
} from "./hash-budget.ts";

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

describe("FloodMemo (the edge's memory of the Directory's answer)", () => {
  it("refuses at the edge until the Directory's Retry-After lapses, in the same words", () => {
    const memo = new FloodMemo();
    expect(memo.refusal(0)).toBeNull();
    const answer = floodRefusal(1500);
    expect(answer.retryAfterSeconds).toBe(2);
    expect(isFloodRefusal(answer)).toBe(true);
    // One account's wait is not the flood's: it must never hold up everyone at the edge.
    expect(
      isFloodRefusal({ code: "rate_limited", message: "Too many sign-in attempts: try again in 4 s." }),
    ).toBe(false);
    memo.remember(10_000, 2);
    expect(memo.refusal(11_000)?.message).toMatch(/try again in 1 s\. A device you have signed in on before/);
    expect(memo.refusal(11_000)?.retryAfterSeconds).toBe(1);
    expect(memo.refusal(12_000)).toBeNull();
  });
});

describe("hashBudgetRuleFrom", () => {
  it("reads burst/perSecond, keeps the default when unset, and names a bad setting", () => {
    expect(hashBudgetRuleFrom(undefined)).toBe(hashBudgetRule);
    expect(hashBudgetRuleFrom("45/1")).toEqual({ burst: 45, perSecond: 1 });
    expect(hashBudgetRuleFrom(" 20 / 0.25 ")).toEqual({ burst: 20, perSecond: 0.25 });
    expect(() => hashBudgetRuleFrom("lots")).toThrow(/SIGNIN_GUESS_BUDGET must read "burst\/perSecond"/);
    expect(() => hashBudgetRuleFrom("0/1")).toThrow(/SIGNIN_GUESS_BUDGET/);
  });
});
