// Instant search over the live orders: one lowercased text per order, updated as orders change, so a
// keystroke scans strings rather than rebuilding anything. Matches every word typed (order number, buyer,
// postcode with or without its space, SKU, ASIN, title, tracking number).
//
// Texts are made lazily: upserts wait in a queue that `indexSome` works through in idle time (so the list
// shows before 50,000 texts are built) and that a search finishes first. A query that extends the previous
// one (the person typed one more letter) only re-checks the previous matches. An order that changes while the
// view stays the same (someone else's edit while this person types) has its text put right in place in the
// lined-up texts, rather than all of the view's texts being looked up again.
//
// The first letters of a search match many orders and used to read every text (and the long texts of
// imported orders are slow to read): when the page is idle (`prepare`), the view's texts are sorted by the
// letters and digits they hold and by each pair of them side by side, one bit per order, so a keystroke
// reads bits: one or two characters are answered by them alone, longer words only read the texts holding
// every pair of the word (kept right as orders change, like the texts). About 8 MB of bits at 50,000.

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
/** Past this many orders changed since the view was lined up, line it up again rather than put each right. */
const PATCH_AT_MOST = 16;

/** Letters and digits: what a one-character query is answered for from bits. */
const ONE_CHAR = "abcdefghijklmnopqrstuvwxyz0123456789";
const slotOf = (code: number) =>
  code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? code - 22 : -1;

/** Bits for a list of `n` texts, all clear. */
function noCharBits(n: number): CharBits {
  const words = (n + 31) >>> 5;
  return {
    words,
    chars: Array.from({ length: ONE_CHAR.length }, () => new Uint32Array(words)),
    pairs: new Array<Uint32Array | undefined>(PAIRS).fill(undefined),
  };
}

const PAIRS = ONE_CHAR.length * ONE_CHAR.length;

/** Which texts hold each letter or digit, and each pair of them side by side (`pairs`, made when first set). */
interface CharBits {
  words: number;
  chars: Uint32Array[];
  pairs: (Uint32Array | undefined)[];
}

/** Sets position `i`'s bits from its text, clearing what it held before unless it held nothing (`fresh`). */
function setCharBits(bits: CharBits, i: number, text: string | undefined, fresh = false): void {
  const word = i >>> 5;
  const bit = 1 << (i & 31);
  if (!fresh) {
    for (const b of bits.chars) b[word]! &= ~bit;
    for (const b of bits.pairs) if (b) b[word]! &= ~bit;
  }
  if (text === undefined) return;
  let prev = -1;
  for (let k = 0; k < text.length; k++) {
    const slot = slotOf(text.charCodeAt(k));
    if (slot >= 0) {
      bits.chars[slot]![word]! |= bit;
      if (prev >= 0) {
        const pair = prev * ONE_CHAR.length + slot;
        const b = bits.pairs[pair] ?? new Uint32Array(bits.words);
        bits.pairs[pair] = b;
        b[word]! |= bit;
      }
    }
    prev = slot;
  }
}

/**
 * The texts that can hold every word, as bits: those holding each of its letters and digits and each pair
 * of them side by side; `exact` when that alone decides (every word one or two letters or digits).
 */
function candidates(
  bits: CharBits,
  n: number,
  words: readonly string[],
  out: Uint32Array,
): { bits: Uint32Array; exact: boolean } {
  out.fill(0xffffffff);
  if (n & 31) out[out.length - 1] = (1 << (n & 31)) - 1;
  let exact = true;
  const and = (b: Uint32Array | undefined) => {
    if (b === undefined) out.fill(0);
    else for (let w = 0; w < out.length; w++) out[w]! &= b[w]!;
  };
  for (const word of words) {
    if (word.length > 2) exact = false;
    let prev = -1;
    for (let k = 0; k < word.length; k++) {
      const slot = slotOf(word.charCodeAt(k));
      if (slot < 0) exact = false;
      else if (prev >= 0) and(bits.pairs[prev * ONE_CHAR.length + slot]);
      else and(bits.chars[slot]);
      prev = slot;
    }
  }
  return { bits: out, exact };
}

