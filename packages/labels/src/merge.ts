// Merges courier label PDFs (and our own) page by page into one 4x6 print run. Pages that are
// already 4x6 are copied as they are; any other size is scaled to fit, turned a quarter when
// that makes it bigger (an A4 or landscape 6x4 label on a portrait 4x6 page).
import { ConsignError, ErrorCode } from "@consign/domain";
import { degrees, PDFDocument } from "pdf-lib";
import { LABEL_HEIGHT, LABEL_WIDTH } from "./layout/label-4x6.ts";

export interface MergeOptions {
  /** Space left around a scaled page, in points (default 4). */
  margin?: number;
}

const isLabelSize = (w: number, h: number) =>
  Math.abs(w - LABEL_WIDTH) < 1.5 && Math.abs(h - LABEL_HEIGHT) < 1.5;

export async function mergePdfs(
  documents: readonly Uint8Array[],
  options: MergeOptions = {},
): Promise<Uint8Array> {
  const margin = options.margin ?? 4;
  const out = await PDFDocument.create();
  for (const [index, bytes] of documents.entries()) {
    let src: PDFDocument;
    try {
      src = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    } catch (e) {
      throw new ConsignError(
        ErrorCode.UpstreamMalformed,
        `Label document ${index + 1} is not a readable PDF (${(e as Error).message}); download it from the courier again.`,
      );
    }
    const pages = src.getPages();
    for (let p = 0; p < pages.length; p++) {
      const page = pages[p];
      if (!page) continue;
      const { width, height } = page.getSize();
      const turn = ((page.getRotation().angle % 360) + 360) % 360;
      const upright = turn === 90 || turn === 270 ? { w: height, h: width } : { w: width, h: height };
      if (turn === 0 && isLabelSize(width, height)) {
        const [copy] = await out.copyPages(src, [p]);
        if (copy) out.addPage(copy);
        continue;
      }
      const embedded = await out.embedPage(page);
      const boxW = LABEL_WIDTH - 2 * margin;
      const boxH = LABEL_HEIGHT - 2 * margin;
      const straight = Math.min(boxW / upright.w, boxH / upright.h);
      const turned = Math.min(boxW / upright.h, boxH / upright.w);
      const extra = turned > straight * 1.05 ? 90 : 0;
      const scale = extra ? turned : straight;
      // Final anticlockwise rotation of the embedded (unrotated) page.
      const theta = (((extra - turn) % 360) + 360) % 360;
      const drawnW = (theta % 180 === 0 ? width : height) * scale;
      const drawnH = (theta % 180 === 0 ? height : width) * scale;
      const bx = (LABEL_WIDTH - drawnW) / 2;
      const by = (LABEL_HEIGHT - drawnH) / 2;
      const at = {
        0: { x: bx, y: by },
        90: { x: bx + height * scale, y: by },
        180: { x: bx + width * scale, y: by + height * scale },
        270: { x: bx, y: by + width * scale },
      }[theta as 0 | 90 | 180 | 270];
      const target = out.addPage([LABEL_WIDTH, LABEL_HEIGHT]);
      target.drawPage(embedded, { x: at.x, y: at.y, xScale: scale, yScale: scale, rotate: degrees(theta) });
    }
  }
  if (out.getPageCount() === 0)
    throw new ConsignError(ErrorCode.BadRequest, "There are no label pages to merge.");
  return out.save({ objectsPerTick: Number.POSITIVE_INFINITY });
}

/** Pages in a PDF (a print part, a merged file), as a reader of it would count them. */
export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  return (await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false })).getPageCount();
}
