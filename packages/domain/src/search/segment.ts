// The bulk part of the order search: every order's tokens laid out in typed arrays, built in one pass and
// then left alone (changes go to a small delta in OrderSearchIndex until the next rebuild).
//
// Token positions: [0, identCount) are identifiers (order id, postcode, tracking number), sorted, prefix
// matching only; [identCount, identCount + words) are words (names, SKUs, ASINs, titles), sorted, prefix
// matching and one typo through a deletion map over the (small) word vocabulary. Documents are numbered by
// purchase date, most recent first, so every posting list also runs newest first.

import type { Order } from "../order.ts";
import { identifierKey, identifierTokens, keyFlags, LITERAL, spanText, WHOLE } from "./identifierKeys.ts";
import { sortByKey } from "./radixSort.ts";
import { foldText, tokenize } from "./tokens.ts";
import { deletions } from "./typo.ts";

/** Shortest query token that tolerates a typo. */
export const TYPO_MIN_LENGTH = 4;

export interface Segment {
  /** Order id of each document, most recent purchase first (OrderSearchIndex appends its delta's after). */
  orderIds: string[];
  /** Purchase date of each document (epoch ms). */
  recency: number[];
  /** Document of each order id. */
  docOf: Map<string, number>;
  /** Documents replaced by a later one with the same order id (to be treated as removed). */
  replaced: number[];
  identCount: number;
  /** Identifier position p is the span identStart[p]..identEnd[p] of fields[identField[p]] (see spanText). */
  fields: string[];
  identField: Int32Array;
  identStart: Int32Array;
  identEnd: Int32Array;
  identFlags: Uint8Array;
  identKey: Float64Array;
  /** Word texts, position identCount + i at i. */
  words: string[];
  /** Documents holding the token at position p: postDocs[postStart[p] .. postStart[p + 1]), ascending. */
  postStart: Int32Array;
  postDocs: Int32Array;
  /** Token positions of document d: docTokens[docStart[d] .. docStart[d + 1]). */
  docStart: Int32Array;
  docTokens: Int32Array;
  /** Word positions by themselves and by each of their one-deletion forms. */
  neighbours: Map<string, number[]>;
}

/** The text of token position p. */
export function tokenText(seg: Segment, p: number): string {
  if (p >= seg.identCount) return seg.words[p - seg.identCount]!;
  return spanText(seg.fields[seg.identField[p]!]!, seg.identStart[p]!, seg.identEnd[p]!, seg.identFlags[p]!);
}

/** Typical tokens of an order: order id 4, postcode 3, a tracking number; names, SKUs, titles. */
const IDENTS_PER_ORDER = 9;
const WORDS_PER_ORDER = 16;

export class SegmentBuilder {
  private readonly orderIds: string[] = [];
  private recency: Float64Array;
  /** Identifier occurrences: spans of fields, with their sort keys. */
  /** Identifier fields (an order id, a postcode...) that occurrences are spans of. */
  private readonly fields: string[] = [];
  private lastField: string | undefined;
  private occCount = 0;
  private occField: Int32Array;
  private occStart: Int32Array;
  private occEnd: Int32Array;
  private occFlags: Uint8Array;
  private occKey: Float64Array;
  private identFrom: Int32Array;
  private wordOcc: Int32Array;
  private wordCount = 0;
  private wordStart: Int32Array;
  private readonly wordIdByText = new Map<string, number>();
  private readonly wordTexts: string[] = [];
  /** Word ids of a whole field (a title, a name, a SKU): catalogue fields repeat across orders. */
  private readonly plainCache = new Map<string, number[]>();
  private readonly skuCache = new Map<string, number[]>();

  /** Room for `docs` orders of typical size, so the arrays need not grow (and leave garbage) while reading. */
  constructor(docs = 256) {
    const n = Math.max(16, docs + 1);
    this.recency = new Float64Array(n);
    this.identFrom = new Int32Array(n);
    this.wordStart = new Int32Array(n);
    const idents = n * IDENTS_PER_ORDER;
    this.occField = new Int32Array(idents);
    this.occStart = new Int32Array(idents);
    this.occEnd = new Int32Array(idents);
    this.occFlags = new Uint8Array(idents);
    this.occKey = new Float64Array(idents);
    this.wordOcc = new Int32Array(n * WORDS_PER_ORDER);
  }

