import { describe, expect, it } from "vitest";
import { formatCountdown, ukOffsetMinutes, urgency, warehouseClock } from "./clock.ts";

describe("warehouse clock", () => {
  it("knows British Summer Time from winter", () => {
    expect(ukOffsetMinutes(Date.UTC(2025, 6, 1, 12))).toBe(60);
    expect(ukOffsetMinutes(Date.UTC(2025, 11, 1, 12))).toBe(0);
  });

  it("starts today at UK midnight, not UTC midnight, in summer", () => {
    const c = warehouseClock(Date.UTC(2025, 6, 1, 23, 30)); // 00:30 on 2 July in London
    expect(c.todayStart).toBe(Date.UTC(2025, 6, 1, 23));
    expect(c.tomorrowStart).toBe(Date.UTC(2025, 6, 2, 23));
  });

  it("makes the day the clocks go back 25 hours long", () => {
    const c = warehouseClock(Date.UTC(2025, 9, 26, 12)); // Sunday 26 Oct 2025
    expect(c.tomorrowStart - c.todayStart).toBe(25 * 3_600_000);
  });

  it("reads countdowns in words and colours late ones red, under 4 h amber", () => {
    expect(formatCountdown(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 05 m");
    expect(formatCountdown(-70 * 60_000)).toBe("late 1 h 10 m");
    expect(urgency(-1)).toBe("late");
    expect(urgency(3 * 3_600_000)).toBe("soon");
    expect(urgency(5 * 3_600_000)).toBe("ok");
  });
});
