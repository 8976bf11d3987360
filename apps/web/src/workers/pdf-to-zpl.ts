// A courier's PDF label as ZPL for a thermal printer: pdf.js renders its first page in this web
// worker (OffscreenCanvas, pdf.js's parser in the same thread) at the printer's resolution, one
// pixel per printer dot, at the label's own size (4x6 in stays 4x6, no scaling to the stock);
// pixels darker than mid-grey become dots, and the picture goes out as a ZPL graphic (^GFA).
// Bars drawn on whole points land within a dot of where the courier put them, so the barcodes
// scan as the courier drew them.

import { type Bitmap1, type PrinterProfile, zplGraphicLabel } from "@consign/labels";
// pdf.js's parser as its own worker file (Vite bundles it and gives its URL).
import parserUrl from "pdfjs-dist/build/pdf.worker.mjs?worker&url";
import { oneDocument } from "./one-document.ts";

type PdfJs = typeof import("pdfjs-dist");
let pdfjs: Promise<{ lib: PdfJs; worker: InstanceType<PdfJs["PDFWorker"]> }> | undefined;

/**
 * pdf.js, loaded on first use, with one parser shared by every label (setting one up per label
 * cost more than the label). The parser runs in its own thread, a worker started from this one,
 * so it reads the next page while this thread draws and reads back the last: the two halves of
 * the work overlap on a device with more than one core. Where a worker cannot start another
 * worker, the parser runs in this thread instead.
 */
function loadPdfJs() {
  pdfjs ??= (async () => {
    const lib = await import("pdfjs-dist");
    if (typeof Worker !== "undefined") {
      try {
        const port = new Worker(parserUrl, { type: "module", name: "pdf.js parser" });
        return { lib, worker: new lib.PDFWorker({ port: port as never }) };
      } catch {
        // fall through to the parser in this thread
      }
    }
    // The same file, run in this thread: it sets globalThis.pdfjsWorker, which pdf.js then uses.
    await import(/* @vite-ignore */ parserUrl);
    return { lib, worker: new lib.PDFWorker({}) };
  })();
  return pdfjs;
}

/** Where the time goes, summed over every label since the worker started (for the benchmark). */
export const pdfTimings = { labels: 0, mergeMs: 0, parseMs: 0, renderMs: 0, bitsMs: 0 };

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

const fontFiles = new Map<string, Promise<Uint8Array>>();

/**
 * pdf.js asks for a standard font (Helvetica is LiberationSans) once per document, and every
 * courier label is its own document: the file is fetched once per worker and kept.
 */
class CachedBinaryDataFactory {
  constructor(private readonly urls: { standardFontDataUrl?: string | null }) {}
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const base = kind === "standardFontDataUrl" ? this.urls.standardFontDataUrl : null;
    if (!base) throw new Error(`pdf.js asked for ${kind} ${filename}, which a label does not need.`);
    const url = `${base}${filename}`;
    let file = fontFiles.get(url);
    if (!file) {
      file = fetch(url).then(async (res) => {
        if (!res.ok) throw new Error(`Unable to load font data at: ${url} (${res.status})`);
        return new Uint8Array(await res.arrayBuffer());
      });
      fontFiles.set(url, file);
      file.catch(() => fontFiles.delete(url)); // a failed fetch is tried again next label
    }
    return (await file).slice(); // pdf.js may take the buffer over
  }
}

/**
 * Drawing surfaces kept for every label (a new 4 MB canvas per label cost as much as drawing it):
 * one per page in flight.
 */
const surfaces: { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D }[] = [];

function surfaceOf(lane: number, width: number, height: number) {
  let surface = surfaces[lane];
  if (!surface) {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d", { alpha: false, willReadFrequently: true });
    if (!ctx) throw new Error("This browser cannot draw in a web worker (no OffscreenCanvas 2D).");
    surface = { canvas, ctx };
    surfaces[lane] = surface;
  } else if (surface.canvas.width !== width || surface.canvas.height !== height) {
    surface.canvas.width = width;
    surface.canvas.height = height;
  }
  return surface;
}

/**
 * Reading the drawn label back. getImageData converts and copies every pixel into a new 4 MB
 * array (in Chromium the largest single cost of a courier label, ~15x the alternative); a
 * VideoFrame of the canvas copies its pixels as they are (BGRA or RGBA, green in the same bits)
 * into a buffer kept for the next label. The first label in a worker is read both ways and the
 * frame is used only if the dots agree, so a browser that draws frames differently loses speed,
 * never dots.
 */
