// An in-memory search over orders: order id, buyer and recipient name, postcode, SKU, ASIN, item title and
// tracking number. Prefix matching on every token, one typo on words of four letters or more, updated one
// order at a time.
//
// Layout: a dictionary of distinct tokens (id → text) with a posting list of documents each; the token texts
// kept sorted so a prefix is a binary search and a contiguous range; a deletion-neighbourhood map for the
// typo-tolerant words. A query drives from its most selective token and checks the others against each
// candidate's own (short) token list. Ranking: exact token 3, prefix 2, one typo 1, summed over query
// tokens; ties go to the most recent purchase. An exact order id always ranks first.

import type { Order } from "../order.ts";
import { orderTokens, tokenize } from "./tokens.ts";
import { deletions, withinOneEdit } from "./typo.ts";

const EXACT = 3;
const PREFIX = 2;
const TYPO = 1;
/** Shortest query token that tolerates a typo. */
export const TYPO_MIN_LENGTH = 4;

/** When the most selective term still has this many postings, first try scanning recent orders. */
const BROAD = 10_000;
/** Most recent orders such a scan looks at before falling back to gathering every candidate. */
const SCAN_BUDGET = 3000;
/** Counting postings stops here: the term is broad, the exact figure does not matter. */
const COST_CAP = 50_000;

interface Matcher {
  term: string;
  /** The range of sorted tokens starting with the term. */
  lo: number;
  hi: number;
  /** Tokens one typo away (not already prefix matches). */
  typos: Set<number>;
  /** Estimated postings to visit, capped at COST_CAP. */
  cost: number;
}

export interface SearchOptions {
  /** Most results to return (default 20). */
  limit?: number;
}

export class OrderSearchIndex {
  private readonly tokenIdByText = new Map<string, number>();
  private readonly tokenText: string[] = [];
  private readonly postings: number[][] = [];
  private readonly typoable: boolean[] = [];
  private sortedText: string[] = [];
  private sortedIds: number[] = [];
  private readonly neighbours = new Map<string, number[]>();

  private readonly docByOrderId = new Map<string, number>();
  private readonly docOrderId: string[] = [];
  private readonly docTokens: (number[] | undefined)[] = [];
  private readonly docRecency: number[] = [];
  private readonly freeDocs: number[] = [];
  /** Live documents, most recent purchase first: the scan order for very broad queries. */
  private byRecency: number[] = [];
  /** Last document each token was attached to, to skip repeats within one order without a Set. */
  private readonly tokenLastDoc: number[] = [];
  private bulkLoading = false;

  private stamp = new Int32Array(1024);
  private score = new Int32Array(1024);
  private generation = 0;
  private markStamp = new Int32Array(1024);
  private markQ = new Int32Array(1024);
  private markGeneration = 0;

  /** Builds an index over many orders at once (faster than upserting them one by one). */
  static build(orders: Iterable<Order>): OrderSearchIndex {
    const index = new OrderSearchIndex();
    index.bulkLoading = true;
    for (const order of orders) index.upsert(order);
    index.bulkLoading = false;
    index.sortTokens();
    return index;
  }

  get size(): number {
    return this.docByOrderId.size;
  }

  has(orderId: string): boolean {
    return this.docByOrderId.has(orderId);
  }

  /** Adds the order, or replaces what was indexed for it. */
  upsert(order: Order): void {
    this.remove(order.orderId);
    const doc = this.freeDocs.pop() ?? this.docOrderId.length;
    this.docOrderId[doc] = order.orderId;
    this.docRecency[doc] = order.purchaseDate;
    this.docByOrderId.set(order.orderId, doc);
    const { exact, words } = orderTokens(order);
    const ids: number[] = [];
    for (const text of exact) this.attach(doc, this.tokenId(text, false), ids);
    for (const text of words) this.attach(doc, this.tokenId(text, true), ids);
    this.docTokens[doc] = ids;
    if (doc >= this.stamp.length) this.grow(doc + 1);
    if (!this.bulkLoading) this.byRecency.splice(this.recencySlot(order.purchaseDate), 0, doc);
  }

  /** Forgets the order; true when it was indexed. */
  remove(orderId: string): boolean {
    const doc = this.docByOrderId.get(orderId);
    if (doc === undefined) return false;
    for (const tid of this.docTokens[doc] ?? []) {
      const list = this.postings[tid]!;
      const at = list.indexOf(doc);
      if (at >= 0) {
        list[at] = list[list.length - 1]!;
        list.pop();
      }
    }
    this.docTokens[doc] = undefined;
    if (!this.bulkLoading) {
      // Among documents of equal recency, just before the slot a new one would take.
      const end = this.recencySlot(this.docRecency[doc]!);
      const at = end > 0 ? this.byRecency.lastIndexOf(doc, end - 1) : -1;
      if (at >= 0) this.byRecency.splice(at, 1);
    }
    this.docByOrderId.delete(orderId);
    this.freeDocs.push(doc);
    return true;
  }