  /** Starts a document; a later document with the same order id replaces an earlier one. */
  addDoc(orderId: string, recency: number): void {
    const doc = this.orderIds.length;
    this.orderIds.push(orderId);
    if (doc === this.recency.length) this.recency = grown(this.recency);
    this.recency[doc] = recency;
    if (doc + 1 >= this.identFrom.length) {
      this.identFrom = grown(this.identFrom);
      this.wordStart = grown(this.wordStart);
    }
    this.identFrom[doc] = this.occCount;
    this.wordStart[doc] = this.wordCount;
  }

  /** An identifier token of the current document. */
  ident(text: string): void {
    this.identifier(text, 0, text.length, LITERAL | keyFlags(text), identifierKey(text));
  }

  /** An identifier token of the current document as a span of a field (see identifierTokens). */
  identifier(field: string, start: number, end: number, flags: number, key: number): void {
    const i = this.occCount++;
    if (i === this.occKey.length) {
      this.occField = grown(this.occField);
      this.occStart = grown(this.occStart);
      this.occEnd = grown(this.occEnd);
      this.occFlags = grown(this.occFlags);
      this.occKey = grown(this.occKey);
    }
    if (field !== this.lastField) {
      this.fields.push(field);
      this.lastField = field;
    }
    this.occField[i] = this.fields.length - 1;
    this.occStart[i] = start;
    this.occEnd[i] = end;
    this.occFlags[i] = flags;
    this.occKey[i] = key;
  }

  /** A word token of the current document. */
  word(text: string): void {
    if (text.length > 0) this.pushWord(this.wordId(text));
  }

  /** The same tokens as `orderTokens`, with repeated fields tokenized once. */
  addOrder(order: Order): void {
    this.addDoc(order.orderId, order.purchaseDate);
    identifierTokens(order.orderId, this);
    if (order.recipient?.postcode) identifierTokens(order.recipient.postcode, this);
    for (const s of order.shipments) identifierTokens(s.trackingNumber, this);
    if (order.buyerName) this.words(order.buyerName, false);
    if (order.recipient?.name && order.recipient.name !== order.buyerName)
      this.words(order.recipient.name, false);
    for (const item of order.items) {
      this.words(item.sku, true);
      this.words(item.asin, false);
      this.words(item.title, false);
    }
  }

  private words(field: string, sku: boolean): void {
    const cache = sku ? this.skuCache : this.plainCache;
    let ids = cache.get(field);
    if (ids === undefined) {
      const texts = tokenize(field);
      if (sku && field.length > 0 && /[^a-z0-9]/i.test(field))
        texts.push(foldText(field).replace(/[^a-z0-9]+/g, ""));
      ids = [];
      for (const t of texts) if (t.length > 0) ids.push(this.wordId(t));
      cache.set(field, ids);
    }
    for (const id of ids) this.pushWord(id);
  }

  /** A word token of the current document, by the id `wordId` gave. */
  pushWord(id: number): void {
    if (this.wordCount === this.wordOcc.length) this.wordOcc = grown(this.wordOcc);
    this.wordOcc[this.wordCount++] = id;
  }

  /** The builder's id for a word text. */
  wordId(text: string): number {
    let id = this.wordIdByText.get(text);
    if (id === undefined) {
      id = this.wordTexts.length;
      this.wordIdByText.set(text, id);
      this.wordTexts.push(text);
    }
    return id;
  }

