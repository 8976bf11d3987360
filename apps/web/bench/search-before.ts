// The order search as it was before issue 23's keystroke pass (commit 4b79f67), kept as the bench's baseline.

// Instant search over the live orders: one lowercased text per order, updated as orders change, so a
// keystroke scans strings rather than rebuilding anything. Matches every word typed (order number, buyer,
// postcode with or without its space, SKU, ASIN, title, tracking number).
//
// Texts are made lazily: upserts wait in a queue that `indexSome` works through in idle time (so the list
// shows before 50,000 texts are built) and that a search finishes first. A query that extends the previous
// one (the person typed one more letter) only re-checks the previous matches.

import type { Order } from "@consign/domain";

export function searchText(o: Order): string {
  // A query word never holds a space, so it matches the postcode as typed exactly when it matches the postcode
  // without its space: that one alone is kept. Parts said twice (buyer and recipient) are kept once.
  const parts = new Set([o.orderId, o.buyerName ?? "", o.recipient?.name ?? ""]);
  parts.add((o.recipient?.postcode ?? "").replace(/\s+/g, "")).add(o.recipient?.city ?? "");
  for (const i of o.items) parts.add(i.sku).add(i.asin).add(i.title);
  for (const s of o.shipments) parts.add(s.trackingNumber);
  return [...parts].join("\u0001").toLowerCase();
}

/** The words of a query, lowercased; a text matches when it contains every one. */
function wordsOf(lowered: string): string[] {
  return lowered.split(/\s+/).filter(Boolean);
}

function containsAll(text: string, words: readonly string[]): boolean {
  for (const w of words) if (!text.includes(w)) return false;
  return true;
}

/** How many answered queries `filter` keeps for backspacing over the same list. */
const RECENT_QUERIES = 8;

function positionsToIds(ids: readonly string[], positions: readonly number[]): string[] {
  const out = new Array<string>(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = ids[positions[k]!]!;
  return out;
}

export class SearchIndex {
  private readonly text = new Map<string, string>();
  private readonly queue = new Map<string, Order>();
  /** The last non-empty query (lowercased) and its matches, while the index has not changed since. */
  private last: { query: string; ids: Set<string> } | null = null;
  /** Bumped whenever a text is added, changed or dropped. */
  private textVersion = 0;
  /** Texts of the ids last filtered, position by position (a Map lookup per order per keystroke costs more than the search). */
  private aligned: { ids: readonly string[]; textVersion: number; texts: (string | undefined)[] } | null =
    null;
  /** Answers to the last few queries over the same aligned texts (query → positions), oldest first. */
  private readonly recent = new Map<string, number[]>();
  /** The last filter's query (lowercased) and the positions in `aligned` that matched it. */
  private lastFilter: { query: string; positions: number[] } | null = null;

  upsert(o: Order): void {
    this.queue.set(o.orderId, o);
    this.last = null;
  }
  remove(orderId: string): void {
    this.queue.delete(orderId);
    if (this.text.delete(orderId)) this.textVersion++;
    this.last = null;
  }
  /** Orders waiting to be indexed. */
  get pending(): number {
    return this.queue.size;
  }
  /** Indexes waiting orders until `more()` says stop (checked every 100); true when none are left. */
  indexSome(more: () => boolean = () => true): boolean {
    let n = 0;
    if (this.queue.size > 0) this.textVersion++;
    for (const [id, o] of this.queue) {
      this.text.set(id, searchText(o));
      this.queue.delete(id);
      if (++n % 100 === 0 && !more()) break;
    }
    return this.queue.size === 0;
  }
  /** Ids of orders matching every word of the query; null for an empty query (everything matches). */
  match(query: string): Set<string> | null {
    const q = query.toLowerCase();
    const words = wordsOf(q);
    if (words.length === 0) return null;
    this.indexSome();
    const out = new Set<string>();
    const last = this.last;
    if (last && q.startsWith(last.query)) {
      // Every word of the longer query contains a word of the shorter one: only its matches can match.
      for (const id of last.ids) {
        const text = this.text.get(id);
        if (text !== undefined && containsAll(text, words)) out.add(id);
      }
    } else {
      for (const [id, text] of this.text) if (containsAll(text, words)) out.add(id);
    }
    this.last = { query: q, ids: out };
    return out;
  }

  /**
   * The ids among `ids` (kept in their order) that match every word of the query; `ids` itself for an empty
   * query. The same as keeping those in `match(query)`, without a set of every match: when `ids` is the same
   * array as last time and the query extends the last one, only the last answer is re-checked.
   */
  filter(ids: readonly string[], query: string): readonly string[] {
    const q = query.toLowerCase();
    const words = wordsOf(q);
    if (words.length === 0) return ids;
    this.indexSome();
    const texts = this.align(ids);
    const again = this.recent.get(q);
    if (again) {
      // Backspacing goes back through queries just answered: answer them again from memory.
      this.lastFilter = { query: q, positions: again };
      return positionsToIds(ids, again);
    }
    const last = this.lastFilter;
    const positions: number[] = [];
    if (last && q.startsWith(last.query)) {
      const from = last.positions;
      if (words.length === 1) {
        const w = words[0]!;
        for (let k = 0; k < from.length; k++) if (texts[from[k]!]!.includes(w)) positions.push(from[k]!);
      } else for (const i of from) if (containsAll(texts[i]!, words)) positions.push(i);
    } else if (words.length === 1) {
      const w = words[0]!;
      for (let i = 0; i < texts.length; i++) if (texts[i]?.includes(w)) positions.push(i);
    } else {
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i];
        if (t !== undefined && containsAll(t, words)) positions.push(i);
      }
    }
    this.lastFilter = { query: q, positions };
    this.recent.set(q, positions);
    if (this.recent.size > RECENT_QUERIES) this.recent.delete(this.recent.keys().next().value as string);
    return positionsToIds(ids, positions);
  }

  /**
   * Gets ready to filter `ids` (texts made and lined up), so the first keystroke does not pay for it; false
   * while orders still wait to be indexed and `more()` says stop.
   */
  prepare(ids: readonly string[], more: () => boolean = () => true): boolean {
    if (!this.indexSome(more)) return false;
    this.align(ids);
    return true;
  }

  private align(ids: readonly string[]): (string | undefined)[] {
    const aligned = this.aligned;
    if (aligned && aligned.ids === ids && aligned.textVersion === this.textVersion) return aligned.texts;
    const texts = ids.map((id) => this.text.get(id));
    this.aligned = { ids, textVersion: this.textVersion, texts };
    this.lastFilter = null;
    this.recent.clear();
    return texts;
  }
}