  /** Order ids best first. */
  search(query: string, options: SearchOptions = {}): string[] {
    const limit = options.limit ?? 20;
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || limit <= 0) return [];
    const exactDoc = this.docByOrderId.get(query) ?? this.docByOrderId.get(query.trim());

    // Most selective term first: it drives, the others narrow its candidates down.
    const matchers = terms.map((term) => this.matcher(term)).sort((a, b) => a.cost - b.cost);
    const driver = 0;

    const gen = this.nextGeneration();
    const stamp = this.stamp;
    const score = this.score;
    let kept: number[] | null = null;
    if (matchers[driver]!.cost >= BROAD) kept = this.scanRecent(matchers, limit, gen);
    if (kept === null) {
      const candidates: number[] = [];
      const d = matchers[driver]!;
      for (let r = d.lo; r < d.hi; r++) {
        const quality = this.sortedText[r] === d.term ? EXACT : PREFIX;
        for (const doc of this.postings[this.sortedIds[r]!]!) {
          if (stamp[doc] !== gen) {
            stamp[doc] = gen;
            score[doc] = quality;
            candidates.push(doc);
          } else if (quality > score[doc]!) score[doc] = quality;
        }
      }
      for (const tid of d.typos) {
        for (const doc of this.postings[tid]!) {
          if (stamp[doc] !== gen) {
            stamp[doc] = gen;
            score[doc] = TYPO;
            candidates.push(doc);
          }
        }
      }
      kept = candidates;
      for (let m = 1; m < matchers.length; m++) {
        const matcher = matchers[m]!;
        // Marking a term's postings costs its posting count; checking each candidate's tokens costs ~20 a candidate.
        kept =
          matcher.cost < COST_CAP && matcher.cost < kept.length * 20
            ? this.narrowByPostings(kept, matcher)
            : this.narrowByTokens(kept, matcher);
      }
    }