  /** One radix sort of every identifier occurrence; equal texts share a position. */
  private identifierPositions(): IdentifierPositions {
    const { occField, occStart, occEnd, occFlags, occKey, occCount, fields } = this;
    const sortedKeys = new Float64Array(occCount);
    const byKey = sortByKey(occKey.subarray(0, occCount), sortedKeys);
    const identPos = new Int32Array(occCount);
    const rep = new Int32Array(occCount);
    let count = 0;
    const text = (o: number) => spanText(fields[occField[o]!]!, occStart[o]!, occEnd[o]!, occFlags[o]!);
    for (let i = 0; i < occCount; ) {
      // A run of equal keys: equal texts when the keys hold them whole, else sort the run by text.
      const key = sortedKeys[i]!;
      let j = i + 1;
      while (j < occCount && sortedKeys[j] === key) j++;
      let same = j - i === 1;
      if (!same) {
        same = true;
        for (let r = i; r < j && same; r++) if ((occFlags[byKey[r]!]! & WHOLE) === 0) same = false;
      }
      if (same) {
        rep[count] = byKey[i]!;
        for (let r = i; r < j; r++) identPos[byKey[r]!] = count;
        count++;
      } else {
        const run = Array.from(byKey.subarray(i, j), (o) => ({ o, t: text(o) }));
        run.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.o - b.o));
        let prev: string | undefined;
        for (const { o, t } of run) {
          if (t !== prev) {
            prev = t;
            rep[count++] = o;
          }
          identPos[o] = count - 1;
        }
      }
      i = j;
    }
    const field = new Int32Array(count);
    const start = new Int32Array(count);
    const end = new Int32Array(count);
    const flags = new Uint8Array(count);
    const key = new Float64Array(count);
    for (let p = 0; p < count; p++) {
      const o = rep[p]!;
      field[p] = occField[o]!;
      start[p] = occStart[o]!;
      end[p] = occEnd[o]!;
      flags[p] = occFlags[o]!;
      key[p] = occKey[o]!;
    }
    return { identPos, identCount: count, field, start, end, flags, key };
  }

  finish(): Segment {
    const n = this.orderIds.length;
    this.identFrom[n] = this.occCount;
    this.wordStart[n] = this.wordCount;
    const docs = this.orderDocuments();
    const ids = this.identifierPositions();
    const { wordPos, words } = this.wordPositions(ids.identCount);
    const total = ids.identCount + words.length;
    const { docStart, docTokens, postStart } = this.documentTokens(docs.perm, ids.identPos, wordPos, total);
    const postDocs = postings(docStart, docTokens, postStart);
    return {
      orderIds: docs.orderIds,
      recency: docs.recency,
      docOf: docs.docOf,
      replaced: docs.replaced,
      identCount: ids.identCount,
      fields: this.fields,
      identField: ids.field,
      identStart: ids.start,
      identEnd: ids.end,
      identFlags: ids.flags,
      identKey: ids.key,
      words,
      postStart,
      postDocs,
      docStart,
      docTokens,
      neighbours: wordNeighbours(words, ids.identCount, postStart),
    };
  }

  /** Documents newest first (ties keep their arrival order), and the document of each order id. */
  private orderDocuments() {
    const n = this.orderIds.length;
    const newest = new Float64Array(n);
    let latest = Number.NEGATIVE_INFINITY;
    for (let d = 0; d < n; d++) latest = Math.max(latest, this.recency[d]!);
    for (let d = 0; d < n; d++)
      newest[d] = Math.min(2 ** 52, Math.max(0, Math.floor(latest - this.recency[d]!)));
    const perm = sortByKey(newest);
    const orderIds: string[] = new Array(n);
    const recency: number[] = new Array(n);
    const docOf = new Map<string, number>();
    const replaced: number[] = [];
    for (let d = 0; d < n; d++) {
      const old = perm[d]!;
      const id = this.orderIds[old]!;
      orderIds[d] = id;
      recency[d] = this.recency[old]!;
      const size = docOf.size;
      docOf.set(id, d);
      if (docOf.size === size) replaced.push(d);
    }
    // The same order id more than once: the last to arrive stands, the others count as removed.
    if (replaced.length > 0) {
      const arrival = new Int32Array(n);
      for (let d = 0; d < n; d++) arrival[d] = perm[d]!;
      const winner = new Map<string, number>();
      for (let d = 0; d < n; d++) {
        const id = orderIds[d]!;
        const w = winner.get(id);
        if (w === undefined || arrival[d]! > arrival[w]!) winner.set(id, d);
      }
      replaced.length = 0;
      for (let d = 0; d < n; d++) {
        if (winner.get(orderIds[d]!) !== d) replaced.push(d);
        else docOf.set(orderIds[d]!, d);
      }
    }
    return { perm, orderIds, recency, docOf, replaced };
  }

  /** Word positions follow the identifiers, in text order. */
  private wordPositions(identCount: number): { wordPos: Int32Array; words: string[] } {
    const wordTexts = this.wordTexts;
    const byText = wordTexts.map((_, i) => i).sort((a, b) => (wordTexts[a]! < wordTexts[b]! ? -1 : 1));
    const wordPos = new Int32Array(wordTexts.length);
    const words: string[] = [];
    for (let r = 0; r < byText.length; r++) {
      wordPos[byText[r]!] = identCount + r;
      words.push(wordTexts[byText[r]!]!);
    }
    return { wordPos, words };
  }

  /** Each document's distinct positions, and where each position's postings will start. */
  private documentTokens(perm: Int32Array, identPos: Int32Array, wordPos: Int32Array, total: number) {
    const n = perm.length;
    const docStart = new Int32Array(n + 1);
    const docTokens = new Int32Array(this.occCount + this.wordCount);
    const { identFrom, wordStart, wordOcc } = this;
    const lastDoc = new Int32Array(total).fill(-1);
    const count = new Int32Array(total + 1);
    let k = 0;
    for (let d = 0; d < n; d++) {
      const old = perm[d]!;
      docStart[d] = k;
      for (let i = identFrom[old]!, end = identFrom[old + 1]!; i < end; i++) {
        const p = identPos[i]!;
        if (lastDoc[p] !== d) {
          lastDoc[p] = d;
          docTokens[k++] = p;
          count[p + 1]!++;
        }
      }
      for (let i = wordStart[old]!, end = wordStart[old + 1]!; i < end; i++) {
        const p = wordPos[wordOcc[i]!]!;
        if (lastDoc[p] !== d) {
          lastDoc[p] = d;
          docTokens[k++] = p;
          count[p + 1]!++;
        }
      }
    }
    docStart[n] = k;
    for (let p = 0; p < total; p++) count[p + 1]! += count[p]!;
    return { docStart, docTokens: docTokens.slice(0, k), postStart: count };
  }
}

