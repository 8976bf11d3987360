// Renders real label PDFs at 203 dpi and reads every barcode back with zbar and libdmtx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawLabel } from "../src/layout/label-4x6.ts";
import { applyTransform, LAYOUTS, type LabelLayout } from "../src/layout/sheets.ts";
import { Content } from "../src/pdf/content.ts";
import { renderLabels } from "../src/render-labels.ts";
import { type Rect, Renderer, readCode128, readDataMatrix, requireTools } from "./decoders.ts";
import { sampleLabel, TRACKING_NUMBERS } from "./fixtures.ts";

const labels = TRACKING_NUMBERS.map((t, i) => sampleLabel(t, i));

/** Where label `index`'s DataMatrix lands on its page. */
function dataMatrixOnPage(layout: LabelLayout, index: number): { page: number; rect: Rect } {
  const sheet = LAYOUTS[layout];
  const perPage = sheet.slots.length;
  const t = sheet.slots[index % perPage];
  if (!t) throw new Error("no slot");
  const placed = drawLabel(new Content(), labels[index] ?? labels[0]!).dataMatrix;
  const corners = [
    applyTransform(t, placed.x, placed.y),
    applyTransform(t, placed.x + placed.size, placed.y + placed.size),
  ];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const rect = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
  return { page: Math.floor(index / perPage) + 1, rect };
}

beforeAll(() => requireTools());

describe.each(["4x6", "a4-2up", "a4-4up"] as const)("labels on %s pages, printed at 203 dpi", (layout) => {
  let renderer: Renderer;
  beforeAll(() => {
    renderer = new Renderer(renderLabels(labels, { layout }), LAYOUTS[layout].height);
  });
  afterAll(() => renderer?.dispose());

  it("every Code 128 reads back as its tracking number", () => {
    const perPage = LAYOUTS[layout].slots.length;
    const pages = Math.ceil(labels.length / perPage);
    const found: string[] = [];
    for (let p = 1; p <= pages; p++) found.push(...readCode128(renderer.png(p)));
    expect(found.sort()).toEqual([...TRACKING_NUMBERS].sort());
  });

  it("every DataMatrix reads back and carries its tracking number", () => {
    labels.forEach((label, i) => {
      const { page, rect } = dataMatrixOnPage(layout, i);
      const text = readDataMatrix(renderer.png(page, rect));
      expect(text, `DataMatrix of label ${i + 1} (${label.trackingNumber})`).toContain(label.trackingNumber);
      if (label.dataMatrix) expect(text).toBe(label.dataMatrix);
    });
  });
});

describe("long tracking numbers", () => {
  const long = ["TBA305123456789", "JD014600006281234567890123", "1Z999AA10123456784ABCDEFGHIJ"];
  let renderer: Renderer;
  beforeAll(() => {
    renderer = new Renderer(renderLabels(long.map((t, i) => sampleLabel(t, i))), 432);
  });
  afterAll(() => renderer?.dispose());

  it("drop to 2-dot modules to fit the label and still read at 203 dpi", () => {
    expect(long.map((_, i) => readCode128(renderer.png(i + 1)))).toEqual(long.map((t) => [t]));
  });
});
