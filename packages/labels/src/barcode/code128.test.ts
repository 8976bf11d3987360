import bwipjs from "bwip-js/node";
import { describe, expect, it } from "vitest";
import { CODE128_PATTERNS, code128Checksum, code128Values, encodeCode128 } from "./code128.ts";

const bwipWidths = (text: string): number[] =>
  (bwipjs as unknown as { raw(b: string, t: string): { sbs: number[] }[] }).raw("code128", text)[0]?.sbs ??
  [];

describe("Code 128", () => {
  it("has 107 distinct patterns of 11 modules (the stop 13)", () => {
    expect(CODE128_PATTERNS).toHaveLength(107);
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
    CODE128_PATTERNS.forEach((p, v) => {
      const sum = [...p].reduce((a, c) => a + Number(c), 0);
      expect(sum, `symbol ${v}`).toBe(v === 106 ? 13 : 11);
    });
  });

  it("computes the modulo-103 checksum over start and weighted values", () => {
    // Start B (104), "P" (48), "J" (42), "J" (42), "1" (17), "2" (18), "3" (19):
    // 104 + 48 + 84 + 126 + 68 + 90 + 114 = 634; 634 mod 103 = 16.
    expect(code128Checksum([104, 48, 42, 42, 17, 18, 19])).toBe(16);
    expect(code128Values("PJJ123")).toEqual([104, 48, 42, 42, 17, 18, 19, 16]);
  });

  it("encodes an all-digit DPD parcel number in code set C, two digits a symbol", () => {
    const v = code128Values("15501234567890");
    expect(v[0]).toBe(105);
    expect(v.slice(1, -1)).toEqual([15, 50, 12, 34, 56, 78, 90]);
  });

  it("switches from B to C for the digit run inside a Royal Mail number and back", () => {
    // G Q 6 | 60 54 80 56 | G B : the odd digit stays in B, the pairs go in C.
    expect(code128Values("GQ660548056GB")).toEqual([104, 39, 49, 22, 99, 60, 54, 80, 56, 100, 39, 34, 85]);
  });

  it("stays in B for short digit runs where switching would cost more", () => {
    expect(code128Values("AB12CD")).not.toContain(99);
  });

  it.each([
    "GQ660548056GB",
    "H01HYA0004567890",
    "15501234567890",
    "1234567",
    "A",
    "x9",
    "Order #203-1234567-7654321",
  ])("gives the same bars as bwip-js for %s", (text) => {
    const code = encodeCode128(text);
    expect(code.widths).toEqual(bwipWidths(text));
    expect(code.modules).toBe(code.widths.reduce((a, b) => a + b, 0));
  });

  it("refuses characters outside printable ASCII with a message naming the position", () => {
    expect(() => encodeCode128("AB\u00e9")).toThrow(/character 3/);
    expect(() => encodeCode128("")).toThrow(/at least one character/);
  });
});
