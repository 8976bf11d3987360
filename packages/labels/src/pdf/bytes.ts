// Byte helpers for PDF assembly. PDF syntax is ASCII and our text is WinAnsi, so JS strings
// hold one byte per char code (0..255) until they are written out.

let scratch = new Uint8Array(8 * 1024);

/** Writes a binary string into a shared scratch buffer; valid until the next call. */
export function binaryToScratch(s: string): Uint8Array {
  const n = s.length;
  if (scratch.length < n) scratch = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) scratch[i] = s.charCodeAt(i);
  return scratch;
}

/** Binary string → new Uint8Array. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Builds a file from binary strings and byte arrays, tracking the write position. */
export class ByteSink {
  private readonly parts: (string | Uint8Array)[] = [];
  length = 0;

  write(part: string | Uint8Array): void {
    this.parts.push(part);
    this.length += part.length;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      if (typeof part === "string") {
        for (let i = 0; i < part.length; i++) out[at + i] = part.charCodeAt(i);
      } else {
        out.set(part, at);
      }
      at += part.length;
    }
    return out;
  }
}

/** Shortest decimal form with at most 3 decimals: 12, 12.5, 0.355. */
export function num(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const r = Math.round(n * 1000) / 1000;
  return String(r);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function hexByte(b: number): string {
  return HEX[b & 0xff] ?? "00";
}

/** Escapes a binary string for a PDF literal string ( ... ). */
export function pdfString(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x28 || c === 0x29 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return `(${s})`;
  return `(${s.replace(/[()\\]/g, "\\$&")})`;
}
