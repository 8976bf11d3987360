// An in-memory search over orders: order id, buyer and recipient name, postcode, SKU, ASIN, item title and
// tracking number. Prefix matching on every token, one typo on words of four letters or more, updated one
// order at a time.
//
// Layout: a segment (see segment.ts) built in one pass with typed arrays, plus a small delta of orders
// upserted since, kept as token texts and checked one by one; orders replaced or removed from the segment are
// tombstoned. When the delta and tombstones grow past a share of the segment, the next search rebuilds the
// segment from the tokens already held (no re-tokenizing). A query drives from its most selective term and
// checks the others against each candidate's own token positions. Ranking: exact token 3, prefix 2, one typo
// 1, summed over query terms; ties go to the most recent purchase. An exact order id always ranks first.

import type { Order } from "../order.ts";
import { docQuality, forEachPosting, type Matcher, matcherFor, textQuality } from "./matcher.ts";
import { type Segment, SegmentBuilder } from "./segment.ts";
import { type OrderTokens, orderTokens, tokenize } from "./tokens.ts";

export { TYPO_MIN_LENGTH } from "./segment.ts";

/** When the most selective term still has this many postings, first try scanning recent orders. */
const BROAD = 10_000;
/** Most recent orders such a scan looks at before falling back to gathering every candidate. */
const SCAN_BUDGET = 3000;
/** The delta and tombstones together may reach this share of the segment (1/64) before a rebuild... */
const REBUILD_SHIFT = 6;
/** ...or this many, whichever is larger. */
const REBUILD_MIN = 512;

export interface SearchOptions {
  /** Most results to return (default 20). */
  limit?: number;
}

const EMPTY: Segment = new SegmentBuilder().finish();

export class OrderSearchIndex {
  private seg: Segment = EMPTY;
  /** Documents in the segment: numbers below this are the segment's, the delta's follow. */
  private segDocs = 0;
  /** Segment documents replaced or removed since it was built. */
  private dead = new Uint8Array(0);
  private deadCount = 0;
  /** Orders upserted since the segment was built, by document number (numbered after the segment's). */
  private readonly delta = new Map<number, OrderTokens>();

  private docOf = new Map<string, number>();
  private docOrderId: string[] = [];
  private docRecency: number[] = [];

  private stamp = new Int32Array(0);
  private score = new Int32Array(0);
  private generation = 0;
  private markStamp = new Int32Array(0);
  private markQ = new Int32Array(0);
  private markGeneration = 0;

  /** Builds an index over many orders at once (faster than upserting them one by one). */
  static build(orders: Iterable<Order>): OrderSearchIndex {
    const builder = new SegmentBuilder(Array.isArray(orders) ? orders.length : undefined);
    for (const order of orders) builder.addOrder(order);
    const index = new OrderSearchIndex();
    index.install(builder.finish());
    return index;
  }

  get size(): number {
    return this.docOf.size;
  }

  has(orderId: string): boolean {
    return this.docOf.has(orderId);
  }

  /** Adds the order, or replaces what was indexed for it. */
  upsert(order: Order): void {
    this.remove(order.orderId);
    const doc = this.docOrderId.length;
    this.docOrderId.push(order.orderId);
    this.docRecency.push(order.purchaseDate);
    this.docOf.set(order.orderId, doc);
    this.delta.set(doc, orderTokens(order));
    // Churn without searches in between: keep the document numbers from running away.
    if (this.docOrderId.length > 4 * this.docOf.size + REBUILD_MIN) this.rebuild();
  }

  /** Forgets the order; true when it was indexed. */
  remove(orderId: string): boolean {
    const doc = this.docOf.get(orderId);
    if (doc === undefined) return false;
    if (doc < this.segDocs) {
      this.dead[doc] = 1;
      this.deadCount++;
    } else this.delta.delete(doc);
    this.docOf.delete(orderId);
    return true;
  }

  /** Order ids best first. */
  search(query: string, options: SearchOptions = {}): string[] {
    const limit = options.limit ?? 20;
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || limit <= 0) return [];
    const pending = this.delta.size + this.deadCount;
    if (pending > Math.max(REBUILD_MIN, this.segDocs >> REBUILD_SHIFT)) this.rebuild();
    this.grow(this.docOrderId.length);
    const exactDoc = this.docOf.get(query) ?? this.docOf.get(query.trim());

    const gen = this.nextGeneration();
    const kept = this.segDocs > 0 ? this.searchSegment(terms, limit, gen) : [];
    for (const [doc, tokens] of this.delta) {
      let total = 0;
      for (const term of terms) {
        const q = textQuality(tokens.exact, tokens.words, term);
        if (q === 0) {
          total = 0;
          break;
        }
        total += q;
      }
      if (total === 0) continue;
      this.stamp[doc] = gen;
      this.score[doc] = total;
      kept.push(doc);
    }

