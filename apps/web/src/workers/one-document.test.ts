import { renderLabels } from "@consign/labels";
import { PDFDict, PDFDocument, PDFName, type PDFRef } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { oneDocument } from "./one-document.ts";

const label = (tracking: string) =>
  renderLabels([
    {
      sender: {
        name: "Hebden Hobby Supplies",
        line1: "Unit 4",
        city: "Hebden Bridge",
        postcode: "HX7 6DL",
        countryCode: "GB",
      },
      recipient: {
        name: "Ana Buyer",
        line1: "1 Rosebery Court",
        city: "Manchester",
        postcode: "M19 2LT",
        countryCode: "GB",
      },
      serviceName: "Tracked 24",
      courierName: "Royal Mail",
      trackingNumber: tracking,
      orderId: "203-1000000-7000000",
      weightGrams: 450,
    },
  ]);

async function fontRefs(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((p) => {
    const fonts = p.node.Resources()?.lookup(PDFName.of("Font"), PDFDict);
    return [...(fonts?.entries() ?? [])].map(
      ([name, ref]) => `${name.toString()}=${(ref as PDFRef).toString()}`,
    );
  });
}

describe("a batch of courier labels as one document", () => {
  it("keeps each label's first page in order and loads each standard font once", async () => {
    const pdfs = ["GQ660548056GB", "GQ660548057GB", "GQ660548058GB"].map(label);
    const { bytes, pageOf } = await oneDocument(pdfs);
    expect(pageOf).toEqual([1, 2, 3]);
    const refs = await fontRefs(bytes);
    expect(refs).toHaveLength(3);
    // every page names the same Helvetica and Helvetica-Bold objects
    expect(refs[1]).toEqual(refs[0]);
    expect(refs[2]).toEqual(refs[0]);
    expect(new Set(refs[0]).size).toBe(2);
  });

  it("leaves out a file that is not a PDF, in its place, so the rest still print", async () => {
    const bad = new TextEncoder().encode("<html>Service Unavailable</html>");
    const { pageOf } = await oneDocument([label("GQ660548056GB"), bad, label("GQ660548058GB")]);
    expect(pageOf).toEqual([1, null, 2]);
  });

  it("shares a standard font written by another PDF library (pdf-lib) too", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont("Helvetica");
    const page = doc.addPage([288, 432]);
    page.drawText("A", { font, size: 12 });
    const one = await doc.save();
    const { bytes } = await oneDocument([one, one]);
    const refs = await fontRefs(bytes);
    expect(refs[1]).toEqual(refs[0]);
  });
});
