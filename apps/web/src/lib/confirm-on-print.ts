// The owner's setting "Tell Amazon an order is dispatched when its label is printed": read live from the
// document's settings (the room reads the same key when it decides what to confirm). Devices never
// write it: owners change it through PATCH /api/v1/settings and the room writes it.

import { createSignal, getOwner, onCleanup } from "solid-js";
import type * as Y from "yjs";
import { MAP, readSetting } from "./doc.ts";

export const CONFIRM_ON_PRINT = "autoConfirmOnPrint";
export const CONFIRM_ON_PRINT_WORDS = "Tell Amazon an order is dispatched when its label is printed";

/** True unless the owner switched it off (on by default, as the room treats a missing value). */
export function readConfirmOnPrint(doc: Y.Doc): boolean {
  return readSetting<boolean>(doc, CONFIRM_ON_PRINT) ?? true;
}

/** The setting as a signal that follows every device's change; stops listening with its owner. */
export function confirmOnPrintSignal(doc: Y.Doc): () => boolean {
  const [value, setValue] = createSignal(readConfirmOnPrint(doc));
  const map = doc.getMap<unknown>(MAP.settings);
  const observe = () => setValue(readConfirmOnPrint(doc));
  map.observe(observe);
  if (getOwner()) onCleanup(() => map.unobserve(observe));
  return value;
}
