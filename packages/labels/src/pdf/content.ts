// Builds a page content stream as a binary string: text in the base-14 Helvetica fonts,
// strokes, and barcodes as 1-bit inline image masks snapped to printer dots.
import type { FontWeight } from "../text/winansi.ts";
import { hexByte, num, pdfString } from "./bytes.ts";

/** One printer dot at 203 dpi, in points. */
export const DOT_203 = 72 / 203;

/** Rounds a length in points to whole 203-dpi printer dots. */
export function snapToDots(points: number): number {
  return Math.round(points / DOT_203) * DOT_203;
}

export class Content {
  /** The stream so far (binary string). */
  body = "";
  private inText = false;
  private font = "";
  private x = 0;
  private y = 0;

  /** Draws WinAnsi text with its baseline start at (x, y). */
  text(winAnsi: string, weight: FontWeight, size: number, x: number, y: number): this {
    if (winAnsi === "") return this;
    if (!this.inText) {
      this.body += "BT\n";
      this.inText = true;
      this.font = "";
      this.x = 0;
      this.y = 0;
    }
    const font = `/${weight === "bold" ? "F2" : "F1"} ${num(size)} Tf\n`;
    if (font !== this.font) {
      this.body += font;
      this.font = font;
    }
    this.body += `${num(x - this.x)} ${num(y - this.y)} Td ${pdfString(winAnsi)}Tj\n`;
    this.x = x;
    this.y = y;
    return this;
  }

  /** Anything that is not text closes the open text object first. */
  raw(operators: string): this {
    this.endText();
    this.body += operators;
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number, width: number): this {
    return this.raw(`${num(width)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S\n`);
  }

  /**
   * Paints a 1-bit image mask (dark = 1) of `columns` x `rows` samples, row 0 at the top, into
   * the rectangle (x, y, width, height). `bits` holds rows padded to whole bytes.
   */
  imageMask(
    bits: Uint8Array,
    columns: number,
    rows: number,
    x: number,
    y: number,
    width: number,
    height: number,
  ): this {
    // An image mask paints where a sample is 0, so the bits go out inverted (padding stays clear).
    let hex = "";
    for (let i = 0; i < bits.length; i++) hex += hexByte(~(bits[i] as number));
    return this.raw(
      `q ${num(width)} 0 0 ${num(height)} ${num(x)} ${num(y)} cm\nBI/W ${columns}/H ${rows}/IM true/F/AHx ID\n${hex}>\nEI Q\n`,
    );
  }

  /** Closes any open text object and returns the stream. */
  finish(): string {
    this.endText();
    return this.body;
  }

  private endText(): void {
    if (this.inText) {
      this.body += "ET\n";
      this.inText = false;
    }
  }
}
