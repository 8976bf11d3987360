// A batch of courier PDF labels as one document for pdf.js: the first page of each, in order,
// with the standard fonts they name (not embed) shared, so a run of labels opens one file and
// loads Helvetica once instead of once per label.

import { PDFDict, PDFDocument, PDFName, PDFRef } from "pdf-lib";

/**
 * Standard fonts a label names without embedding them (Helvetica and friends) have the same
 * dictionary in every courier PDF; pointing every page at one copy lets pdf.js load the font once
 * for the whole run instead of once per label. Only dictionaries with no references in them
 * (nothing embedded, no widths kept elsewhere) are shared.
 */
function shareStandardFonts(out: PDFDocument): void {
  const seen = new Map<string, PDFRef>();
  for (const page of out.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of("Font"), PDFDict);
    if (!fonts) continue;
    for (const [name, value] of fonts.entries()) {
      if (!(value instanceof PDFRef)) continue;
      const font = out.context.lookup(value);
      if (!(font instanceof PDFDict) || font.has(PDFName.of("FontDescriptor"))) continue;
      const key = font.toString();
      if (/\bR\b/.test(key)) continue; // refers to other objects: keep as it is
      const first = seen.get(key);
      if (!first) seen.set(key, value);
      else if (first !== value) fonts.set(name, first);
    }
  }
}

/**
 * The first page of each PDF, in order, in one document, so pdf.js opens one file and loads each
 * standard font once for a whole batch. A PDF pdf-lib cannot read is left out (its index maps to
 * null) and is rendered on its own, where pdf.js's own error reaches the person.
 */
export async function oneDocument(
  pdfs: readonly Uint8Array[],
): Promise<{ bytes: Uint8Array; pageOf: (number | null)[] }> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const pageOf: (number | null)[] = [];
  for (const pdf of pdfs) {
    try {
      const src = await PDFDocument.load(pdf, { ignoreEncryption: false, updateMetadata: false });
      const [page] = await out.copyPages(src, [0]);
      if (!page) throw new Error("no page");
      out.addPage(page);
      pageOf.push(out.getPageCount());
    } catch {
      pageOf.push(null);
    }
  }
  shareStandardFonts(out);
  return { bytes: await out.save({ useObjectStreams: false, addDefaultPage: false }), pageOf };
}