    if (exactDoc === undefined) return this.top(kept, limit);
    const rest = this.top(
      kept.filter((doc) => doc !== exactDoc),
      limit - 1,
    );
    return [this.docOrderId[exactDoc]!, ...rest];
  }

  /** Live segment documents matching every term, scored in this.score. */
  private searchSegment(terms: readonly string[], limit: number, gen: number): number[] {
    const seg = this.seg;
    // Most selective term first: it drives, the others narrow its candidates down.
    const matchers = terms.map((term) => matcherFor(seg, term)).sort((a, b) => a.cost - b.cost);
    const driver = matchers[0]!;
    if (driver.cost === 0) return [];
    if (driver.cost >= BROAD) {
      const recent = this.scanRecent(matchers, limit, gen);
      if (recent !== null) return recent;
    }
    const stamp = this.stamp;
    const score = this.score;
    const dead = this.dead;
    let kept: number[] = [];
    forEachPosting(seg, driver, (doc, q) => {
      if (stamp[doc] !== gen) {
        if (dead[doc] === 1) return;
        stamp[doc] = gen;
        score[doc] = q;
        kept.push(doc);
      } else if (q > score[doc]!) score[doc] = q;
    });
    for (let m = 1; m < matchers.length; m++) {
      const matcher = matchers[m]!;
      // Marking a term's postings costs its posting count; checking each candidate's tokens ~20 a candidate.
      kept =
        matcher.cost < kept.length * 20
          ? this.narrowByPostings(kept, matcher)
          : this.narrowByTokens(kept, matcher);
    }
    return kept;
  }

  /**
   * For a query too broad to gather every match (a first keystroke matching half the account), take the most
   * recent orders that match every term, stopping once there are enough to fill the page; they are then ranked
   * by score like any other. Exactness beyond that page is traded for a steady keystroke time.
   */
  private scanRecent(matchers: readonly Matcher[], limit: number, gen: number): number[] | null {
    const seg = this.seg;
    const out: number[] = [];
    const want = limit * 2;
    const count = this.segDocs;
    const end = Math.min(count, SCAN_BUDGET);
    // Segment documents are numbered newest first.
    for (let doc = 0; doc < end; doc++) {
      if (this.dead[doc] === 1) continue;
      let total = 0;
      for (const m of matchers) {
        const q = docQuality(seg, doc, m);
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
    return end === count ? out : null;
  }

  private narrowByTokens(docs: readonly number[], m: Matcher): number[] {
    const seg = this.seg;
    const score = this.score;
    const next: number[] = [];
    for (const doc of docs) {
      const q = docQuality(seg, doc, m);
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
    forEachPosting(this.seg, m, (doc, q) => {
      if (markStamp[doc] !== g) {
        markStamp[doc] = g;
        markQ[doc] = q;
      } else if (q > markQ[doc]!) markQ[doc] = q;
    });
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

  /** Folds the delta and tombstones into a new segment, from the tokens already held. */
  private rebuild(): void {
    const seg = this.seg;
    const builder = new SegmentBuilder(this.docOf.size);
    const { identCount, docStart, docTokens } = seg;
    const wordIds = new Int32Array(seg.words.length).fill(-1);
    for (let doc = 0; doc < this.segDocs; doc++) {
      if (this.dead[doc] === 1) continue;
      builder.addDoc(this.docOrderId[doc]!, this.docRecency[doc]!);
      for (let i = docStart[doc]!, end = docStart[doc + 1]!; i < end; i++) {
        const p = docTokens[i]!;
        if (p < identCount)
          builder.identifier(
            seg.fields[seg.identField[p]!]!,
            seg.identStart[p]!,
            seg.identEnd[p]!,
            seg.identFlags[p]!,
            seg.identKey[p]!,
          );
        else {
          const w = p - identCount;
          if (wordIds[w] === -1) wordIds[w] = builder.wordId(seg.words[w]!);
          builder.pushWord(wordIds[w]!);
        }
      }
    }
    for (const [doc, tokens] of this.delta) {
      builder.addDoc(this.docOrderId[doc]!, this.docRecency[doc]!);
      for (const t of tokens.exact) builder.ident(t);
      for (const t of tokens.words) builder.word(t);
    }
    this.install(builder.finish());
  }

  private install(seg: Segment): void {
    this.seg = seg;
    this.segDocs = seg.orderIds.length;
    this.dead = new Uint8Array(this.segDocs);
    for (const doc of seg.replaced) this.dead[doc] = 1;
    this.deadCount = seg.replaced.length;
    this.delta.clear();
    this.docOf = seg.docOf;
    // The segment's arrays, with the delta's documents appended after its own.
    this.docOrderId = seg.orderIds;
    this.docRecency = seg.recency;
    this.grow(this.segDocs);
  }

  private grow(size: number): void {
    if (size <= this.stamp.length) return;
    let capacity = Math.max(1024, this.stamp.length);
    while (capacity < size) capacity *= 2;
    const stamp = new Int32Array(capacity);
    stamp.set(this.stamp);
    const score = new Int32Array(capacity);
    score.set(this.score);
    const markStamp = new Int32Array(capacity);
    markStamp.set(this.markStamp);
    this.stamp = stamp;
    this.score = score;
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

  private nextMarkGeneration(): number {
    if (this.markGeneration === 0x7fffffff) {
      this.markStamp.fill(0);
      this.markGeneration = 0;
    }
    return ++this.markGeneration;
  }
}
