// Free text people type (an order's notes) as collaborative text: a Y.Text at its work key, so two
// people typing at once both keep their words, instead of a string replaced whole.
//
// Where the text lives depends on the document's layout (layout.ts):
// - Layout 2: a top-level text named `notes/<orderId>` (`textRootName`), made by the first keystroke
//   on any device. A top-level type is the same type in every copy of the document (Yjs names it;
//   nobody creates it), so two tablets that each type the first note of one order offline both keep
//   every word: their letters merge as in any text, with no text that could lose a race. An order
//   nobody wrote a note on has nothing in the document for it.
// - Layout 1: a Y.Text at the order's `work` key, which the room creates when it imports the order,
//   so devices only ever edit inside it (two texts set at one key would be last writer wins).
//   Orders from before notes became text hold a plain string or nothing: the first device that
//   edits such a note turns it into text.
// Readers accept both: a text at the work key wins (it is where every device of that document types).

import * as Y from "yjs";
import { isStringsLayout } from "./layout.ts";
import { workKey, workMap } from "./schema.ts";
import { WORK_FIELD_RULES } from "./write-policy.ts";

/** Working fields held as collaborative text. */
export const TEXT_FIELDS = (Object.keys(WORK_FIELD_RULES) as (keyof typeof WORK_FIELD_RULES)[]).filter(
  (f) => WORK_FIELD_RULES[f].kind === "text",
);
export type TextField = "notes";

const textFieldSet: ReadonlySet<string> = new Set(TEXT_FIELDS);
export function isTextField(field: string): field is TextField {
  return textFieldSet.has(field);
}

/** What a stored working value reads as: a text's content (absent when empty), anything else as it is. */
export function plainValue(value: unknown): unknown {
  if (value instanceof Y.Text) {
    const s = value.toString();
    return s === "" ? undefined : s;
  }
  return value;
}

/** The name of the top-level text holding an order's field in layout 2, e.g. `notes/203-1234567-1234567`. */
export function textRootName(orderId: string, field: TextField): string {
  return `${field}/${orderId}`;
}

/** The order and field a top-level name holds the text of, or undefined when it is not such a name. */
export function textOfRootName(name: string): { orderId: string; field: TextField } | undefined {
  const slash = name.indexOf("/");
  if (slash < 0) return undefined;
  const field = name.slice(0, slash);
  return isTextField(field) ? { orderId: name.slice(slash + 1), field } : undefined;
}

/**
 * The top-level text of that name if any copy of the document wrote into it, without creating one
 * (a document read from updates holds a placeholder until its type is asked for: turned into the text
 * here). Undefined for a name never written, or one holding something else than text.
 */
export function existingRootText(doc: Y.Doc, name: string): Y.Text | undefined {
  const shared = doc.share.get(name);
  if (shared === undefined) return undefined;
  if (shared instanceof Y.Text) return shared;
  if (shared.constructor !== Y.AbstractType) return undefined;
  return doc.getText(name);
}

/** Every order's top-level text (layout 2) that some copy of the document wrote into. */
export function* rootTexts(doc: Y.Doc): Generator<{ orderId: string; field: TextField; text: Y.Text }> {
  for (const name of [...doc.share.keys()]) {
    const of = textOfRootName(name);
    if (of === undefined) continue;
    const text = existingRootText(doc, name);
    if (text !== undefined) yield { ...of, text };
  }
}

/**
 * The collaborative text of an order's field: the text at its work key (layout 1), or in layout 2
 * its top-level text (made in memory when nobody wrote one yet: typing into it creates it in the
 * document). Undefined in layout 1 while the order has none yet.
 */
export function orderText(doc: Y.Doc, orderId: string, field: TextField): Y.Text | undefined {
  const value = workMap(doc).get(workKey(orderId, field));
  if (value instanceof Y.Text) return value;
  return isStringsLayout(doc) ? doc.getText(textRootName(orderId, field)) : undefined;
}

/** What an order's text field reads as, in either layout (undefined when empty). */
export function textValue(doc: Y.Doc, orderId: string, field: TextField): string | undefined {
  const legacy = workMap(doc).get(workKey(orderId, field));
  if (legacy instanceof Y.Text || (typeof legacy === "string" && legacy !== ""))
    return plainValue(legacy) as string;
  const root = existingRootText(doc, textRootName(orderId, field));
  return root === undefined ? undefined : (plainValue(root) as string | undefined);
}

/**
 * The one change that turns `current` into `next`: `remove` characters at `at` replaced by `insert`
 * (common start and end kept, never splitting a surrogate pair).
 */
export function textSplice(current: string, next: string): { at: number; remove: number; insert: string } {
  let start = 0;
  const max = Math.min(current.length, next.length);
  while (start < max && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  )
    end++;
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  return { at: start, remove: current.length - start - end, insert: next.slice(start, next.length - end) };
}

/**
 * Makes `text` read `next` by replacing only the part that differs (common start and end kept),
 * so a concurrent edit elsewhere in the text survives. Returns true when it changed anything.
 * Call inside a transaction to give it an origin.
 */
export function applyTextDiff(text: Y.Text, next: string): boolean {
  const current = text.toString();
  if (current === next) return false;
  const { at, remove, insert } = textSplice(current, next);
  if (remove > 0) text.delete(at, remove);
  if (insert.length > 0) text.insert(at, insert);
  return true;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Writes a text field to read `next` (undefined: empty). Edits the existing text in place; in
 * layout 2 that is the order's top-level text (a plain string left at the work key moves into it);
 * in layout 1, where there is no text yet (an order from before notes became text), creates it.
 * Returns true when it wrote anything. Must run inside a transaction.
 */
export function writeTextField(
  doc: Y.Doc,
  orderId: string,
  field: TextField,
  next: string | undefined,
): boolean {
  const key = workKey(orderId, field);
  const work = workMap(doc);
  const current = work.get(key);
  const wanted = next ?? "";
  if (current instanceof Y.Text) return applyTextDiff(current, wanted);
  if (isStringsLayout(doc)) {
    let moved = false;
    if (current !== undefined) {
      work.delete(key);
      moved = true;
    }
    const text = existingRootText(doc, textRootName(orderId, field));
    if (text === undefined && wanted === "") return moved;
    return applyTextDiff(text ?? doc.getText(textRootName(orderId, field)), wanted) || moved;
  }
  if (current === undefined ? wanted === "" : current === wanted) return false;
  work.set(key, new Y.Text(wanted));
  return true;
}

/** Empties the order's top-level texts (layout 2), when the order leaves the live document. */
export function clearRootTexts(doc: Y.Doc, orderId: string): void {
  for (const field of TEXT_FIELDS as TextField[]) {
    const text = existingRootText(doc, textRootName(orderId, field));
    if (text !== undefined && text.length > 0) text.delete(0, text.length);
  }
}

/** Gives the order an empty text for each text field it lacks (the room, when importing it; layout 1 only). */
export function createOrderTexts(doc: Y.Doc, orderId: string): void {
  const work = workMap(doc);
  for (const field of TEXT_FIELDS) {
    const key = workKey(orderId, field);
    const current = work.get(key);
    if (current instanceof Y.Text) continue;
    work.set(key, new Y.Text(typeof current === "string" ? current : ""));
  }
}
