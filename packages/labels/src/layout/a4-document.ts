// A4 text documents (packing slips, pick lists) that flow onto more pages when long.
import { Content } from "../pdf/content.ts";
import { PdfFile } from "../pdf/pdf-file.ts";
import { type FontWeight, fitText, textWidth, toWinAnsi } from "../text/winansi.ts";
import { A4_HEIGHT, A4_WIDTH } from "./sheets.ts";

export const PAGE_MARGIN = 40;
const BOTTOM = PAGE_MARGIN + 20;

export interface Column {
  x: number;
  width: number;
  align?: "left" | "right";
}

export class A4Document {
  private readonly file: PdfFile;
  private page: Content | undefined;
  /** Baseline of the next line, from the page top. */
  top = PAGE_MARGIN;
  pages = 0;
  /** Called at the top of every page after the first of a section (e.g. to repeat a header). */
  onNewPage: (() => void) | undefined;

  constructor(
    compress: boolean,
    private readonly footer: string,
    title: string,
  ) {
    this.file = new PdfFile({ width: A4_WIDTH, height: A4_HEIGHT, compress, title });
  }

  /** Starts a fresh page (ending the current one). */
  newPage(): void {
    this.endPage();
    this.page = new Content();
    this.pages++;
    this.top = PAGE_MARGIN;
  }

  /** Makes room for `height` points, continuing on a new page when needed. */
  ensure(height: number): void {
    if (!this.page) this.newPage();
    else if (this.top + height > A4_HEIGHT - BOTTOM) {
      this.newPage();
      this.onNewPage?.();
    }
  }

  private get content(): Content {
    if (!this.page) this.newPage();
    return this.page as Content;
  }

  /** Writes Unicode text at the current line, cut to `width` points. */
  text(text: string, weight: FontWeight, size: number, col: Column): void {
    const t = fitText(toWinAnsi(text), weight, size, col.width);
    const x = col.align === "right" ? col.x + col.width - textWidth(t, weight, size) : col.x;
    this.content.text(t, weight, size, x, A4_HEIGHT - this.top);
  }

  /** Moves down by `height` points. */
  advance(height: number): void {
    this.top += height;
  }

  rule(width = 0.5): void {
    const y = A4_HEIGHT - this.top;
    this.content.line(PAGE_MARGIN, y, A4_WIDTH - PAGE_MARGIN, y, width);
  }

  /** Splits text into lines that fit `width` (breaking at spaces and commas). */
  static wrap(text: string, weight: FontWeight, size: number, width: number): string[] {
    const words = text.split(/(?<=[ ,])/);
    const lines: string[] = [];
    let line = "";
    for (const word of words) {
      const next = line + word;
      if (line !== "" && textWidth(toWinAnsi(next.trimEnd()), weight, size) > width) {
        lines.push(line.trimEnd());
        line = word.trimStart();
      } else {
        line = next;
      }
    }
    if (line.trim() !== "") lines.push(line.trimEnd());
    return lines;
  }

  finish(): Uint8Array {
    this.endPage();
    return this.file.finish();
  }

  private endPage(): void {
    if (!this.page) return;
    const c = this.page;
    c.text(toWinAnsi(`${this.footer}  -  page ${this.pages}`), "regular", 8, PAGE_MARGIN, PAGE_MARGIN - 10);
    this.file.addPage(c.finish());
    this.page = undefined;
  }
}

export const CONTENT_WIDTH = A4_WIDTH - 2 * PAGE_MARGIN;