/**
 * Writes the positions whose bit is set into `out`, in order; returns how many. `out` has room for one per bit.
 */
function positionsOf(bits: Uint32Array, out: Int32Array): number {
  let k = 0;
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w]!;
    while (x !== 0) {
      const low = x & -x;
      out[k++] = (w << 5) + 31 - Math.clz32(low);
      x ^= low;
    }
  }
  return k;
}

/**
 * Writes the positions among the first `size` of `from` (all of 0..size-1 when null) that `keep` keeps into
 * `out`, in order; returns how many. `out` may be `from` itself (a position is written no later than it is read).
 */
function keepPositions(
  from: Int32Array | null,
  size: number,
  out: Int32Array,
  keep: (i: number) => boolean,
): number {
  let k = 0;
  for (let j = 0; j < size; j++) {
    const i = from === null ? j : from[j]!;
    if (keep(i)) out[k++] = i;
  }
  return k;
}

function positionsToIds(ids: readonly string[], answer: Answer): string[] {
  const out = new Array<string>(answer.n);
  const at = answer.positions;
  for (let k = 0; k < answer.n; k++) out[k] = ids[at[k]!]!;
  return out;
}

/**
 * One answered query: the first `n` of `positions`, a buffer with room for every order of the view. The
 * buffers are kept and handed from a forgotten answer to the next one, so a keystroke allocates no buffer:
 * nothing for the garbage collector from the search but the list of ids it returns. (At 50,000 orders the
 * full collections that hold up a keystroke now and then come from the rows the list redraws, not from
 * here: allocating nothing here left them as often as before; BENCHMARKS.md, session 12.)
 */
interface Answer {
  positions: Int32Array;
  n: number;
}

export class SearchIndex {
  private readonly text = new Map<string, string>();
  private readonly queue = new Map<string, Order>();
  /** The last non-empty query (lowercased) and its matches, while the index has not changed since. */
  private last: { query: string; ids: Set<string> } | null = null;
  /** Bumped whenever a text is added, changed or dropped. */
  private textVersion = 0;
  /** Ids whose text was made, changed or dropped since `aligned` was lined up; null when too many to say. */
  private changed: Set<string> | null = new Set();
  /** Texts of the ids last filtered, position by position (a Map lookup per order per keystroke costs more than the search). */
  private aligned: {
    ids: readonly string[];
    textVersion: number;
    texts: (string | undefined)[];
    /** Which texts hold each letter, digit and pair of them: set in idle time (`prepare`), a slice at a time. */
    chars: CharBits;
    /** How many positions `chars` has been set for (all of them: it answers one-character queries). */
    charsDone: number;
  } | null = null;
  /** Answers to the last few queries over the same aligned texts (query → positions), oldest first. */
  private readonly recent = new Map<string, Answer>();
  /** Buffers no answer holds (each with room for the aligned view), and the bits of a query's candidates. */
  private spare: Int32Array[] = [];
  private scratch: Uint32Array | null = null;
  /** The last filter's query (lowercased) and the positions in `aligned` that matched it. */
  private lastFilter: { query: string; answer: Answer } | null = null;

