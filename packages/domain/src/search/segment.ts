// The bulk part of the order search: every order's tokens laid out in typed arrays, built in one pass and
// then left alone (changes go to a small delta in OrderSearchIndex until the next rebuild).
//
// Token positions: [0, identCount) are identifiers (order id, postcode, tracking number), sorted, prefix
// matching only; [identCount, identCount + words) are words (names, SKUs, ASINs, titles), sorted, prefix
// matching and one typo through a deletion map over the (small) word vocabulary. Documents are numbered by
// purchase date, most recent first, so every posting list also runs newest first.

import type { Order } from "../order.ts";
import { identifierKey, identifierTokens, keyIsWhole } from "./identifierKeys.ts";
import { sortByKey } from "./radixSort.ts";
import { foldText, tokenize } from "./tokens.ts";
import { deletions } from "./typo.ts";

/** Shortest query token that tolerates a typo. */
export const TYPO_MIN_LENGTH = 4;

export interface Segment {
  /** Order id of each document, most recent purchase first. */
  orderIds: string[];
  /** Purchase date of each document (epoch ms). */
  recency: number[];
  /** Document of each order id. */
  docOf: Map<string, number>;
  identCount: number;
  /** Identifier occurrences as read; identRep[p] is one holding the text of identifier position p. */
  identOcc: string[];
  identRep: Int32Array;
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
  return p < seg.identCount ? seg.identOcc[seg.identRep[p]!]! : seg.words[p - seg.identCount]!;
}

export class SegmentBuilder {
  private readonly orderIds: string[] = [];
  private recency = new Float64Array(1024);
  private readonly docOf = new Map<string, number>();
  private readonly dropped: number[] = [];
  private readonly identOcc: string[] = [];
  private identKeys = new Float64Array(4096);
  private identWhole = new Uint8Array(4096);
  private readonly identStart: number[] = [];
  private wordOcc = new Int32Array(4096);
  private wordCount = 0;
  private readonly wordStart: number[] = [];
  private readonly wordIdByText = new Map<string, number>();
  private readonly wordTexts: string[] = [];
  /** Word ids of a whole field (a title, a name, a SKU): catalogue fields repeat across orders. */
  private readonly plainCache = new Map<string, number[]>();
  private readonly skuCache = new Map<string, number[]>();

  /** Starts a document; a later document with the same order id replaces an earlier one. */
  addDoc(orderId: string, recency: number): void {
    const doc = this.orderIds.length;
    const earlier = this.docOf.get(orderId);
    if (earlier !== undefined) this.dropped.push(earlier);
    this.docOf.set(orderId, doc);
    this.orderIds.push(orderId);
    if (doc === this.recency.length) this.recency = grown(this.recency);
    this.recency[doc] = recency;
    this.identStart.push(this.identOcc.length);
    this.wordStart.push(this.wordCount);
  }

  /** An identifier token of the current document. */
  ident(text: string): void {
    this.identifier(text, identifierKey(text), keyIsWhole(text));
  }