/** Posting lists by counting sort: documents arrive in ascending order. */
function postings(docStart: Int32Array, docTokens: Int32Array, postStart: Int32Array): Int32Array {
  const fill = postStart.slice(0, postStart.length - 1);
  const postDocs = new Int32Array(docTokens.length);
  for (let d = 0; d + 1 < docStart.length; d++) {
    for (let i = docStart[d]!, end = docStart[d + 1]!; i < end; i++) postDocs[fill[docTokens[i]!]!++] = d;
  }
  return postDocs;
}

/** Word positions by themselves and by each of their one-deletion forms (words of three letters or more). */
function wordNeighbours(
  words: readonly string[],
  identCount: number,
  postStart: Int32Array,
): Map<string, number[]> {
  const neighbours = new Map<string, number[]>();
  const add = (key: string, p: number) => {
    const list = neighbours.get(key);
    if (list) list.push(p);
    else neighbours.set(key, [p]);
  };
  for (let i = 0; i < words.length; i++) {
    const p = identCount + i;
    if (postStart[p + 1] === postStart[p]) continue;
    const t = words[i]!;
    if (t.length < TYPO_MIN_LENGTH - 1) continue;
    add(t, p);
    if (t.length >= TYPO_MIN_LENGTH) for (const del of deletions(t)) add(del, p);
  }
  return neighbours;
}

interface IdentifierPositions {
  /** Position of each occurrence. */
  identPos: Int32Array;
  identCount: number;
  field: Int32Array;
  start: Int32Array;
  end: Int32Array;
  flags: Uint8Array;
  key: Float64Array;
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
