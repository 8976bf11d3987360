import { describe, expect, it } from "vitest";
import { rowRange, scrollFor } from "./row-window.ts";

describe("the window of rows the order list draws", () => {
  it("draws the rows in view and the overscan either side, whatever the count", () => {
    // 800 px of 52 px rows scrolled to row 1,000 of 50,000: rows 1,000–1,015 in view.
    expect(rowRange(52_000, 800, 50_000, 52, 12)).toEqual({ start: 988, end: 1_028 });
    expect(rowRange(0, 800, 50_000, 52, 12)).toEqual({ start: 0, end: 28 });
  });

  it("stops at the ends of the list and when the list shrinks under a stale scroll position", () => {
    expect(rowRange(0, 800, 5, 52, 12)).toEqual({ start: 0, end: 5 });
    expect(rowRange(52_000, 800, 30, 52, 12)).toEqual({ start: 29, end: 30 });
    expect(rowRange(0, 800, 0, 52, 12)).toEqual({ start: 0, end: 0 });
  });

  it("scrolls a row into view by the least movement, and not at all when it is in view", () => {
    expect(scrollFor(5, 0, 520, 52)).toBeNull();
    expect(scrollFor(9, 0, 520, 52)).toBeNull();
    expect(scrollFor(10, 1_000, 520, 52)).toBe(520);
    expect(scrollFor(20, 0, 520, 52)).toBe(20 * 52 + 52 - 520);
  });
});
