// Printing without a printer: every PDF blob URL the app makes is kept, and print() on a frame
// showing one is replaced by a recorder. The PDFs are read back in Node with pdf-lib.
import { PDFDocument } from "pdf-lib";
import type { Page } from "playwright-core";

export const PRINT_RECORDER = `(() => {
  if (window !== window.top) return;
  window.__pdfs = {};
  window.__prints = [];
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj) => {
    const url = createObjectURL(obj);
    if (obj instanceof Blob && obj.type === "application/pdf") window.__pdfs[url] = obj;
    return url;
  };
  const contentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
  Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", {
    configurable: true,
    get() {
      const win = contentWindow.get.call(this);
      const frame = this;
      if (win && frame.src in window.__pdfs) {
        win.print = () => { window.__prints.push({ src: frame.src, title: frame.title, at: Date.now() }); };
      }
      return win;
    },
  });
})()`;

export interface Printed {
  src: string;
  title: string;
}

export const prints = (page: Page) => page.evaluate("window.__prints") as Promise<Printed[]>;

/** The bytes of the PDF behind a blob URL the app printed. */
async function pdfBytesAt(page: Page, src: string): Promise<Buffer> {
  const base64 = (await page.evaluate(`(async () => {
    const bytes = new Uint8Array(await window.__pdfs[${JSON.stringify(src)}].arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  })()`)) as string;
  return Buffer.from(base64, "base64");
}

export interface PdfFacts {
  pages: number;
  /** Each page's width and height in points, to the hundredth. */
  sizes: number[][];
}

/** The PDF behind a blob URL the app printed, read back in Node with pdf-lib. */
export async function pdfAt(page: Page, src: string): Promise<PdfFacts> {
  const pdf = await PDFDocument.load(await pdfBytesAt(page, src));
  const sizes = pdf.getPages().map((p) => {
    const { width, height } = p.getSize();
    return [Math.round(width * 100) / 100, Math.round(height * 100) / 100];
  });
  return { pages: pdf.getPageCount(), sizes };
}

/** Pages in the PDF behind a blob URL the app printed. */
export const pagesAt = async (page: Page, src: string): Promise<number> => (await pdfAt(page, src)).pages;

/** The PDF behind a blob URL the app printed, as text (one character a byte), to find words in. */
export const pdfTextAt = async (page: Page, src: string): Promise<string> =>
  (await pdfBytesAt(page, src)).toString("latin1");
