// Identifier tokens (order ids, postcodes, tracking numbers) read once, character by character: the tokens
// themselves, exactly as `tokenize` + `identifierTokens` make them, and for each a numeric sort key from its
// first ten characters so that a hundred thousand orders' identifiers sort with a radix sort.

import { tokenize } from "./tokens.ts";

const RADIX = 38;
const KEY_CHARS = 10;
const PAD: number[] = [];
for (let i = 0, p = 1; i <= KEY_CHARS; i++, p *= RADIX) PAD[i] = p;

/**
 * Base-38 digits of the first characters: end 0, digits 1-10, letters 11-36, anything else 37 (and the key
 * stops there). Keys ascend with the strings (as `<` compares them); equal keys mean equal strings only when
 * `keyIsWhole` says so.
 */
export function identifierKey(text: string): number {
  let key = 0;
  let i = 0;
  for (; i < text.length && i < KEY_CHARS; i++) {
    const d = digit(text.charCodeAt(i));
    key = key * RADIX + d;
    if (d === 37) {
      i++;
      break;
    }
  }
  return key * PAD[KEY_CHARS - i]!;
}

/** True when the key encodes the whole text: short enough, letters and digits only. */
export function keyIsWhole(text: string): boolean {
  if (text.length > KEY_CHARS) return false;
  for (let i = 0; i < text.length; i++) if (digit(text.charCodeAt(i)) === 37) return false;
  return true;
}

function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 47 : c >= 97 && c <= 122 ? c - 86 : 37;
}

export interface IdentifierSink {
  identifier(text: string, key: number, whole: boolean): void;
}

/** Emits the tokens of an identifier plus its compact form (when it has several), as `orderTokens` does. */
export function identifierTokens(value: string, sink: IdentifierSink): void {
  const n = value.length;
  // Fast path for ASCII; anything else goes through foldText.
  for (let i = 0; i < n; i++) if (value.charCodeAt(i) > 127) return slowIdentifierTokens(value, sink);
  let parts = 0;
  let start = -1;
  let upper = false;
  let first = "";
  let compact = "";
  let compactKey = 0;
  let compactLen = 0;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? value.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) {
      c += 32;
      upper = true;
    }
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) {
        start = i;
        upper = c !== value.charCodeAt(i);
      }
      if (compactLen < KEY_CHARS) compactKey = compactKey * RADIX + digit(c);
      compactLen++;
    } else if (start >= 0) {
      let text = value.slice(start, i);
      if (upper) text = text.toLowerCase();
      const len = i - start;
      sink.identifier(text, keyOfAscii(text), len <= KEY_CHARS);
      if (parts === 0) first = text;
      else compact = parts === 1 ? first + text : compact + text;
      parts++;
      start = -1;
      upper = false;
    }
  }
  if (parts > 1) {
    const shown = Math.min(compactLen, KEY_CHARS);
    sink.identifier(compact, compactKey * PAD[KEY_CHARS - shown]!, compactLen <= KEY_CHARS);
  }
}

function keyOfAscii(text: string): number {
  let key = 0;
  const m = Math.min(text.length, KEY_CHARS);
  for (let i = 0; i < m; i++) key = key * RADIX + digit(text.charCodeAt(i));
  return key * PAD[KEY_CHARS - m]!;
}

function slowIdentifierTokens(value: string, sink: IdentifierSink): void {
  const out = tokenize(value);
  if (out.length > 1) out.push(out.join(""));
  for (const t of out) sink.identifier(t, identifierKey(t), keyIsWhole(t));
}
