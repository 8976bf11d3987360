import { describe, expect, it } from "vitest";
import { rowRange, scrollFor, slotCount, slotRows } from "./row-window.ts";

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

  it("keeps each row in its slot while it stays in view, so a flick redraws only the rows that came in", () => {
    const slots = slotCount(800, 52, 6); // 16 rows in view, a part-row, 6 either side
    expect(slots).toBe(29);
    const at = (scrollTop: number) => slotRows(rowRange(scrollTop, 800, 50_000, 52, 6).start, slots, 50_000);
    const before = at(52_000); // row 1,000 at the top
    const after = at(52_000 + 4 * 52); // a frame of a fast flick: four rows on
    const changed = before.flatMap((row, k) => (after[k] === row ? [] : [k]));
    expect(changed).toHaveLength(4);
    // Every row of the window is drawn once (and one row more, so no slot empties as the list moves).
    const drawn = after.filter((r) => r >= 0).sort((a, b) => a - b);
    const { start, end } = rowRange(52_000 + 4 * 52, 800, 50_000, 52, 6);
    expect(drawn).toEqual(Array.from({ length: slots }, (_, i) => start + i));
    expect(drawn.at(-1)).toBeGreaterThanOrEqual(end - 1);
    // A jump further than the window redraws every slot, once.
    const jumped = at(2_000_000);
    expect(jumped.filter((r, k) => r !== after[k] && r >= 0)).toHaveLength(slots);
  });

  it("leaves the slots past a short list empty, and at the top draws the rows in order", () => {
    expect(slotRows(0, 29, 5)).toEqual([0, 1, 2, 3, 4, ...new Array(24).fill(-1)]);
    expect(slotRows(0, 29, 50_000)).toEqual(Array.from({ length: 29 }, (_, i) => i));
    // Scrolled to the end: the last rows, each in its own slot.
    expect(
      slotRows(49_980, 29, 50_000)
        .filter((r) => r >= 0)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 20 }, (_, i) => 49_980 + i));
  });
});
