import { describe, expect, it } from "vitest";
import { countShipByBuckets, shipByBucket, ukOffsetMinutes } from "./shipBy.ts";

const H = 3_600_000;

describe("ship-by buckets", () => {
  it("puts a passed deadline in overdue, even a millisecond ago", () => {
    const now = Date.UTC(2026, 0, 15, 10);
    expect(shipByBucket(now - 1, now, 0)).toBe("overdue");
    expect(shipByBucket(now, now, 0)).toBe("today");
  });

  it("splits today and tomorrow at UK midnight in winter", () => {
    const now = Date.UTC(2026, 0, 15, 10);
    expect(shipByBucket(Date.UTC(2026, 0, 15, 23, 59), now, 0)).toBe("today");
    expect(shipByBucket(Date.UTC(2026, 0, 16, 0, 0), now, 0)).toBe("tomorrow");
    expect(shipByBucket(Date.UTC(2026, 0, 17, 0, 0), now, 0)).toBe("later");
  });

  it("uses the offset given: 23:30 UTC in summer is already tomorrow in the UK", () => {
    const now = Date.UTC(2026, 6, 15, 10);
    expect(shipByBucket(Date.UTC(2026, 6, 15, 23, 30), now, 60)).toBe("tomorrow");
    expect(shipByBucket(Date.UTC(2026, 6, 15, 22, 59), now, 60)).toBe("today");
    expect(countShipByBuckets([now - H, now + H, now + 20 * H, now + 60 * H], now, 60)).toEqual({
      overdue: 1,
      today: 1,
      tomorrow: 1,
      later: 1,
    });
  });

  it("knows British Summer Time runs from the last Sunday of March to the last Sunday of October, 01:00 UTC", () => {
    expect(ukOffsetMinutes(Date.UTC(2026, 2, 29, 0, 59))).toBe(0);
    expect(ukOffsetMinutes(Date.UTC(2026, 2, 29, 1, 0))).toBe(60);
    expect(ukOffsetMinutes(Date.UTC(2026, 9, 25, 0, 59))).toBe(60);
    expect(ukOffsetMinutes(Date.UTC(2026, 9, 25, 1, 0))).toBe(0);
    expect(ukOffsetMinutes(Date.UTC(2025, 2, 30, 1, 0))).toBe(60);
    expect(ukOffsetMinutes(Date.UTC(2025, 2, 29, 12))).toBe(0);
  });
});
