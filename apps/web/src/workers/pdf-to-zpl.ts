// A courier's PDF label as ZPL for a thermal printer: pdf.js renders its first page in this web
// worker (OffscreenCanvas, pdf.js's parser in the same thread) at the printer's resolution, one
// pixel per printer dot, at the label's own size (4x6 in stays 4x6, no scaling to the stock);
// pixels darker than mid-grey become dots, and the picture goes out as a ZPL graphic (^GFA).
// Bars drawn on whole points land within a dot of where the courier put them, so the barcodes
// scan as the courier drew them.

import { type Bitmap1, type PrinterProfile, zplGraphicLabel } from "@consign/labels";

type PdfJs = typeof import("pdfjs-dist");
let pdfjs: Promise<{ lib: PdfJs; worker: InstanceType<PdfJs["PDFWorker"]> }> | undefined;

/**
 * pdf.js, loaded on first use, with its parser running in this (already off-main-thread) worker
 * and one parser shared by every label (setting one up per label cost more than the label).
 */
function loadPdfJs() {
  pdfjs ??= (async () => {
    // @ts-expect-error pdf.js ships no declarations for its worker module
    const parser = await import("pdfjs-dist/build/pdf.worker.mjs");
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = parser;
    const lib = await import("pdfjs-dist");
    return { lib, worker: new lib.PDFWorker({}) };
  })();
  return pdfjs;
}

/** Where the time goes, summed over every label since the worker started (for the benchmark). */
export const pdfTimings = { labels: 0, parseMs: 0, renderMs: 0, bitsMs: 0 };

interface CanvasAndContext {
  canvas: OffscreenCanvas | null;
  context: OffscreenCanvasRenderingContext2D | null;
}

/** pdf.js's canvas factory, on OffscreenCanvas (a worker has no document). */
class OffscreenCanvasFactory {
  create(width: number, height: number): CanvasAndContext {
    const canvas = new OffscreenCanvas(width, height);
    return { canvas, context: canvas.getContext("2d", { willReadFrequently: true }) };
  }
  reset(entry: CanvasAndContext, width: number, height: number): void {
    if (!entry.canvas) throw new Error("Canvas is not specified");
    entry.canvas.width = width;
    entry.canvas.height = height;
  }
  destroy(entry: CanvasAndContext): void {
    if (entry.canvas) entry.canvas.width = entry.canvas.height = 0;
    entry.canvas = null;
    entry.context = null;
  }
  getNoAlphaContext(canvas: OffscreenCanvas) {
    return canvas.getContext("2d", { alpha: false, willReadFrequently: true });
  }
}

/** pdf.js's SVG filters need a document; labels need none of them. */
class NoFilterFactory {
  addFilter() {
    return "none";
  }
  addHCMFilter() {
    return "none";
  }
  addAlphaFilter() {
    return "none";
  }
  addLuminosityFilter() {
    return "none";
  }
  addKnockoutFilter() {
    return "none";
  }
  addHighlightHCMFilter() {
    return "none";
  }
  addSelectionHCMFilter() {
    return "none";
  }
  addSelectionFilter() {
    return "none";
  }
  createSelectionStyle() {
    return null;
  }
  destroy() {}
}

/** Where the PWA serves pdf.js's standard fonts (copied there by vite.config.ts). */
const STANDARD_FONTS = new URL("/pdfjs/standard_fonts/", self.location.origin).href;

/** Renders page 1 of `pdf` at `dpi` to 1-bit rows (1 = black). */
export async function pdfToBitmap(pdf: Uint8Array, dpi: number): Promise<Bitmap1> {
  const { lib, worker } = await loadPdfJs();
  const t0 = performance.now();
  const task = lib.getDocument({
    worker,
    data: pdf.slice(), // pdf.js may take the buffer over
    CanvasFactory: OffscreenCanvasFactory,
    FilterFactory: NoFilterFactory,
    standardFontDataUrl: STANDARD_FONTS,
    disableFontFace: true,
    useWasm: false,
    isEvalSupported: false,
    stopAtErrors: true,
  } as Parameters<PdfJs["getDocument"]>[0]);
  try {
    const doc = await task.promise;
    const page = await doc.getPage(1);
    const t1 = performance.now();
    const viewport = page.getViewport({ scale: dpi / 72 });
    const width = Math.round(viewport.width);
    const height = Math.round(viewport.height);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d", { alpha: false, willReadFrequently: true });
    if (!ctx) throw new Error("This browser cannot draw in a web worker (no OffscreenCanvas 2D).");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    await page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: ctx,
      viewport,
    } as never).promise;
    const t2 = performance.now();
    const rgba = ctx.getImageData(0, 0, width, height).data;
    // One 32-bit read per pixel (RGBA, little-endian): green below half is a dot. Labels are
    // black on white, so one channel decides, and a byte of 8 dots is written at a time.
    const px = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
    const rowBytes = (width + 7) >> 3;
    const bits = new Uint8Array(rowBytes * height);
    for (let y = 0, p = 0; y < height; y++) {
      const row = y * rowBytes;
      for (let x = 0; x < width; x += 8) {
        let byte = 0;
        const end = Math.min(8, width - x);
        for (let k = 0; k < end; k++, p++) if (((px[p] as number) & 0xff00) < 0x8000) byte |= 0x80 >> k;
        bits[row + (x >> 3)] = byte;
      }
    }
    pdfTimings.labels++;
    pdfTimings.parseMs += t1 - t0;
    pdfTimings.renderMs += t2 - t1;
    pdfTimings.bitsMs += performance.now() - t2;
    return { width, height, rowBytes, bits };
  } finally {
    await task.destroy();
  }
}

/** A courier's PDF label as one ZPL format for the printer profile. */
export async function pdfLabelToZpl(pdf: Uint8Array, profile: PrinterProfile): Promise<string> {
  return zplGraphicLabel(await pdfToBitmap(pdf, profile.dpi), profile);
}
