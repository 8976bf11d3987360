import bwipjs from "bwip-js/node";
import { describe, expect, it } from "vitest";
import { dataMatrixAscii, encodeDataMatrix } from "./datamatrix.ts";
import { reedSolomon } from "./reed-solomon.ts";

const bwipMatrix = (text: string) =>
  (bwipjs as unknown as { raw(b: string, t: string): { pixs: number[]; pixx: number }[] }).raw(
    "datamatrix",
    text,
  )[0];

describe("DataMatrix ECC 200", () => {
  it("matches the ISO/IEC 16022 example: '123456' → 142 164 186 + RS 114 25 5 88 102", () => {
    const dm = encodeDataMatrix("123456");
    expect(dm.size).toBe(10);
    expect([...dm.codewords]).toEqual([142, 164, 186, 114, 25, 5, 88, 102]);
    expect([...reedSolomon([142, 164, 186], 5)]).toEqual([114, 25, 5, 88, 102]);
  });

  it("packs digit pairs into one codeword and shifts Latin-1 letters", () => {
    expect(dataMatrixAscii("A1234")).toEqual([66, 142, 164]);
    expect(dataMatrixAscii("é")).toEqual([235, 0xe9 - 127]);
    expect(() => dataMatrixAscii("Ł")).toThrow(/ISO 8859-1/);
  });

  it("pads with 129 then the randomised 253-state pad codewords", () => {
    const dm = encodeDataMatrix("A"); // 1 data codeword in a 10x10 (3 data codewords)
    expect([...dm.codewords.slice(0, 3)]).toEqual([66, 129, 70]);
  });

  it("draws the solid L finder and the alternating timing edges", () => {
    const { size, modules } = encodeDataMatrix("GQ660548056GB");
    const at = (r: number, c: number) => modules[r * size + c];
    for (let i = 0; i < size; i++) {
      expect(at(i, 0)).toBe(1); // left column
      expect(at(size - 1, i)).toBe(1); // bottom row
      expect(at(0, i)).toBe(i % 2 === 0 ? 1 : 0); // top row
      expect(at(i, size - 1)).toBe(i % 2 === 1 ? 1 : 0); // right column
    }
  });

  it("draws the inner finder lines of the four-region 32x32 symbol", () => {
    const dm = encodeDataMatrix("9".repeat(110)); // 55 codewords → 32x32
    expect(dm.size).toBe(32);
    for (let i = 0; i < 32; i++) expect(dm.modules[i * 32 + 16]).toBe(1); // left edge of the right regions
  });

  it.each([
    "123456",
    "12345678901234567890",
    "0".repeat(61),
    "x1234567890123456789012345678901234567890123456789012345678901",
  ])("places modules exactly as bwip-js does for %s", (text) => {
    const mine = encodeDataMatrix(text);
    const theirs = bwipMatrix(text);
    expect(mine.size).toBe(theirs?.pixx);
    expect([...mine.modules]).toEqual(theirs?.pixs);
  });

  it("fits a 60-character Mailmark-like payload in at most 32x32", () => {
    expect(
      encodeDataMatrix("JGB 011GQ660548056GBM192LT  HX76DL 0123456789ABCDEFGHIJKLMNOP").size,
    ).toBeLessThanOrEqual(32);
  });

  it("refuses text longer than a 48x48 symbol holds", () => {
    expect(() => encodeDataMatrix("A".repeat(200))).toThrow(/too long/);
  });
});