    if (exactDoc === undefined) return this.top(kept, limit);
    const rest = this.top(
      kept.filter((doc) => doc !== exactDoc),
      limit - 1,
    );
    return [this.docOrderId[exactDoc]!, ...rest];
  }

  /**
   * For a query too broad to gather every match (a first keystroke matching half the account), take the most
   * recent orders that match every term, stopping once there are enough to fill the page; they are then ranked
   * by score like any other. Exactness beyond that page is traded for a steady keystroke time.
   */
  private scanRecent(matchers: readonly Matcher[], limit: number, gen: number): number[] | null {
    const out: number[] = [];
    const want = limit * 2;
    const list = this.byRecency;
    const end = Math.min(list.length, SCAN_BUDGET);
    for (let i = 0; i < end; i++) {
      const doc = list[i]!;
      let total = 0;
      for (const m of matchers) {
        const q = this.quality(doc, m);
        if (q === 0) {
          total = 0;
          break;
        }
        total += q;
      }
      if (total === 0) continue;
      this.stamp[doc] = gen;
      this.score[doc] = total;
      out.push(doc);
      if (out.length >= want) return out;
    }
    // Too few among the recent ones (the terms are broad but rarely together): gather candidates instead.
    return end === list.length ? out : null;
  }

  private narrowByTokens(docs: readonly number[], m: Matcher): number[] {
    const score = this.score;
    const next: number[] = [];
    for (const doc of docs) {
      const q = this.quality(doc, m);
      if (q > 0) {
        score[doc] = score[doc]! + q;
        next.push(doc);
      }
    }
    return next;
  }

  private narrowByPostings(docs: readonly number[], m: Matcher): number[] {
    const g = this.nextMarkGeneration();
    const markStamp = this.markStamp;
    const markQ = this.markQ;
    for (let r = m.lo; r < m.hi; r++) {
      const q = this.sortedText[r] === m.term ? EXACT : PREFIX;
      for (const doc of this.postings[this.sortedIds[r]!]!) {
        if (markStamp[doc] !== g) {
          markStamp[doc] = g;
          markQ[doc] = q;
        } else if (q > markQ[doc]!) markQ[doc] = q;
      }
    }
    for (const tid of m.typos) {
      for (const doc of this.postings[tid]!) {
        if (markStamp[doc] !== g) {
          markStamp[doc] = g;
          markQ[doc] = TYPO;
        }
      }
    }
    const score = this.score;
    const next: number[] = [];
    for (const doc of docs) {
      if (markStamp[doc] === g) {
        score[doc] = score[doc]! + markQ[doc]!;
        next.push(doc);
      }
    }
    return next;
  }

  private nextMarkGeneration(): number {
    if (this.markGeneration === 0x7fffffff) {
      this.markStamp.fill(0);
      this.markGeneration = 0;
    }
    return ++this.markGeneration;
  }

  /** How well one document's tokens match one query term: 3 exact, 2 prefix, 1 typo, 0 none. */
  private quality(doc: number, m: Matcher): number {
    let best = 0;
    for (const tid of this.docTokens[doc]!) {
      const text = this.tokenText[tid]!;
      if (text === m.term) return EXACT;
      if (best < PREFIX && text.startsWith(m.term)) best = PREFIX;
      else if (best < TYPO && m.typos.has(tid)) best = TYPO;
    }
    return best;
  }

  private top(docs: readonly number[], limit: number): string[] {
    const score = this.score;
    const recency = this.docRecency;
    const better = (a: number, b: number) =>
      score[a]! > score[b]! || (score[a] === score[b] && recency[a]! > recency[b]!);
    const best: number[] = [];
    if (limit <= 0) return [];
    for (const doc of docs) {
      if (best.length === limit && !better(doc, best[limit - 1]!)) continue;
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (better(doc, best[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      best.splice(lo, 0, doc);
      if (best.length > limit) best.pop();
    }
    return best.map((doc) => this.docOrderId[doc]!);
  }

  private matcher(term: string): Matcher {
    // Tokens sharing the prefix are contiguous: [term, term + U+FFFF).
    const lo = this.lowerBound(term);
    const hi = this.lowerBound(`${term}\uffff`);
    const typos = new Set<number>();
    if (term.length >= TYPO_MIN_LENGTH) {
      for (const key of [term, ...deletions(term)]) {
        for (const tid of this.neighbours.get(key) ?? []) {
          const text = this.tokenText[tid]!;
          if (
            !typos.has(tid) &&
            !text.startsWith(term) &&
            this.postings[tid]!.length > 0 &&
            withinOneEdit(term, text)
          ) {
            typos.add(tid);
          }
        }
      }
    }
    // Estimated work: posting list lengths, but stop counting once it is clearly large.
    let cost = hi - lo;
    if (cost < COST_CAP) cost = 0;
    for (let r = lo; r < hi && cost < COST_CAP; r++) cost += this.postings[this.sortedIds[r]!]!.length;
    for (const tid of typos) cost += this.postings[tid]!.length;
    return { term, lo, hi, typos, cost };
  }

  private lowerBound(text: string): number {
    const sorted = this.sortedText;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < text) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private tokenId(text: string, typoable: boolean): number {
    let id = this.tokenIdByText.get(text);
    if (id === undefined) {
      id = this.tokenText.length;
      this.tokenIdByText.set(text, id);
      this.tokenText.push(text);
      this.postings.push([]);
      this.typoable.push(false);
      this.tokenLastDoc.push(-1);
      if (!this.bulkLoading) {
        const at = this.lowerBound(text);
        this.sortedText.splice(at, 0, text);
        this.sortedIds.splice(at, 0, id);
      }
    }
    if (typoable && !this.typoable[id] && text.length >= TYPO_MIN_LENGTH - 1) {
      this.typoable[id] = true;
      this.addNeighbour(text, id);
      if (text.length >= TYPO_MIN_LENGTH) for (const del of deletions(text)) this.addNeighbour(del, id);
    }
    return id;
  }

  private addNeighbour(key: string, id: number): void {
    const list = this.neighbours.get(key);
    if (list) list.push(id);
    else this.neighbours.set(key, [id]);
  }

  /** Where a document of this recency goes in byRecency (before the first older one). */
  private recencySlot(recency: number): number {
    const list = this.byRecency;
    const rec = this.docRecency;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rec[list[mid]!]! >= recency) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private attach(doc: number, tid: number, ids: number[]): void {
    if (this.tokenLastDoc[tid] === doc) return;
    this.tokenLastDoc[tid] = doc;
    ids.push(tid);
    this.postings[tid]!.push(doc);
  }

  private sortTokens(): void {
    const order = this.tokenText.map((_, i) => i);
    const text = this.tokenText;
    order.sort((a, b) => (text[a]! < text[b]! ? -1 : text[a]! > text[b]! ? 1 : 0));
    this.sortedIds = order;
    this.sortedText = order.map((i) => text[i]!);
    this.grow(this.docOrderId.length);
    const live: number[] = [];
    for (const doc of this.docByOrderId.values()) live.push(doc);
    const rec = this.docRecency;
    this.byRecency = live.sort((a, b) => rec[b]! - rec[a]!);
  }

  private grow(size: number): void {
    if (size <= this.stamp.length) return;
    let capacity = this.stamp.length;
    while (capacity < size) capacity *= 2;
    const stamp = new Int32Array(capacity);
    stamp.set(this.stamp);
    const score = new Int32Array(capacity);
    score.set(this.score);
    this.stamp = stamp;
    this.score = score;
    const markStamp = new Int32Array(capacity);
    markStamp.set(this.markStamp);
    this.markStamp = markStamp;
    this.markQ = new Int32Array(capacity);
  }

  private nextGeneration(): number {
    if (this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }
}
