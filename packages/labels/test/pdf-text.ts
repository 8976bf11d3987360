// Reads a PDF back: page count and sizes with pdf-lib, text with poppler's pdftotext.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";

export async function pageSizes(pdf: Uint8Array): Promise<{ width: number; height: number }[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((p) => p.getSize());
}

export function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "consign-text-"));
  try {
    const file = join(dir, "in.pdf");
    writeFileSync(file, pdf);
    try {
      return execFileSync("pdftotext", ["-layout", file, "-"], {
        stdio: ["ignore", "pipe", "pipe"],
      }).toString("utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT")
        throw new Error("pdftotext is missing: apt-get install -y poppler-utils");
      throw e;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
