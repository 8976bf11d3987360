import { describe, expect, it } from "vitest";
import { shareCount, shares } from "./render-shares.ts";

describe("sharing a batch of courier labels between threads", () => {
  it("splits labels into runs of near-equal length, in order, none lost or repeated", () => {
    const labels = Array.from({ length: 10 }, (_, i) => i);
    expect(shares(labels, 3)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    for (let n = 0; n <= 23; n++)
      for (let k = 1; k <= 4; k++) {
        const parts = shares(
          Array.from({ length: n }, (_, i) => i),
          k,
        );
        expect(parts).toHaveLength(k);
        expect(parts.flat()).toEqual(Array.from({ length: n }, (_, i) => i));
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
  });

  it("uses as many threads as the device has cores, at most four, and none for a few labels", () => {
    expect(shareCount(10, 2)).toBe(2);
    expect(shareCount(10, 8)).toBe(3); // at least 3 labels a thread
    expect(shareCount(100, 8)).toBe(4);
    expect(shareCount(100, 1)).toBe(1);
    expect(shareCount(5, 4)).toBe(1);
    expect(shareCount(1, 4)).toBe(1);
  });
});
