// Text for the base-14 fonts: every string drawn on a label is first turned into WinAnsi bytes
// (held in a JS string, one char per byte). Characters WinAnsi cannot hold get a readable
// ASCII fallback ("ł" → "l", "Ő" → "O") instead of disappearing or breaking the PDF.

import { HELVETICA_BOLD_WIDTHS, HELVETICA_WIDTHS, WINANSI_SPECIALS } from "./helvetica-metrics.ts";

/** Letters that Unicode does not decompose into a base letter plus an accent. */
const FALLBACKS: Record<string, string> = {
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ħ: "h",
  Ħ: "H",
  ı: "i",
  ĸ: "k",
  ŀ: "l",
  Ŀ: "L",
  ŋ: "n",
  Ŋ: "N",
  ŧ: "t",
  Ŧ: "T",
  ſ: "s",
  ə: "e",
  Ə: "E",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2032": "'",
  "\u2033": '"',
  "\u2212": "-",
};

const cache = new Map<string, string>();

function isWinAnsiCodePoint(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff);
}

function encodeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0x3f;
  if (isWinAnsiCodePoint(cp)) return ch;
  const special = WINANSI_SPECIALS.get(cp);
  if (special !== undefined) return String.fromCharCode(special);
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return " ";
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return "";
  const fallback = FALLBACKS[ch];
  if (fallback !== undefined) return fallback;
  let out = "";
  for (const part of ch.normalize("NFD")) {
    const pcp = part.codePointAt(0) ?? 0;
    if (pcp >= 0x300 && pcp <= 0x36f) continue; // combining accent
    if (isWinAnsiCodePoint(pcp)) out += part;
    else return "?";
  }
  return out === "" ? "?" : out;
}

/** Unicode text → WinAnsi bytes as a binary string (each char code 0..255). */
export function toWinAnsi(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  let out = "";
  for (const ch of text) out += encodeChar(ch);
  if (cache.size < 10_000) cache.set(text, out);
  return out;
}

export type FontWeight = "regular" | "bold";

/** Width in points of WinAnsi bytes set in Helvetica (regular or bold) at `size`. */
export function textWidth(winAnsi: string, weight: FontWeight, size: number): number {
  const widths = weight === "bold" ? HELVETICA_BOLD_WIDTHS : HELVETICA_WIDTHS;
  let units = 0;
  for (let i = 0; i < winAnsi.length; i++) units += widths[winAnsi.charCodeAt(i) - 32] ?? 0;
  return (units * size) / 1000;
}

/** Cuts WinAnsi text to fit `maxWidth` points, ending in "..." when something was cut. */
export function fitText(winAnsi: string, weight: FontWeight, size: number, maxWidth: number): string {
  if (textWidth(winAnsi, weight, size) <= maxWidth) return winAnsi;
  const ellipsis = textWidth("...", weight, size);
  const widths = weight === "bold" ? HELVETICA_BOLD_WIDTHS : HELVETICA_WIDTHS;
  let used = 0;
  let end = 0;
  for (; end < winAnsi.length; end++) {
    const w = ((widths[winAnsi.charCodeAt(end) - 32] ?? 0) * size) / 1000;
    if (used + w + ellipsis > maxWidth) break;
    used += w;
  }
  return `${winAnsi.slice(0, end).trimEnd()}...`;
}

/**
 * Breaks WinAnsi text into lines no wider than `maxWidth` points, at spaces (after commas and
 * hyphens too); a word longer than a line is broken inside. Nothing is ever cut off.
 */
export function wrapText(winAnsi: string, weight: FontWeight, size: number, maxWidth: number): string[] {
  const words = winAnsi.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  const push = (word: string) => {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, weight, size) <= maxWidth) {
      line = candidate;
      return;
    }
    if (line) lines.push(line);
    line = "";
    // A word wider than the line: as many characters as fit, then the rest on the next line.
    let rest = word;
    while (textWidth(rest, weight, size) > maxWidth && rest.length > 1) {
      let end = 1;
      while (end < rest.length && textWidth(rest.slice(0, end + 1), weight, size) <= maxWidth) end++;
      lines.push(rest.slice(0, end));
      rest = rest.slice(end);
    }
    line = rest;
  };
  for (const word of words) push(word);
  if (line) lines.push(line);
  return lines;
}

/**
 * The largest size from `sizes` at which every text, wrapped to `maxWidth`, fits `maxLines`
 * lines; the smallest size when none does. Returns the wrapped lines at that size.
 */
export function wrapToFit(
  texts: readonly string[],
  weight: FontWeight,
  sizes: readonly number[],
  maxWidth: number,
  maxHeight: number,
  leading: (size: number) => number,
): { size: number; lines: string[] } {
  let best = { size: sizes[sizes.length - 1] ?? 8, lines: [] as string[] };
  for (const size of sizes) {
    const lines = texts.flatMap((t) => wrapText(t, weight, size, maxWidth));
    best = { size, lines };
    if (lines.length * leading(size) <= maxHeight) return best;
  }
  return best;
}

/** Largest font size ≤ `size` (not below `minSize`) at which the text fits `maxWidth`. */
export function fitSize(
  winAnsi: string,
  weight: FontWeight,
  size: number,
  minSize: number,
  maxWidth: number,
): number {
  const w = textWidth(winAnsi, weight, size);
  if (w <= maxWidth) return size;
  return Math.max(minSize, Math.floor(((size * maxWidth) / w) * 10) / 10);
}
