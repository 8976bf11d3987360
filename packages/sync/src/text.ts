// Free text people type (an order's notes) as collaborative text: a Y.Text at its work key, so two
// people typing at once both keep their words, instead of a string replaced whole.
//
// The room creates an order's empty text when it imports the order, so devices only ever edit
// inside it and never race to create it (two texts created at once at one key would still be last
// writer wins). Orders from before notes became text hold a plain string or nothing: the first
// device that edits such a note turns it into text.

import * as Y from "yjs";
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

/** The collaborative text of an order's field, if it has one yet. */
export function orderText(doc: Y.Doc, orderId: string, field: TextField): Y.Text | undefined {
  const value = workMap(doc).get(workKey(orderId, field));
  return value instanceof Y.Text ? value : undefined;
}

/**
 * Makes `text` read `next` by replacing only the part that differs (common start and end kept),
 * so a concurrent edit elsewhere in the text survives. Returns true when it changed anything.
 * Call inside a transaction to give it an origin.
 */
export function applyTextDiff(text: Y.Text, next: string): boolean {
  const current = text.toString();
  if (current === next) return false;
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
  const removed = current.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted.length > 0) text.insert(start, inserted);
  return true;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Writes a text field to read `next` (undefined: empty). Edits the existing text in place; where
 * there is none yet (an order from before notes became text), creates it. Returns true when it
 * wrote anything. Must run inside a transaction.
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
  if (current === undefined ? wanted === "" : current === wanted) return false;
  work.set(key, new Y.Text(wanted));
  return true;
}

/** Gives the order an empty text for each text field it lacks (the room, when importing it). */
export function createOrderTexts(doc: Y.Doc, orderId: string): void {
  const work = workMap(doc);
  for (const field of TEXT_FIELDS) {
    const key = workKey(orderId, field);
    const current = work.get(key);
    if (current instanceof Y.Text) continue;
    work.set(key, new Y.Text(typeof current === "string" ? current : ""));
  }
}