let readMode: "frame" | "imageData" | undefined;
const frameBuffers: Uint8Array[] = [];
const FRAME_FORMATS = new Set(["BGRA", "BGRX", "RGBA", "RGBX"]);

function dotsViaImageData(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): Uint8Array {
  const rgba = ctx.getImageData(0, 0, width, height).data;
  return thresholdToBits(new Uint32Array(rgba.buffer, rgba.byteOffset, width * height), width, height);
}

async function dotsViaFrame(canvas: OffscreenCanvas, lane: number, width: number, height: number) {
  const frame = new VideoFrame(canvas, { timestamp: 0 });
  try {
    const rect = frame.visibleRect;
    if (!frame.format || !FRAME_FORMATS.has(frame.format) || rect?.width !== width || rect.height !== height)
      return null;
    const size = frame.allocationSize();
    let buffer = frameBuffers[lane];
    if (!buffer || buffer.byteLength < size) {
      buffer = new Uint8Array(size);
      frameBuffers[lane] = buffer;
    }
    const [plane] = await frame.copyTo(buffer);
    if (!plane || plane.offset % 4 !== 0 || plane.stride % 4 !== 0) return null;
    const pitch = plane.stride / 4;
    const px = new Uint32Array(buffer.buffer, buffer.byteOffset + plane.offset, pitch * (height - 1) + width);
    return thresholdToBits(px, width, height, pitch);
  } finally {
    frame.close();
  }
}

async function readDots(
  surface: { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D },
  lane: number,
  width: number,
  height: number,
): Promise<Uint8Array> {
  if (readMode !== "imageData" && typeof VideoFrame === "function") {
    try {
      const bits = await dotsViaFrame(surface.canvas, lane, width, height);
      if (bits && readMode === "frame") return bits;
      const sure = dotsViaImageData(surface.ctx, width, height);
      readMode = bits && sameBytes(bits, sure) ? "frame" : "imageData";
      return sure;
    } catch {
      readMode = "imageData";
    }
  }
  return dotsViaImageData(surface.ctx, width, height);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How this worker reads labels back (for the benchmark): "frame", "imageData" or not yet known. */
export const readBackMode = () => readMode ?? "unknown";

/** Pages drawn at once: one draws while the parser thread reads the next. */
const PAGES_IN_FLIGHT = 2;

/**
 * Pixels to printer dots: one 32-bit read per pixel (RGBA, little-endian), green below half is a
 * dot (labels are black on white, so one channel decides), eight dots packed per byte.
 */
export function thresholdToBits(
  px: Uint32Array,
  width: number,
  height: number,
  /** Pixels from one row to the next (a frame's rows may be padded). */
  pitch = width,
): Uint8Array {
  const rowBytes = (width + 7) >> 3;
  const bits = new Uint8Array(rowBytes * height);
  const whole = width & ~7;
  for (let y = 0; y < height; y++) {
    let p = y * pitch;
    let o = y * rowBytes;
    for (let x = 0; x < whole; x += 8, p += 8) {
      bits[o++] =
        ((px[p] as number) & 0x8000 ? 0 : 0x80) |
        ((px[p + 1] as number) & 0x8000 ? 0 : 0x40) |
        ((px[p + 2] as number) & 0x8000 ? 0 : 0x20) |
        ((px[p + 3] as number) & 0x8000 ? 0 : 0x10) |
        ((px[p + 4] as number) & 0x8000 ? 0 : 0x08) |
        ((px[p + 5] as number) & 0x8000 ? 0 : 0x04) |
        ((px[p + 6] as number) & 0x8000 ? 0 : 0x02) |
        ((px[p + 7] as number) & 0x8000 ? 0 : 0x01);
    }
    if (whole < width) {
      let byte = 0;
      for (let k = 0; whole + k < width; k++, p++) if (!((px[p] as number) & 0x8000)) byte |= 0x80 >> k;
      bits[o] = byte;
    }
  }
  return bits;
}

let queue: Promise<unknown> = Promise.resolve();

/** One use of the shared canvas at a time (a run and a test print may ask together). */
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const mine = queue.then(work);
  queue = mine.catch(() => undefined);
  return mine;
}

type PdfDoc = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;

async function openPdf(bytes: Uint8Array) {
  const { lib, worker } = await loadPdfJs();
  return lib.getDocument({
    worker,
    data: bytes,
    CanvasFactory: OffscreenCanvasFactory,
    FilterFactory: NoFilterFactory,
    BinaryDataFactory: CachedBinaryDataFactory,
    standardFontDataUrl: STANDARD_FONTS,
    useWorkerFetch: false,
    disableFontFace: true,
    useWasm: false,
    isEvalSupported: false,
    stopAtErrors: true,
    verbosity: 0, // errors only: warnings about a courier's fonts cost time, and stopAtErrors reports what matters
  } as Parameters<PdfJs["getDocument"]>[0]);
}

