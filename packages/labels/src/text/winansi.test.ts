import { describe, expect, it } from "vitest";
import { fitText, textWidth, toWinAnsi } from "./winansi.ts";

describe("WinAnsi text", () => {
  it("keeps Latin-1 letters and maps the 0x80-0x9F block (€, curly quotes, dashes)", () => {
    expect(toWinAnsi("Renée Ødegård")).toBe("Renée Ødegård");
    expect(toWinAnsi("€5 – “quoted”")).toBe("\x805 \x96 \x93quoted\x94");
  });

  it("gives readable ASCII for letters WinAnsi lacks", () => {
    expect(toWinAnsi("Łukasz Wałęsa")).toBe("Lukasz Walesa");
    expect(toWinAnsi("Đorđe Ħal Ŧ")).toBe("Dorde Hal T");
    expect(toWinAnsi("Őrs Čapek")).toBe("Ors Capek");
  });

  it("replaces what has no fallback with ? and drops control characters", () => {
    expect(toWinAnsi("北京 1")).toBe("?? 1");
    expect(toWinAnsi("a\u0007b\tc")).toBe("ab c");
  });

  it("measures with Helvetica's metrics and cuts long text with an ellipsis", () => {
    expect(textWidth("H", "regular", 1000)).toBe(722);
    expect(textWidth("H", "bold", 10)).toBeCloseTo(7.22);
    const cut = fitText("A very long address line that will not fit", "regular", 12, 100);
    expect(cut.endsWith("...")).toBe(true);
    expect(textWidth(cut, "regular", 12)).toBeLessThanOrEqual(100);
  });
});
