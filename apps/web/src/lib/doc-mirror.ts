// The document's small maps (settings, label runs, stock levels, meta) copied into a page served by the
// document worker: the screens read them from a Y.Doc as they always have (readSetting, listRuns,
// stockLevels, the settings signals), while the orders, their work and notes stay in the worker. The
// copy is kept in step one way (the worker sends what changed); what the page writes into it (an owner's
// settings) is sent to the worker, which writes it into the document.

import * as Y from "yjs";
import { MAP } from "./doc.ts";

export const MIRRORED: readonly string[] = [MAP.settings, MAP.runs, MAP.stock, MAP.meta];

/** One key of one small map: its value, or undefined when it was deleted. */
export type MirrorEntry = [map: string, key: string, value: unknown];

/** Origin of the worker's changes in the page's copy (never sent back). */
export const FROM_WORKER = Symbol("from the document worker");

const plain = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

/** Every key of the small maps (a page joining). */
export function mirrorSnapshot(doc: Y.Doc): MirrorEntry[] {
  const out: MirrorEntry[] = [];
  for (const name of MIRRORED) {
    for (const [key, value] of doc.getMap(name).entries()) out.push([name, key, plain(value)]);
  }
  return out;
}

/** The keys of the small maps a transaction changed, with their values now. */
export function mirrorChanges(tr: Y.Transaction): MirrorEntry[] {
  const out: MirrorEntry[] = [];
  for (const [type, keys] of tr.changed) {
    const item = (type as Y.AbstractType<unknown>)._item;
    if (item !== null || !(type instanceof Y.Map)) continue;
    const name = MIRRORED.find((n) => (tr.doc.share.get(n) as unknown) === type);
    if (!name) continue;
    for (const key of keys) if (key !== null) out.push([name, key, plain(type.get(key))]);
  }
  return out;
}

/** Writes entries into a document in one transaction (by default the worker's into the page's copy). */
export function applyMirror(
  doc: Y.Doc,
  entries: readonly MirrorEntry[],
  origin: unknown = FROM_WORKER,
): void {
  if (entries.length === 0) return;
  doc.transact(() => {
    for (const [name, key, value] of entries) {
      const map = doc.getMap(name);
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    }
  }, origin);
}

/** Writes a page's entries into the document: its settings only (the other small maps are the room's). */
export function applySettings(doc: Y.Doc, entries: readonly MirrorEntry[], origin: unknown): void {
  applyMirror(
    doc,
    entries.filter(([map]) => map === MAP.settings),
    origin,
  );
}

/** Calls `send` with what the page itself writes into its copy (not what came from the worker). */
export function watchPageWrites(doc: Y.Doc, send: (entries: MirrorEntry[]) => void): () => void {
  const listener = (tr: Y.Transaction) => {
    if (tr.origin === FROM_WORKER) return;
    const entries = mirrorChanges(tr);
    if (entries.length > 0) send(entries);
  };
  doc.on("afterTransaction", listener);
  return () => doc.off("afterTransaction", listener);
}