  identifier(text: string, key: number, whole: boolean): void {
    const i = this.identOcc.length;
    if (i === this.identKeys.length) {
      this.identKeys = grown(this.identKeys);
      this.identWhole = grown(this.identWhole);
    }
    this.identOcc.push(text);
    this.identKeys[i] = key;
    this.identWhole[i] = whole ? 1 : 0;
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

  private pushWord(id: number): void {
    if (this.wordCount === this.wordOcc.length) this.wordOcc = grown(this.wordOcc);
    this.wordOcc[this.wordCount++] = id;
  }

  private wordId(text: string): number {
    let id = this.wordIdByText.get(text);
    if (id === undefined) {
      id = this.wordTexts.length;
      this.wordIdByText.set(text, id);
      this.wordTexts.push(text);
    }
    return id;
  }

  finish(): Segment {
    const built = this.orderIds.length;
    this.identStart.push(this.identOcc.length);
    this.wordStart.push(this.wordCount);

    // Documents newest first (ties keep their arrival order); replaced duplicates left out.
    const newest = new Float64Array(built);
    let latest = Number.NEGATIVE_INFINITY;
    for (let d = 0; d < built; d++) latest = Math.max(latest, this.recency[d]!);
    for (let d = 0; d < built; d++) newest[d] = Math.min(2 ** 52, Math.max(0, latest - this.recency[d]!));
    for (const d of this.dropped) newest[d] = 2 ** 53 - 1;
    const perm = sortByKey(newest);
    const n = built - this.dropped.length;
    const orderIds: string[] = new Array(n);
    const recency: number[] = new Array(n);
    for (let d = 0; d < n; d++) {
      const old = perm[d]!;
      orderIds[d] = this.orderIds[old]!;
      recency[d] = this.recency[old]!;
      this.docOf.set(orderIds[d]!, d);
    }

    // Identifier positions: one radix sort of every occurrence; equal texts share a position.
    const { identOcc } = this;
    const occCount = identOcc.length;
    const byKey = sortByKey(this.identKeys.subarray(0, occCount));
    const identPos = new Int32Array(occCount);
    const identRep: number[] = [];
    const keys = this.identKeys;
    const whole = this.identWhole;
    for (let i = 0; i < occCount; ) {
      // A run of equal keys: equal texts when the key holds them whole, else sort the run by text.
      const key = keys[byKey[i]!]!;
      let j = i + 1;
      let allWhole = whole[byKey[i]!] === 1;
      while (j < occCount && keys[byKey[j]!] === key) {
        if (whole[byKey[j]!] === 0) allWhole = false;
        j++;
      }
      if (allWhole) {
        identRep.push(byKey[i]!);
        for (let r = i; r < j; r++) identPos[byKey[r]!] = identRep.length - 1;
      } else {
        const run = Array.from(byKey.subarray(i, j)).sort((a, b) =>
          identOcc[a]! < identOcc[b]! ? -1 : identOcc[a]! > identOcc[b]! ? 1 : a - b,
        );
        let prev: string | undefined;
        for (const o of run) {
          if (identOcc[o] !== prev) {
            prev = identOcc[o];
            identRep.push(o);
          }
          identPos[o] = identRep.length - 1;
        }
      }
      i = j;
    }
    const identCount = identRep.length;

    // Word positions follow, in text order.
    const wordTexts = this.wordTexts;
    const byText = wordTexts.map((_, i) => i).sort((a, b) => (wordTexts[a]! < wordTexts[b]! ? -1 : 1));
    const wordPos = new Int32Array(wordTexts.length);
    const words: string[] = [];
    for (let r = 0; r < byText.length; r++) {
      wordPos[byText[r]!] = identCount + r;
      words.push(wordTexts[byText[r]!]!);
    }
    const total = identCount + words.length;

    // Each document's distinct positions, and how many documents hold each position.
    const docStart = new Int32Array(n + 1);
    const docTokens = new Int32Array(occCount + this.wordCount);
    const lastDoc = new Int32Array(total).fill(-1);
    const count = new Int32Array(total + 1);
    const { identStart, wordStart, wordOcc } = this;
    let k = 0;
    for (let d = 0; d < n; d++) {
      const old = perm[d]!;
      docStart[d] = k;
      for (let i = identStart[old]!, end = identStart[old + 1]!; i < end; i++) {
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

    // Posting lists by counting sort: documents arrive in ascending order.
    const postStart = count;
    for (let p = 0; p < total; p++) postStart[p + 1]! += postStart[p]!;
    const fill = postStart.slice(0, total);
    const postDocs = new Int32Array(k);
    for (let d = 0; d < n; d++) {
      for (let i = docStart[d]!, end = docStart[d + 1]!; i < end; i++) postDocs[fill[docTokens[i]!]!++] = d;
    }

    const neighbours = new Map<string, number[]>();
    const addNeighbour = (key: string, p: number) => {
      const list = neighbours.get(key);
      if (list) list.push(p);
      else neighbours.set(key, [p]);
    };
    for (let p = identCount; p < total; p++) {
      if (postStart[p + 1] === postStart[p]) continue;
      const t = words[p - identCount]!;
      if (t.length < TYPO_MIN_LENGTH - 1) continue;
      addNeighbour(t, p);
      if (t.length >= TYPO_MIN_LENGTH) for (const del of deletions(t)) addNeighbour(del, p);
    }

    return {
      orderIds,
      recency,
      docOf: this.docOf,
      identCount,
      identOcc,
      identRep: Int32Array.from(identRep),
      words,
      postStart,
      postDocs,
      docStart,
      docTokens: docTokens.slice(0, k),
      neighbours,
    };
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
