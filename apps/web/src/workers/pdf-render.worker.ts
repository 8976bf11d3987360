// A helper of the labels worker: draws a share of a run's courier PDF labels at the printer's dpi,
// so a run uses every core of the tablet instead of one. Started by render-pool.ts, only from the
// labels worker; each has its own pdf.js (and parser thread).

import type { Bitmap1 } from "@consign/labels";
import { expose, transfer } from "comlink";
import { pdfsToBitmaps } from "./pdf-to-zpl.ts";

/** A label that could not be drawn crosses the thread as its words. */
export type DrawnOrError = Bitmap1 | { error: string };

const api = {
  async pdfsToBitmaps(pdfs: Uint8Array[], dpi: number): Promise<DrawnOrError[]> {
    const drawn = await pdfsToBitmaps(pdfs, dpi);
    const out = drawn.map((d) => (d instanceof Error ? { error: d.message } : d));
    return transfer(
      out,
      drawn.flatMap((d) => (d instanceof Error ? [] : [d.bits.buffer as ArrayBuffer])),
    );
  },
};

export type RenderWorkerApi = typeof api;
expose(api);
