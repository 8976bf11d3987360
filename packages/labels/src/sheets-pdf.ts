// Puts a run of 4x6 label pages (the labels worker's print file, or a run's labels.pdf) on the sheets the
// seller's printer takes: left as they are for a 4x6 thermal printer, two to an A4 sheet (turned
// a quarter, top half and bottom half) or four to an A4 sheet (at 95%), in the same places
// @consign/labels draws its own A4 sheets. Runs in the labels worker; no DOM, no I/O.

import { degrees, PDFDocument } from "pdf-lib";
import type { LabelLayout } from "./layout/sheets.ts";

export const LABEL_SIZE = { width: 288, height: 432 } as const;
export const A4_SIZE = { width: 595.28, height: 841.89 } as const;
const DOT = 72 / 203;
/** Whole 203-dpi dots, so barcodes keep their dot grid when a sheet is printed at 100%. */
const snap = (points: number) => Math.round(points / DOT) * DOT;

/** Labels on one sheet of `layout`. */
export function labelsPerSheet(layout: LabelLayout): number {
  return layout === "4x6" ? 1 : layout === "a4-2up" ? 2 : 4;
}

/** `n` labels rounded up to whole sheets, so a run split into parts wastes no label stock between parts. */
export const wholeSheets = (n: number, layout: LabelLayout) =>
  Math.ceil(n / labelsPerSheet(layout)) * labelsPerSheet(layout);

interface Slot {
  x: number;
  y: number;
  scale: number;
  rotate: 0 | 90;
}

function slots(layout: Exclude<LabelLayout, "4x6">): Slot[] {
  const { width: W, height: H } = A4_SIZE;
  const { width: w, height: h } = LABEL_SIZE;
  if (layout === "a4-2up") {
    // Turned 90° anticlockwise about (x, y): the label's (px, py) lands at (x - py, y + px).
    return [H * 0.75, H * 0.25].map((cy) => ({
      x: snap(W / 2 + h / 2),
      y: snap(cy - w / 2),
      scale: 1,
      rotate: 90,
    }));
  }
  const scale = 0.95;
  const out: Slot[] = [];
  for (const cy of [H * 0.75, H * 0.25]) {
    for (const cx of [W * 0.25, W * 0.75]) {
      out.push({ x: snap(cx - (w * scale) / 2), y: snap(cy - (h * scale) / 2), scale, rotate: 0 });
    }
  }
  return out;
}

/**
 * The print file for `layout`: every page of `labels` (4x6 pages, in order) placed on A4 sheets,
 * or `labels` unchanged for "4x6".
 */
export async function labelsOnSheets(labels: Uint8Array, layout: LabelLayout): Promise<Uint8Array> {
  if (layout === "4x6") return labels;
  const places = slots(layout);
  const src = await PDFDocument.load(labels, { updateMetadata: false });
  const out = await PDFDocument.create();
  const pages = await out.embedPages(src.getPages());
  for (let i = 0; i < pages.length; i += places.length) {
    const sheet = out.addPage([A4_SIZE.width, A4_SIZE.height]);
    for (const [n, slot] of places.entries()) {
      const page = pages[i + n];
      if (!page) break;
      sheet.drawPage(page, {
        x: slot.x,
        y: slot.y,
        xScale: slot.scale,
        yScale: slot.scale,
        rotate: degrees(slot.rotate),
      });
    }
  }
  return out.save({ objectsPerTick: Number.POSITIVE_INFINITY });
}
