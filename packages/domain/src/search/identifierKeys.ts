// Identifier tokens (order ids, postcodes, tracking numbers) read once, character by character, without
// making a string per token: each token is a span of the field it came from, with a numeric sort key from its
// first ten characters so that a hundred thousand orders' identifiers sort with a radix sort. The tokens are
// exactly those `orderTokens` gives (`tokenize`, plus the compact form when there are several).

import { tokenize } from "./tokens.ts";

const RADIX = 38;
const KEY_CHARS = 10;
const PAD: number[] = [];
for (let i = 0, p = 1; i <= KEY_CHARS; i++, p *= RADIX) PAD[i] = p;

/** The key holds the whole token: equal keys mean equal tokens. */
export const WHOLE = 1;
/** The token is the field's letters and digits run together, lower case. */
export const COMPACT = 2;
/** The token is the field's span as it stands (already folded). */
export const LITERAL = 4;

export interface IdentifierSink {
  identifier(field: string, start: number, end: number, flags: number, key: number): void;
}

/** The token text of a span. */
export function spanText(field: string, start: number, end: number, flags: number): string {
  if (flags & LITERAL) return start === 0 && end === field.length ? field : field.slice(start, end);
  if (flags & COMPACT) return field.replace(/[^a-zA-Z0-9]+/g, "").toLowerCase();
  return field.slice(start, end).toLowerCase();
}

/**
 * Base-38 digits of the first characters: end 0, digits 1-10, letters 11-36, anything else 37 (and the key
 * stops there). For tokens (lower-case letters, digits, anything beyond ASCII) keys ascend with the texts as
 * `<` compares them.
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

/** WHOLE when the key encodes the whole text: short enough, letters and digits only. */
export function keyFlags(text: string): number {
  if (text.length > KEY_CHARS) return 0;
  for (let i = 0; i < text.length; i++) if (digit(text.charCodeAt(i)) === 37) return 0;
  return WHOLE;
}

function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 47 : c >= 97 && c <= 122 ? c - 86 : 37;
}

/** Emits the tokens of an identifier field plus its compact form (when it has several). */
export function identifierTokens(value: string, sink: IdentifierSink): void {
  const n = value.length;
  // Fast path for ASCII; anything else goes through foldText.
  for (let i = 0; i < n; i++) {
    if (value.charCodeAt(i) > 127) {
      slowIdentifierTokens(value, sink);
      return;
    }
  }
  let parts = 0;
  let start = -1;
  let key = 0;
  let compactKey = 0;
  let compactLen = 0;
  for (let i = 0; i <= n; i++) {
    let c = i < n ? value.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      const d = c <= 57 ? c - 47 : c - 86;
      if (start < 0) {
        start = i;
        key = 0;
      }
      if (i - start < KEY_CHARS) key = key * RADIX + d;
      if (compactLen < KEY_CHARS) compactKey = compactKey * RADIX + d;
      compactLen++;
    } else if (start >= 0) {
      const len = i - start;
      if (len <= KEY_CHARS) sink.identifier(value, start, i, WHOLE, key * PAD[KEY_CHARS - len]!);
      else sink.identifier(value, start, i, 0, key);
      parts++;
      start = -1;
    }
  }
  if (parts > 1) {
    if (compactLen <= KEY_CHARS)
      sink.identifier(value, 0, n, COMPACT | WHOLE, compactKey * PAD[KEY_CHARS - compactLen]!);
    else sink.identifier(value, 0, n, COMPACT, compactKey);
  }
}

function slowIdentifierTokens(value: string, sink: IdentifierSink): void {
  const out = tokenize(value);
  if (out.length > 1) out.push(out.join(""));
  for (const t of out) sink.identifier(t, 0, t.length, LITERAL | keyFlags(t), identifierKey(t));
}
