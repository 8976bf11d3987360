import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { A4_SIZE, LABEL_SIZE, labelsOnSheets, wholeSheets } from "./print-sheets.ts";

/** A print file of `n` 4x6 pages, each with its number drawn on it. */
async function labels(n: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < n; i++) pdf.addPage([LABEL_SIZE.width, LABEL_SIZE.height]).drawText(`label ${i + 1}`);
  return pdf.save();
}
const sizes = async (bytes: Uint8Array) =>
  (await PDFDocument.load(bytes)).getPages().map((p) => {
    const { width, height } = p.getSize();
    return [Math.round(width * 100) / 100, Math.round(height * 100) / 100];
  });

describe("labels on the printer's sheets", () => {
  it("leaves a 4x6 run as it is", async () => {
    const run = await labels(3);
    expect(await labelsOnSheets(run, "4x6")).toBe(run);
  });

  it("puts two labels on each A4 sheet, the last sheet half used", async () => {
    const out = await labelsOnSheets(await labels(5), "a4-2up");
    expect(await sizes(out)).toEqual(Array(3).fill([A4_SIZE.width, A4_SIZE.height]));
  });

  it("puts four labels on each A4 sheet", async () => {
    expect((await sizes(await labelsOnSheets(await labels(4), "a4-4up"))).length).toBe(1);
    expect((await sizes(await labelsOnSheets(await labels(9), "a4-4up"))).length).toBe(3);
  });

  it("draws each label once on its sheet", async () => {
    const out = await PDFDocument.load(await labelsOnSheets(await labels(2), "a4-2up"));
    // Each label is drawn as a form XObject: two on the one sheet.
    const sheet = out.getPages()[0]!;
    const xobjects = sheet.node.Resources()?.lookup(PDFName.of("XObject"), PDFDict);
    expect(xobjects?.keys().length).toBe(2);
  });

  it("splits a run only between whole sheets", () => {
    expect([wholeSheets(10, "4x6"), wholeSheets(10, "a4-2up"), wholeSheets(10, "a4-4up")]).toEqual([
      10, 10, 12,
    ]);
    expect(wholeSheets(50, "a4-4up")).toBe(52);
  });
});
