import { describe, expect, it } from "vitest";
import { isClockTime, nextUkTime, ukTimeOnDay } from "./courier-day.ts";

describe("the courier day in UK time", () => {
  it("closes at 18:30 UK time: 18:30 UTC in winter, 17:30 UTC in summer", () => {
    expect(new Date(ukTimeOnDay(Date.UTC(2026, 11, 5, 9), "18:30")).toISOString()).toBe(
      "2026-12-05T18:30:00.000Z",
    );
    expect(new Date(ukTimeOnDay(Date.UTC(2026, 6, 5, 9), "18:30")).toISOString()).toBe(
      "2026-07-05T17:30:00.000Z",
    );
  });

  it("the next close is today while it is still to come, else tomorrow", () => {
    expect(new Date(nextUkTime(Date.UTC(2026, 11, 5, 18, 29), "18:30")).toISOString()).toBe(
      "2026-12-05T18:30:00.000Z",
    );
    expect(new Date(nextUkTime(Date.UTC(2026, 11, 5, 18, 30), "18:30")).toISOString()).toBe(
      "2026-12-06T18:30:00.000Z",
    );
  });

  it("crosses the clocks going forward (29 March 2026) at the right hour", () => {
    expect(new Date(nextUkTime(Date.UTC(2026, 2, 28, 20), "18:30")).toISOString()).toBe(
      "2026-03-29T17:30:00.000Z",
    );
  });

  it("a UK evening after midnight UTC in summer is still the same UK day", () => {
    // 00:30 BST on 6 July is 23:30 UTC on 5 July: the next 23:45 UK is 22:45 UTC on 6 July.
    expect(new Date(nextUkTime(Date.UTC(2026, 6, 5, 23, 30), "23:45")).toISOString()).toBe(
      "2026-07-06T22:45:00.000Z",
    );
  });

  it("knows a time of day when it sees one", () => {
    expect(isClockTime("18:30")).toBe(true);
    expect(isClockTime("24:00")).toBe(false);
    expect(isClockTime("6:30")).toBe(false);
    expect(() => ukTimeOnDay(0, "noon")).toThrow("is not a time of day");
  });
});
