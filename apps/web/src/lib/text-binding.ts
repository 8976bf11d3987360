// Binds a textarea to one order's collaborative text (its notes, a Y.Text in the live document):
// what the person types goes into the text as the smallest change, so a colleague typing in the
// same note at the same time keeps their words; what colleagues type shows at once, with the
// person's caret and selection kept where they were in their own words. Nothing is written
// unless the person changed the text: focus, blur and remote edits write nothing.

import type * as Y from "yjs";
import { orderText, type TextField, textValue, workKey, workMap, writeTextField } from "./doc.ts";

/** The part of a textarea the binding uses (an HTMLTextAreaElement; a plain object in tests). */
export interface TextAreaLike {
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
  setSelectionRange(start: number, end: number): void;
}

export type Delta = { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Where a caret at `pos` moves to after a remote change (a Y.Text delta). Text inserted before it
 * pushes it on, text deleted before it pulls it back; text inserted exactly at it goes after it
 * (the person keeps typing where they were, not inside a colleague's words).
 */
export function transformCaret(pos: number, delta: Delta): number {
  let oldIndex = 0; // position in the text before the change
  let shift = 0;
  for (const op of delta) {
    if (oldIndex > pos) break;
    if (op.retain !== undefined) oldIndex += op.retain;
    else if (op.insert !== undefined) {
      if (oldIndex < pos) shift += typeof op.insert === "string" ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      if (oldIndex < pos) shift -= Math.min(oldIndex + op.delete, pos) - oldIndex;
      oldIndex += op.delete;
    }
  }
  return pos + shift;
}

export interface TextBinding {
  /** Call from the textarea's input event: writes what the person changed. */
  input(): void;
  /** True once the person changed the text since the last call (then resets): e.g. for history on blur. */
  takeEdited(): boolean;
  destroy(): void;
}

/**
 * Follows one order's text in a document: `onChange` gets its plain content after every change made
 * with another origin than `origin`, with the change as a delta when it was an edit inside the text
 * (null when the text itself was made or replaced). Used by `bindText` on the page and by the document
 * worker for a page's notes (./doc-link.ts).
 */
export function watchText(options: {
  doc: Y.Doc;
  orderId: string;
  field: TextField;
  origin: unknown;
  onChange: (value: string, delta: Delta | null) => void;
}): { plain(): string; write(next: string): void; destroy(): void } {
  const { doc, orderId, field, origin, onChange } = options;
  const key = workKey(orderId, field);
  let text: Y.Text | undefined;
  const plain = () => textValue(doc, orderId, field) ?? "";
  const onText = (event: Y.YTextEvent, tr: Y.Transaction) => {
    if (tr.origin === origin) return;
    onChange(plain(), event.delta as Delta);
  };
  const attach = () => {
    const current = orderText(doc, orderId, field);
    if (current === text) return;
    text?.unobserve(onText);
    text = current;
    text?.observe(onText);
  };
  // The text itself may be created or replaced (an order from before notes were text). In layout 2
  // it is the order's top-level text, the same one on every device: attached from the start.
  const onWork = (event: Y.YMapEvent<unknown>) => {
    if (!event.keysChanged.has(key)) return;
    attach();
    if (event.transaction.origin !== origin) onChange(plain(), null);
  };
  workMap(doc).observe(onWork);
  attach();
  return {
    plain,
    write(next) {
      if (next === plain()) return;
      doc.transact(() => writeTextField(doc, orderId, field, next), origin);
      attach();
    },
    destroy() {
      text?.unobserve(onText);
      workMap(doc).unobserve(onWork);
    },
  };
}

/** Shows a text's new content in the textarea, keeping the caret of a person typing there. */
export function showText(area: TextAreaLike, focused: boolean, next: string, delta: Delta | null): void {
  if (area.value === next) return;
  const keep = focused && delta !== null;
  const start = area.selectionStart ?? 0;
  const end = area.selectionEnd ?? start;
  area.value = next;
  if (keep) area.setSelectionRange(transformCaret(start, delta), transformCaret(end, delta));
}

export interface BindTextOptions {
  doc: Y.Doc;
  orderId: string;
  field: TextField;
  area: TextAreaLike;
  /** Whether the textarea has focus (then its caret is kept). */
  focused: () => boolean;
}

/** Binds the textarea through the document worker when the document lives there (./doc-link.ts). */
let remoteBinding: ((options: BindTextOptions) => TextBinding | null) | null = null;
export function bindTextRemotely(bind: (options: BindTextOptions) => TextBinding | null): void {
  remoteBinding = bind;
}

export function bindText(options: BindTextOptions): TextBinding {
  const remote = remoteBinding?.(options);
  if (remote) return remote;
  const { doc, orderId, field, area } = options;
  let edited = false;
  const watch = watchText({
    doc,
    orderId,
    field,
    origin: { textBinding: orderId },
    onChange: (next, delta) => showText(area, options.focused(), next, delta),
  });
  if (area.value !== watch.plain()) area.value = watch.plain();

  return {
    input() {
      const next = area.value;
      if (next === watch.plain()) return;
      watch.write(next);
      edited = true;
    },
    takeEdited() {
      const was = edited;
      edited = false;
      return was;
    },
    destroy: () => watch.destroy(),
  };
}
