import { describe, expect, it } from "vitest";
import { uniqueLabels } from "../test/fixtures.ts";
import { pageSizes, pdfText } from "../test/pdf-text.ts";
import { LabelRun, renderLabelChunks, renderLabels } from "./render-labels.ts";

const seven = uniqueLabels(7);

describe("label PDFs", () => {
  it("puts one label on each 4x6 page", async () => {
    const sizes = await pageSizes(renderLabels(seven, { layout: "4x6" }));
    expect(sizes).toHaveLength(7);
    expect(sizes[0]).toEqual({ width: 288, height: 432 });
  });

  it("puts two labels on each A4 page for 2-up and four for 4-up", async () => {
    const two = await pageSizes(renderLabels(seven, { layout: "a4-2up" }));
    const four = await pageSizes(renderLabels(seven, { layout: "a4-4up" }));
    expect(two).toHaveLength(4);
    expect(four).toHaveLength(2);
    expect(four[0]?.width).toBeCloseTo(595.28);
    expect(four[0]?.height).toBeCloseTo(841.89);
  });

  it("writes the label text in WinAnsi Helvetica, with fallbacks for letters it lacks", () => {
    const text = pdfText(renderLabels(seven.slice(0, 1), { compress: true }));
    expect(text).toContain("Zofia Lukaszewska-Brown");
    expect(text).toContain("M19 2LT");
    expect(text).toContain(seven[0]?.trackingNumber);
    expect(text).toContain(seven[0]?.orderId);
    expect(text).toContain("Hebden Hobby Supplies Ltd");
  });

  it("stays under 1 KB a label when compressed", () => {
    const labels = uniqueLabels(200);
    const compressed = renderLabels(labels).length;
    expect(compressed / labels.length).toBeLessThan(1024);
    expect(compressed).toBeLessThan(renderLabels(labels, { compress: false }).length * 0.8);
  });

  it("gives the first 50 labels as a complete PDF of their own, then the rest", async () => {
    const labels = uniqueLabels(120);
    const parts = [...renderLabelChunks(labels, { first: 50 })];
    expect(parts.map((p) => [p.from, p.count])).toEqual([
      [0, 50],
      [50, 70],
    ]);
    expect(await pageSizes(parts[0]?.pdf ?? new Uint8Array())).toHaveLength(50);
    expect(await pageSizes(parts[1]?.pdf ?? new Uint8Array())).toHaveLength(70);
  });

  it("splits later parts by chunkSize", () => {
    const parts = [...renderLabelChunks(uniqueLabels(25), { first: 5, chunkSize: 8 })];
    expect(parts.map((p) => p.count)).toEqual([5, 8, 8, 4]);
  });

  it("lets a run flush a PDF, keep going and flush again", async () => {
    const run = new LabelRun({ layout: "a4-4up" });
    for (const l of seven.slice(0, 5)) run.add(l);
    expect(run.pending).toBe(5);
    const first = run.flush();
    run.add(seven[5]!);
    const second = run.flush();
    expect(await pageSizes(first)).toHaveLength(2);
    expect(await pageSizes(second)).toHaveLength(1);
    expect(() => run.flush()).toThrow(/no labels to print/);
  });

  it("refuses a label without a tracking number, naming the label and field", () => {
    const bad = { ...seven[0]!, trackingNumber: " " };
    expect(() => renderLabels([seven[1]!, bad])).toThrow(/Label 2 .*trackingNumber is empty/);
  });
});
