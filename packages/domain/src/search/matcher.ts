// One query term against a segment: which token positions it reaches (a prefix range among identifiers, one
// among words, one-typo words) and how well a document's tokens match it.

import { type Segment, TYPO_MIN_LENGTH, tokenText } from "./segment.ts";
import { deletions, withinOneEdit } from "./typo.ts";

export const EXACT = 3;
export const PREFIX = 2;
export const TYPO = 1;

export interface Matcher {
  term: string;
  /** Identifier positions starting with the term, and the one equal to it (-1 when none). */
  identLo: number;
  identHi: number;
  identExact: number;
  /** Word positions starting with the term, and the one equal to it (-1 when none). */
  wordLo: number;
  wordHi: number;
  wordExact: number;
  /** Word positions one typo away that are not prefix matches. */
  typos: number[];
  typoSet: Set<number>;
  /** Postings to visit to gather every document matching the term. */
  cost: number;
}

function lowerBound(seg: Segment, lo: number, hi: number, text: string): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokenText(seg, mid) < text) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function matcherFor(seg: Segment, term: string): Matcher {
  const { identCount, postStart } = seg;
  const end = identCount + seg.words.length;
  // Tokens sharing the prefix are contiguous: [term, term + U+FFFF).
  const upper = `${term}\uffff`;
  const identLo = lowerBound(seg, 0, identCount, term);
  const identHi = lowerBound(seg, identLo, identCount, upper);
  const wordLo = lowerBound(seg, identCount, end, term);
  const wordHi = lowerBound(seg, wordLo, end, upper);
  const typos: number[] = [];
  const typoSet = new Set<number>();
  if (term.length >= TYPO_MIN_LENGTH) {
    for (const key of [term, ...deletions(term)]) {
      for (const p of seg.neighbours.get(key) ?? []) {
        if (typoSet.has(p) || (p >= wordLo && p < wordHi)) continue;
        if (!withinOneEdit(term, tokenText(seg, p))) continue;
        typoSet.add(p);
        typos.push(p);
      }
    }
  }
  let cost = postStart[identHi]! - postStart[identLo]! + postStart[wordHi]! - postStart[wordLo]!;
  for (const p of typos) cost += postStart[p + 1]! - postStart[p]!;
  return {
    term,
    identLo,
    identHi,
    identExact: identLo < identHi && tokenText(seg, identLo) === term ? identLo : -1,
    wordLo,
    wordHi,
    wordExact: wordLo < wordHi && tokenText(seg, wordLo) === term ? wordLo : -1,
    typos,
    typoSet,
    cost,
  };
}

/** How well a segment document matches the term: 3 exact, 2 prefix, 1 typo, 0 none. */
export function docQuality(seg: Segment, doc: number, m: Matcher): number {
  const tokens = seg.docTokens;
  let best = 0;
  const anyTypo = m.typos.length > 0;
  for (let i = seg.docStart[doc]!, end = seg.docStart[doc + 1]!; i < end; i++) {
    const p = tokens[i]!;
    if (p === m.identExact || p === m.wordExact) return EXACT;
    if ((p >= m.identLo && p < m.identHi) || (p >= m.wordLo && p < m.wordHi)) best = PREFIX;
    else if (best === 0 && anyTypo && m.typoSet.has(p)) best = TYPO;
  }
  return best;
}

/** The same for a document kept as token texts (the delta). */
export function textQuality(ident: readonly string[], words: readonly string[], term: string): number {
  let best = 0;
  for (const t of ident) {
    if (t === term) return EXACT;
    if (best < PREFIX && t.startsWith(term)) best = PREFIX;
  }
  const typoable = term.length >= TYPO_MIN_LENGTH;
  for (const t of words) {
    if (t === term) return EXACT;
    if (best < PREFIX) {
      if (t.startsWith(term)) best = PREFIX;
      else if (best === 0 && typoable && withinOneEdit(term, t)) best = TYPO;
    }
  }
  return best;
}

/** Calls visit(doc, quality) for every posting the matcher reaches (a document may come more than once). */
export function forEachPosting(
  seg: Segment,
  m: Matcher,
  visit: (doc: number, quality: number) => void,
): void {
  const { postStart, postDocs } = seg;
  const ranges = [m.identLo, m.identHi, m.wordLo, m.wordHi];
  for (let j = 0; j < 4; j += 2) {
    for (let p = ranges[j]!, end = ranges[j + 1]!; p < end; p++) {
      const q = p === m.identExact || p === m.wordExact ? EXACT : PREFIX;
      for (let i = postStart[p]!, e = postStart[p + 1]!; i < e; i++) visit(postDocs[i]!, q);
    }
  }
  for (const p of m.typos) {
    for (let i = postStart[p]!, e = postStart[p + 1]!; i < e; i++) visit(postDocs[i]!, TYPO);
  }
}