/** Draws page `n` of an open document at `dpi` on the shared canvas and reads it back as dots. */
async function renderPage(doc: PdfDoc, n: number, dpi: number, lane = 0): Promise<Bitmap1> {
  const t0 = performance.now();
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.round(viewport.width);
  const height = Math.round(viewport.height);
  const surface = surfaceOf(lane, width, height);
  const { canvas, ctx } = surface;
  // pdf.js paints the page white first (beginDrawing), so the last label never shows through.
  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: ctx,
    viewport,
    background: "#ffffff",
  } as never).promise;
  page.cleanup();
  const t1 = performance.now();
  const bits = await readDots(surface, lane, width, height);
  pdfTimings.labels++;
  pdfTimings.renderMs += t1 - t0;
  pdfTimings.bitsMs += performance.now() - t1;
  return { width, height, rowBytes: (width + 7) >> 3, bits };
}

/** Renders page 1 of `pdf` at `dpi` to 1-bit rows (1 = black). */
export function pdfToBitmap(pdf: Uint8Array, dpi: number): Promise<Bitmap1> {
  return exclusive(async () => {
    const t0 = performance.now();
    const task = await openPdf(pdf.slice()); // pdf.js may take the buffer over
    try {
      const doc = await task.promise;
      pdfTimings.parseMs += performance.now() - t0;
      return await renderPage(doc, 1, dpi);
    } finally {
      await task.destroy();
    }
  });
}

/**
 * Several courier PDF labels to dots at `dpi`, in order: one Error (in words) in place of a
 * label that could not be drawn, the rest drawn all the same.
 */
export function pdfsToBitmaps(pdfs: readonly Uint8Array[], dpi: number): Promise<(Bitmap1 | Error)[]> {
  if (pdfs.length === 1)
    return pdfToBitmap(pdfs[0] as Uint8Array, dpi).then(
      (b) => [b],
      (e) => [asError(e)],
    );
  return exclusive(async () => {
    const t0 = performance.now();
    const { bytes, pageOf } = await oneDocument(pdfs);
    const t1 = performance.now();
    pdfTimings.mergeMs += t1 - t0;
    const results: (Bitmap1 | Error | null)[] = pageOf.map(() => null);
    if (pageOf.some((p) => p !== null)) {
      const task = await openPdf(bytes);
      try {
        const doc = await task.promise;
        pdfTimings.parseMs += performance.now() - t1;
        let next = 0;
        const lane = async (l: number) => {
          while (next < pageOf.length) {
            const i = next++;
            const n = pageOf[i];
            if (n === null || n === undefined) continue;
            // a page that fails here is tried again from its own file below, for pdf.js's own words
            results[i] = await renderPage(doc, n, dpi, l).catch(() => null);
          }
        };
        await Promise.all(Array.from({ length: PAGES_IN_FLIGHT }, (_, l) => lane(l)));
      } catch {
        // the joined file would not open: each label is tried on its own below
      } finally {
        await task.destroy();
      }
    }
    return results;
  }).then(async (results) => {
    const out: (Bitmap1 | Error)[] = [];
    for (const [i, r] of results.entries()) {
      if (r) out.push(r);
      else out.push(await pdfToBitmap(pdfs[i] as Uint8Array, dpi).catch(asError));
    }
    return out;
  });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A courier's PDF label as one ZPL format for the printer profile. */
export async function pdfLabelToZpl(pdf: Uint8Array, profile: PrinterProfile): Promise<string> {
  return zplGraphicLabel(await pdfToBitmap(pdf, profile.dpi), profile);
}

/**
 * Courier PDF labels as ZPL formats, in order; an Error in words where one could not be made.
 * `draw` turns the PDFs into dots (this thread's pdfsToBitmaps unless a pool is given).
 */
export async function pdfLabelsToZpl(
  pdfs: readonly Uint8Array[],
  profile: PrinterProfile,
  draw: (pdfs: readonly Uint8Array[], dpi: number) => Promise<(Bitmap1 | Error)[]> = pdfsToBitmaps,
): Promise<(string | Error)[]> {
  const bitmaps = await draw(pdfs, profile.dpi);
  return bitmaps.map((b) => {
    if (b instanceof Error) return b;
    try {
      return zplGraphicLabel(b, profile);
    } catch (err) {
      return asError(err);
    }
  });
}
