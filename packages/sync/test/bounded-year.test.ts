import { describe, expect, it } from "vitest";
import { simulateYear } from "./year-simulation.ts";

// Each order (record + working fields + history of 5 steps) encodes to about 1.6 KB; the live
// document holds `keepDays` + 1 days of orders at its daily peak.
const BYTES_PER_ORDER_BOUND = 2_000;

describe("the live document stays bounded", () => {
  it("plateaus at 1,000 orders a day once archiving and rebasing start", () => {
    const { samples } = simulateYear({ days: 10, ordersPerDay: 1_000, keepDays: 3 });
    const peak = Math.max(...samples.map((s) => s.peakBytes));
    expect(peak).toBeLessThan(4 * 1_000 * BYTES_PER_ORDER_BOUND);
    expect(samples.some((s) => s.rebased)).toBe(true);
    const lastDays = samples.slice(-3).map((s) => s.peakBytes);
    const firstPlateau = samples.slice(4, 7).map((s) => s.peakBytes);
    expect(Math.max(...lastDays)).toBeLessThanOrEqual(Math.max(...firstPlateau) * 1.02);
    expect(samples.at(-1)?.liveOrders).toBe(3_000);
  });

  it("does not creep over a whole year (scaled to 20 orders a day)", () => {
    const { samples, generations } = simulateYear({ days: 365, ordersPerDay: 20, keepDays: 3 });
    const peak = Math.max(...samples.map((s) => s.peakBytes));
    expect(peak).toBeLessThan(4 * 20 * BYTES_PER_ORDER_BOUND + 20_000);
    const month2 = Math.max(...samples.slice(30, 60).map((s) => s.peakBytes));
    const month12 = Math.max(...samples.slice(335).map((s) => s.peakBytes));
    expect(month12).toBeLessThanOrEqual(month2 * 1.05);
    expect(generations).toBeGreaterThan(5);
  });
});
