// What a thermal printer would print from our ZPL, read back with real barcode readers: each
// format is rasterised at the profile's dpi by our renderer for the commands we emit (^GB, ^BC,
// ^BX, ^GFA), written as a PNG and decoded with zbar (Code 128) and libdmtx (DataMatrix).
// Also a PDF label (ours, standing in for a courier's) rendered by poppler to a 1-bit picture
// at 203 dpi and sent as a ZPL graphic still decodes to its tracking number.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderLabels } from "../src/render-labels.ts";
import type { Bitmap1 } from "../src/zpl/graphic.ts";
import { zplGraphicLabel } from "../src/zpl/graphic.ts";
import { toZplPlaced } from "../src/zpl/label.ts";
import { bitmapToPng, cropBitmap } from "../src/zpl/png.ts";
import type { PrinterProfile } from "../src/zpl/profile.ts";
import { rasterizeZpl } from "../src/zpl/raster.ts";
import { TEST_PRINT_BARCODE, zplTestPrint } from "../src/zpl/test-print.ts";
import { readCode128, readDataMatrix, requireTools } from "./decoders.ts";
import { sampleLabel, TRACKING_NUMBERS } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "consign-zpl-"));
let n = 0;
function png(bitmap: Bitmap1): string {
  const path = join(dir, `z${n++}.png`);
  writeFileSync(path, bitmapToPng(bitmap));
  return path;
}

beforeAll(() => requireTools());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROFILES: PrinterProfile[] = [
  { language: "zpl", dpi: 203, stock: "4x6", darkness: 15 },
  { language: "zpl", dpi: 300, stock: "4x6", darkness: 20 },
  { language: "zpl", dpi: 203, stock: "a6", darkness: 15 },
  { language: "zpl", dpi: 203, stock: "100x150", darkness: 15 },
];

describe.each(PROFILES)("our own labels as ZPL at $dpi dpi on $stock stock", (profile) => {
  it("every Code 128 and DataMatrix reads back as the tracking number", () => {
    TRACKING_NUMBERS.forEach((tracking, i) => {
      const { zpl, placed } = toZplPlaced(sampleLabel(tracking, i), profile);
      const [page] = rasterizeZpl(zpl);
      if (!page) throw new Error("no page");
      const q = Math.round(profile.dpi / 10);
      const c = placed.code128;
      expect(readCode128(png(cropBitmap(page, c.x - q, c.y - q, c.width + 2 * q, c.height + 2 * q)))).toEqual(
        [tracking],
      );
      const d = placed.dataMatrix;
      const dm = readDataMatrix(png(cropBitmap(page, d.x - q, d.y - q, d.size + 2 * q, d.size + 2 * q)));
      expect(dm, `DataMatrix of ${tracking}`).toContain(tracking);
    });
  });

  it("the label fits the stock: nothing is drawn past its edges", () => {
    const { zpl } = toZplPlaced(sampleLabel(TRACKING_NUMBERS[0], 0), profile);
    const width = Number(/\^PW(\d+)/.exec(zpl)?.[1]);
    const height = Number(/\^LL(\d+)/.exec(zpl)?.[1]);
    for (const m of zpl.matchAll(/\^F[OT](\d+),(\d+)/g)) {
      expect(Number(m[1])).toBeLessThan(width);
      expect(Number(m[2])).toBeLessThan(height);
    }
  });
});

describe("a PDF label as a ZPL graphic (the path for couriers that only give a PDF)", () => {
  it("poppler's 1-bit rendering at 203 dpi, sent as ^GFA, still decodes", () => {
    const tracking = "GQ660548056GB";
    const pdfPath = join(dir, "courier.pdf");
    writeFileSync(pdfPath, renderLabels([sampleLabel(tracking, 0)]));
    execFileSync("pdftoppm", ["-r", "203", "-mono", "-singlefile", pdfPath, join(dir, "courier")]);
    const pbm = readFileSync(join(dir, "courier.pbm"));
    // P4 header: "P4\n<w> <h>\n" then packed rows, 1 = black: the same as a ZPL graphic.
    const header = /^P4\s+(\d+)\s+(\d+)\s/.exec(pbm.subarray(0, 40).toString("latin1"));
    if (!header) throw new Error("not a P4 PBM");
    const width = Number(header[1]);
    const height = Number(header[2]);
    const bits = new Uint8Array(pbm.subarray(header[0].length));
    const zpl = zplGraphicLabel({ width, height, rowBytes: (width + 7) >> 3, bits }, PROFILES[0]!);
    expect(zpl).toMatch(/\^GFA,\d+,\d+,\d+,/);
    expect(zpl.length).toBeLessThan(40_000); // compressed: raw hex would be ~250 KB
    const [page] = rasterizeZpl(zpl);
    if (!page) throw new Error("no page");
    expect(readCode128(png(page))).toEqual([tracking]);
  });
});

describe("test print", () => {
  it("carries a Code 128 that scans and says which stock and dpi it was written for", () => {
    const profile = PROFILES[1]!;
    const zpl = zplTestPrint(profile, "Zebra ZD421");
    expect(zpl).toContain("300 dpi");
    expect(zpl).toContain("Zebra ZD421");
    expect(zpl).toContain("~SD20");
    const [page] = rasterizeZpl(zpl);
    if (!page) throw new Error("no page");
    expect(readCode128(png(page))).toEqual([TEST_PRINT_BARCODE]);
  });
});
