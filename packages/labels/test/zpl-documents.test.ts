// Packing slips and pick lists on the label printer: native ZPL, read back like the labels.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packingSlipsZpl, pickListZpl } from "../src/zpl/documents.ts";
import { bitmapToPng } from "../src/zpl/png.ts";
import { rasterizeZpl } from "../src/zpl/raster.ts";
import { readCode128, requireTools } from "./decoders.ts";
import { item, order } from "./orders.ts";

const dir = mkdtempSync(join(tmpdir(), "consign-zpl-docs-"));
beforeAll(() => requireTools());
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const formats = (zpl: string) => zpl.match(/\^XA/g)?.length ?? 0;

describe("packing slips as ZPL", () => {
  it("one slip per order whose Code 128 scans as the order number", () => {
    const orders = [
      order("203-1111111-1111111", [item("MUG", 2)]),
      order("203-2222222-2222222", [item("CUP", 1)]),
    ];
    const zpl = packingSlipsZpl(orders, undefined, "Hebden Hobby Supplies");
    expect(formats(zpl)).toBe(2);
    expect(zpl).toContain("^FDOrder 203-1111111-1111111^FS");
    rasterizeZpl(zpl).forEach((page, i) => {
      const png = join(dir, `slip${i}.png`);
      writeFileSync(png, bitmapToPng(page));
      expect(readCode128(png)).toEqual([orders[i]!.orderId]);
    });
  });

  it("a long order continues on more labels, each saying which page it is", () => {
    const many = Array.from({ length: 40 }, (_, i) => item(`SKU-${i}`, 1));
    const zpl = packingSlipsZpl([order("203-3333333-3333333", many)]);
    expect(formats(zpl)).toBeGreaterThan(1);
    expect(zpl).toContain(`Page 1 of ${formats(zpl)}`);
    for (let i = 0; i < 40; i++) expect(zpl).toContain(`^FDSKU-${i}^FS`);
  });
});

describe("pick lists as ZPL", () => {
  it("totals each SKU across the orders", () => {
    const zpl = pickListZpl([
      order("203-1", [item("MUG", 2), item("CUP", 1)]),
      order("203-2", [item("MUG", 3)]),
    ]);
    expect(zpl).toContain("2 orders _b7 2 SKUs _b7 6 units");
    expect(zpl).toMatch(/\^FDMUG\^FS[\s\S]*?\^FD5\^FS/);
  });

  it("refuses a list with nothing to pick", () => {
    expect(() => pickListZpl([])).toThrow(/Nothing to pick/);
  });
});
