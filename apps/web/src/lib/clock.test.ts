import { createMemo, createRoot, createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import { formatCountdown, sameWarehouseDay, ukOffsetMinutes, urgency, warehouseClock } from "./clock.ts";

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

describe("the day the views read", () => {
  it("is recounted when the warehouse day changes, not at each tick of the countdowns", () => {
    createRoot((dispose) => {
      // 23:58:30 on a winter evening in London, then ticks of 30 s past midnight.
      const [now, setNow] = createSignal(Date.UTC(2025, 11, 1, 23, 58, 30));
      const clock = createMemo(() => warehouseClock(now()));
      const day = createMemo(() => clock(), undefined, { equals: sameWarehouseDay });
      let recounts = 0;
      const counts = createMemo(() => {
        day();
        return ++recounts;
      });
      expect(counts()).toBe(1);
      for (let i = 1; i <= 2; i++) setNow(now() + 30_000);
      expect(counts()).toBe(1); // 23:59:30: the same day, nothing recounted
      setNow(now() + 30_000); // 00:00:00
      expect(counts()).toBe(2);
      expect(clock().now).toBe(Date.UTC(2025, 11, 2, 0, 0, 0));
      dispose();
    });
  });
});
