// Writing one ZPL II format (^XA ... ^XZ) for a printer profile. Positions are given in points
// of Consign's 4x6 in design (288 x 432 pt, origin top-left) and land on the profile's stock,
// scaled to fit (A6 and 100x150 mm are a little smaller than 4x6) and centred, on whole dots.
// Text goes out in code page 1252 (^CI27), which is WinAnsi; bytes outside printable ASCII and
// ZPL's own control characters are written as ^FH hex escapes.

import { type FontWeight, fitText, toWinAnsi } from "../text/winansi.ts";
import { type PrinterProfile, stockDots, stockPoints } from "./profile.ts";

export const DESIGN = { width: 288, height: 432 } as const;

/** ZPL field data: WinAnsi bytes with ^, ~, _ and non-ASCII as _hh (for ^FH). */
export function fieldData(winAnsi: string): string {
  let out = "";
  for (let i = 0; i < winAnsi.length; i++) {
    const c = winAnsi.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5e || c === 0x7e || c === 0x5f)
      out += `_${c.toString(16).padStart(2, "0")}`;
    else out += winAnsi[i];
  }
  return out;
}

export class ZplFormat {
  readonly width: number;
  readonly height: number;
  /** Design points → dots. */
  readonly scale: number;
  private readonly offsetX: number;
  private readonly offsetY: number;
  private out: string;

  constructor(readonly profile: PrinterProfile) {
    const dots = stockDots(profile);
    const pt = stockPoints(profile.stock);
    this.width = dots.width;
    this.height = dots.height;
    const fit = Math.min(pt.width / DESIGN.width, pt.height / DESIGN.height);
    this.scale = (fit * profile.dpi) / 72;
    this.offsetX = Math.round((dots.width - DESIGN.width * this.scale) / 2);
    this.offsetY = Math.round((dots.height - DESIGN.height * this.scale) / 2);
    const darkness = String(profile.darkness).padStart(2, "0");
    this.out = `^XA\n~SD${darkness}\n^CI27\n^PW${this.width}\n^LL${this.height}\n^LH0,0\n`;
  }

  /** A length in design points as whole dots. */
  dots(pt: number): number {
    return Math.round(pt * this.scale);
  }
  x(pt: number): number {
    return this.offsetX + this.dots(pt);
  }
  y(pt: number): number {
    return this.offsetY + this.dots(pt);
  }
  /** Whole dots per barcode module: `at203` at 203 dpi, the same physical size at other resolutions. */
  moduleDots(at203: number): number {
    return Math.max(1, Math.round((at203 * this.profile.dpi) / 203));
  }

  raw(zpl: string): this {
    this.out += zpl;
    return this;
  }

  /** A horizontal rule from design x0 to x1 at `top`, `thickness` dots. */
  rule(x0: number, x1: number, top: number, thickness = 3): this {
    this.out += `^FO${this.x(x0)},${this.y(top)}^GB${this.dots(x1 - x0)},0,${thickness}^FS\n`;
    return this;
  }

  /** Text with its baseline at design (x, baseline), in scalable font 0, cut to `maxPt` wide. */
  text(unicode: string, weight: FontWeight, sizePt: number, x: number, baseline: number, maxPt = 264): this {
    const t = fitText(toWinAnsi(unicode), weight, sizePt, maxPt);
    const h = this.dots(sizePt);
    const w = weight === "bold" ? Math.round(h * 0.95) : Math.round(h * 0.8);
    this.out += `^FT${this.x(x)},${this.y(baseline)}^A0N,${h},${w}^FH^FD${fieldData(t)}^FS\n`;
    return this;
  }

  /** Text in dots (for centring by measured width). */
  textAtDots(unicode: string, weight: FontWeight, sizePt: number, xDots: number, baseline: number): this {
    const h = this.dots(sizePt);
    const w = weight === "bold" ? Math.round(h * 0.95) : Math.round(h * 0.8);
    this.out += `^FT${xDots},${this.y(baseline)}^A0N,${h},${w}^FH^FD${fieldData(toWinAnsi(unicode))}^FS\n`;
    return this;
  }

  finish(): string {
    return `${this.out}^PQ1\n^XZ\n`;
  }
}
