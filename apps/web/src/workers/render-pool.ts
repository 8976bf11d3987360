// Courier PDF labels drawn on every core: the labels worker draws the first share of a batch itself
// and hands the others to helper workers (pdf-render.worker.ts), each with its own pdf.js, then puts
// the results back in order. Drawing is the slow part of sending a courier's PDF to a thermal
// printer, and one thread of it used one core of a four- or eight-core tablet. Where a helper cannot
// start or fails, its share is drawn here instead: a label is never lost to the pool.

import type { Bitmap1 } from "@consign/labels";
import { type Remote, wrap } from "comlink";
import type { RenderWorkerApi } from "./pdf-render.worker.ts";
import { pdfsToBitmaps } from "./pdf-to-zpl.ts";
import { shareCount, shares } from "./render-shares.ts";

const helpers: (Remote<RenderWorkerApi> | null)[] = [];

function helper(i: number): Remote<RenderWorkerApi> | null {
  if (helpers[i] === undefined) {
    try {
      helpers[i] = wrap<RenderWorkerApi>(
        new Worker(new URL("./pdf-render.worker.ts", import.meta.url), {
          type: "module",
          name: `label renderer ${i + 1}`,
        }),
      );
    } catch {
      helpers[i] = null; // no nested workers here: this thread draws everything
    }
  }
  return helpers[i] ?? null;
}

async function drawElsewhere(i: number, pdfs: Uint8Array[], dpi: number): Promise<(Bitmap1 | Error)[]> {
  const h = helper(i);
  if (h) {
    try {
      const drawn = await h.pdfsToBitmaps(pdfs, dpi);
      return drawn.map((d) => ("error" in d ? new Error(d.error) : d));
    } catch {
      helpers[i] = null; // a helper that failed once is not asked again; its share is drawn here
    }
  }
  return pdfsToBitmaps(pdfs, dpi);
}

/** Several courier PDF labels to dots at `dpi`, in order, on as many threads as the device has. */
export async function pdfsToBitmapsOnEveryCore(
  pdfs: readonly Uint8Array[],
  dpi: number,
): Promise<(Bitmap1 | Error)[]> {
  const n = typeof Worker === "undefined" ? 1 : shareCount(pdfs.length);
  if (n <= 1) return pdfsToBitmaps(pdfs, dpi);
  const parts = shares(pdfs, n);
  const drawn = await Promise.all(
    parts.map((part, i) => (i === 0 ? pdfsToBitmaps(part, dpi) : drawElsewhere(i - 1, part, dpi))),
  );
  return drawn.flat();
}