  upsert(o: Order): void {
    this.queue.set(o.orderId, o);
    this.last = null;
  }
  remove(orderId: string): void {
    this.queue.delete(orderId);
    if (this.text.delete(orderId)) {
      this.textVersion++;
      this.noteChanged(orderId);
    }
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
      this.noteChanged(id);
      this.queue.delete(id);
      if (++n % 100 === 0 && !more()) break;
    }
    return this.queue.size === 0;
  }
  private noteChanged(id: string): void {
    if (this.changed === null) return;
    if (this.changed.size >= PATCH_AT_MOST) this.changed = null;
    else this.changed.add(id);
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
      // Backspacing goes back through queries just answered: answer them again from memory (now the latest,
      // so it is the last to be forgotten).
      this.recent.delete(q);
      this.recent.set(q, again);
      this.lastFilter = { query: q, answer: again };
      return positionsToIds(ids, again);
    }
    const last = this.lastFilter;
    const { chars, charsDone } = this.aligned!;
    const from = last && q.startsWith(last.query) ? last.answer : null;
    // The oldest answer is forgotten first, so its buffer takes this one (never the last answer's: it is the
    // latest in `recent`).
    if (this.recent.size >= RECENT_QUERIES) {
      const oldest = this.recent.keys().next().value as string;
      this.spare.push(this.recent.get(oldest)!.positions);
      this.recent.delete(oldest);
    }
    const positions = this.spare.pop() ?? new Int32Array(texts.length);
    // Whether the text at a position holds every word (one word: a single `includes`).
    const w = words[0]!;
    const matches =
      words.length === 1
        ? (i: number) => texts[i]?.includes(w) === true
        : (i: number) => {
            const t = texts[i];
            return t !== undefined && containsAll(t, words);
          };
    let n: number;
    if (charsDone === texts.length && (from === null || from.n * 32 > texts.length)) {
      // The orders holding every letter, digit and pair typed; their texts read only when that does not decide.
      this.scratch ??= new Uint32Array(chars.words);
      const can = candidates(chars, texts.length, words, this.scratch);
      n = positionsOf(can.bits, positions);
      if (!can.exact) n = keepPositions(positions, n, positions, matches);
    } else n = keepPositions(from?.positions ?? null, from?.n ?? texts.length, positions, matches);
    const answer = { positions, n };
    this.lastFilter = { query: q, answer };
    this.recent.set(q, answer);
    return positionsToIds(ids, answer);
  }

  /**
   * Gets ready to filter `ids` (texts made and lined up, their letters and digits set), so the first keystroke
   * does not pay for it; false while work is left and `more()` says stop.
   */
  prepare(ids: readonly string[], more: () => boolean = () => true): boolean {
    if (!this.indexSome(more)) return false;
    this.align(ids);
    const aligned = this.aligned!;
    const { texts, chars } = aligned;
    // Slices of 2,000 texts: the bits of 50,000 take ~20 ms, more than an idle moment should hold.
    while (aligned.charsDone < texts.length) {
      const end = Math.min(texts.length, aligned.charsDone + 2000);
      for (let i = aligned.charsDone; i < end; i++) setCharBits(chars, i, texts[i], true);
      aligned.charsDone = end;
      if (end < texts.length && !more()) return false;
    }
    return true;
  }

  private align(ids: readonly string[]): (string | undefined)[] {
    const aligned = this.aligned;
    if (aligned && aligned.ids === ids) {
      if (aligned.textVersion === this.textVersion) return aligned.texts;
      if (this.changed !== null) {
        // A few orders changed: put their texts right where they stand. Answers kept from before may hold
        // them wrongly, so they are forgotten.
        for (const id of this.changed)
          for (let i = ids.indexOf(id); i >= 0; i = ids.indexOf(id, i + 1)) {
            aligned.texts[i] = this.text.get(id);
            if (i < aligned.charsDone) setCharBits(aligned.chars, i, aligned.texts[i]);
          }
        this.changed.clear();
        aligned.textVersion = this.textVersion;
        this.forgetAnswers(ids.length);
        return aligned.texts;
      }
    }
    const texts = ids.map((id) => this.text.get(id));
    this.aligned = { ids, textVersion: this.textVersion, texts, chars: noCharBits(ids.length), charsDone: 0 };
    this.changed = new Set();
    this.forgetAnswers(ids.length);
    return texts;
  }

  /** Forgets the answers kept; their buffers are kept for the next ones while the view is as long (`size`). */
  private forgetAnswers(size: number): void {
    this.lastFilter = null;
    for (const a of this.recent.values()) this.spare.push(a.positions);
    this.recent.clear();
    if (this.spare[0] !== undefined && this.spare[0].length !== size) this.spare = [];
    if (this.scratch !== null && this.scratch.length !== (size + 31) >>> 5) this.scratch = null;
  }
}
