// How order fields and queries become search tokens: lower case, accents dropped, split on anything that is
// not a letter or digit. Identifiers (order id, postcode, tracking number) also index their compact form,
// so "SW1A 1AA", "sw1a1aa" and "203-1234567-1234567" / "2031234567" all find the order.

import type { Order } from "../order.ts";

/** Lower case, without accents. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // Only pay for NFD when there is something beyond ASCII.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /[^\u0000-\u007f]/.test(lower) ? lower.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : lower;
}

/** Splits folded text into tokens of letters and digits. */
export function tokenize(text: string, out: string[] = []): string[] {
  const folded = foldText(text);
  let start = -1;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 32;
    const word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(folded.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** An identifier's tokens plus its compact form (separators removed). */
function identifierTokens(value: string, out: string[]): void {
  const before = out.length;
  tokenize(value, out);
  if (out.length - before > 1) out.push(out.slice(before).join(""));
}

export interface OrderTokens {
  /** Identifier-like tokens: prefix matching only. */
  exact: string[];
  /** Words (names, titles, SKUs, ASINs): prefix matching and one typo. */
  words: string[];
}

export function orderTokens(order: Order): OrderTokens {
  const exact: string[] = [];
  const words: string[] = [];
  identifierTokens(order.orderId, exact);
  if (order.recipient?.postcode) identifierTokens(order.recipient.postcode, exact);
  for (const s of order.shipments) identifierTokens(s.trackingNumber, exact);
  if (order.buyerName) tokenize(order.buyerName, words);
  if (order.recipient?.name && order.recipient.name !== order.buyerName)
    tokenize(order.recipient.name, words);
  for (const item of order.items) {
    tokenize(item.sku, words);
    if (item.sku.length > 0 && /[^a-z0-9]/i.test(item.sku))
      words.push(foldText(item.sku).replace(/[^a-z0-9]+/g, ""));
    tokenize(item.asin, words);
    tokenize(item.title, words);
  }
  return { exact, words };
}
