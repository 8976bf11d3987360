import { PDFDocument, StandardFonts } from "pdf-lib";
import { afterAll, describe, expect, it } from "vitest";
import { Renderer, readCode128, requireTools } from "../test/decoders.ts";
import { sampleLabel } from "../test/fixtures.ts";
import { pageSizes } from "../test/pdf-text.ts";
import { mergePdfs } from "./merge.ts";
import { renderLabels } from "./render-labels.ts";

async function courierPdf(width: number, height: number, text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([width, height]).drawText(text, { x: 30, y: height - 60, size: 24, font });
  return doc.save();
}

describe("merging courier PDFs into the print run", () => {
  const renderers: Renderer[] = [];
  afterAll(() => {
    for (const r of renderers) r.dispose();
  });

  it("makes every page 4x6, scaling A4 and landscape 6x4 pages to fit", async () => {
    const ours = renderLabels([sampleLabel("GQ660548056GB"), sampleLabel("15501234567890", 1)]);
    const merged = await mergePdfs([
      ours,
      await courierPdf(595.28, 841.89, "A4 courier"),
      await courierPdf(432, 288, "6x4"),
    ]);
    const sizes = await pageSizes(merged);
    expect(sizes).toHaveLength(4);
    for (const s of sizes) expect(s).toEqual({ width: 288, height: 432 });
  });

  it("keeps barcodes readable after merging", async () => {
    requireTools();
    const merged = await mergePdfs([renderLabels([sampleLabel("H01HYA0004567890")])]);
    const r = new Renderer(merged, 432);
    renderers.push(r);
    expect(readCode128(r.png(1))).toEqual(["H01HYA0004567890"]);
  });

  it("says which document is not a PDF", async () => {
    await expect(mergePdfs([new TextEncoder().encode("<html>")])).rejects.toThrow(
      /document 1 is not a readable PDF/,
    );
  });
});
