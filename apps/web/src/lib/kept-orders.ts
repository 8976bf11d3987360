// Every order as the document worker last read it, kept on the device (IndexedDB) so that a reload shows the
// live list before the Yjs copy has been decoded (at 20,000 orders the decode, the read of every order and
// its JSON take the worker a second or more). Written by the worker (./doc-host.ts) a moment after the
// orders stop changing, in dispatch-deadline order and in the parts the pages take them in; read by it
// when it starts, and sent to the pages as they are (no parsing in the worker).
//
// Kept with the document's state at the moment it was read (its generation and a Yjs snapshot: every change
// and every deletion it holds): once the copy has loaded, the worker compares, and when they differ (the
// worker stopped before it wrote the last change, another tablet's edits came, a new generation) it sends
// the pages only the orders that differ and drops the ones that are gone. The kept orders never outlive
// the copy: the document decides.

import { byDeadline, type Order } from "@consign/domain";
import { documentGeneration } from "@consign/sync";
import * as Y from "yjs";
import type { MirrorEntry } from "./doc-mirror.ts";
import { ownDatabase } from "./idb.ts";

/** Bumped when what is kept changes shape: a record of another version is ignored. */
export const KEPT_ORDERS_VERSION = 1;

/**
 * Orders per part: a page parses each part in a task of its own (parsing 20,000 orders' JSON at once is
 * one long task).
 */
export const PART = 2_000;

/** Which state of the document something was read from. */
export interface DocKey {
  generation: string | null;
  /** `Y.encodeSnapshot`: the document's state vector and delete set. */
  snapshot: Uint8Array;
}

export interface KeptOrders {
  key: DocKey;
  /** Every order as JSON `[orderId, order][]`, dispatch deadline first, in parts of `PART`. */
  parts: string[];
  /** How many orders the parts hold. */
  count: number;
  /** The small maps (settings, label runs, stock, meta) at the same moment (./doc-mirror.ts). */
  maps: MirrorEntry[];
}

export function docKey(doc: Y.Doc): DocKey {
  return { generation: documentGeneration(doc) ?? null, snapshot: Y.encodeSnapshot(Y.snapshot(doc)) };
}

/** True when both were read from the same state of the same document (nothing added, nothing deleted). */
export function sameDocKey(a: DocKey, b: DocKey): boolean {
  if (a.generation !== b.generation) return false;
  try {
    return Y.equalSnapshots(Y.decodeSnapshot(a.snapshot), Y.decodeSnapshot(b.snapshot));
  } catch {
    return false;
  }
}

/** Every order as JSON in parts of `PART`, dispatch deadline first (the list's order: the page need not sort). */
export function orderParts(all: ReadonlyMap<string, Order>): string[] {
  const entries = [...all].sort((a, b) => byDeadline(a[1], b[1]));
  const parts: string[] = [];
  for (let i = 0; i < entries.length || i === 0; i += PART)
    parts.push(JSON.stringify(entries.slice(i, i + PART)));
  return parts;
}

/**
 * What the pages must be told after they were shown `kept` and the document now holds `now`: each order
 * that differs or is new, and each order that is gone (null).
 */
export function orderCorrections(
  kept: readonly string[],
  now: ReadonlyMap<string, Order>,
): [string, Order | null][] {
  const was = new Map<string, string>();
  for (const part of kept) {
    for (const [id, order] of JSON.parse(part) as [string, Order][]) was.set(id, JSON.stringify(order));
  }
  const out: [string, Order | null][] = [];
  for (const [id, order] of now) {
    if (was.get(id) !== JSON.stringify(order)) out.push([id, order]);
    was.delete(id);
  }
  for (const id of was.keys()) out.push([id, null]);
  return out;
}

/** The small maps' keys the pages were shown that the document no longer has (to delete). */
export function mapsGone(kept: readonly MirrorEntry[], now: readonly MirrorEntry[]): MirrorEntry[] {
  const present = new Set(now.map(([map, key]) => `${map}\u0000${key}`));
  return kept
    .filter(([map, key]) => !present.has(`${map}\u0000${key}`))
    .map(([map, key]) => [map, key, undefined] as MirrorEntry);
}

/** Where the worker keeps them (IndexedDB in the browser; a stand-in in tests). */
export interface KeptOrdersStore {
  read(sellerId: string): Promise<KeptOrders | null>;
  write(sellerId: string, kept: KeptOrders): Promise<void>;
  forget(sellerId: string): Promise<void>;
}

// ---- IndexedDB: per seller one meta record and its parts, written and read in one transaction ----------

const DB = "consign-kept-orders";
const META = "meta";
const PARTS = "parts";
const partKey = (sellerId: string, i: number) => `${sellerId}|${String(i).padStart(6, "0")}`;
const partsOf = (sellerId: string) => IDBKeyRange.bound(`${sellerId}|`, `${sellerId}|\uffff`);

interface MetaRecord {
  version: typeof KEPT_ORDERS_VERSION;
  sellerId: string;
  generation: string | null;
  snapshot: Uint8Array;
  parts: number;
  count: number;
  maps: MirrorEntry[];
  savedAt: number;
}

const openDb = ownDatabase(DB, [META, PARTS]);

const done = (tr: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tr.oncomplete = () => resolve();
    tr.onerror = tr.onabort = () => reject(tr.error ?? new Error("the transaction was aborted"));
  });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** The kept orders read back as outside input: another version, another seller or a damaged record is none. */
function parseKept(meta: unknown, parts: unknown, sellerId: string): KeptOrders | null {
  if (!isObject(meta) || meta.version !== KEPT_ORDERS_VERSION || meta.sellerId !== sellerId) return null;
  if (
    !(meta.snapshot instanceof Uint8Array) ||
    !(typeof meta.generation === "string" || meta.generation === null)
  )
    return null;
  if (typeof meta.count !== "number" || !Array.isArray(meta.maps)) return null;
  if (!Array.isArray(parts) || parts.length !== meta.parts || !parts.every((p) => typeof p === "string"))
    return null;
  return {
    key: { generation: meta.generation, snapshot: meta.snapshot },
    parts: parts as string[],
    count: meta.count,
    maps: meta.maps as MirrorEntry[],
  };
}

export const indexedDbKeptOrders: KeptOrdersStore = {
  async read(sellerId) {
    try {
      const db = await openDb();
      const tr = db.transaction([META, PARTS], "readonly");
      const meta = tr.objectStore(META).get(sellerId);
      const parts = tr.objectStore(PARTS).getAll(partsOf(sellerId));
      await done(tr);
      const kept = parseKept(meta.result, parts.result, sellerId);
      if (meta.result !== undefined && kept === null)
        console.info("[kept-orders] ignored unreadable kept orders");
      return kept;
    } catch {
      return null;
    }
  },
  async write(sellerId, kept) {
    try {
      const db = await openDb();
      const tr = db.transaction([META, PARTS], "readwrite");
      const parts = tr.objectStore(PARTS);
      parts.delete(partsOf(sellerId));
      for (const [i, json] of kept.parts.entries()) parts.put(json, partKey(sellerId, i));
      const meta: MetaRecord = {
        version: KEPT_ORDERS_VERSION,
        sellerId,
        generation: kept.key.generation,
        snapshot: kept.key.snapshot,
        parts: kept.parts.length,
        count: kept.count,
        maps: kept.maps,
        savedAt: Date.now(),
      };
      tr.objectStore(META).put(meta, sellerId);
      await done(tr);
    } catch (err) {
      console.info("[kept-orders] could not keep the orders", err);
    }
  },
  forget: (sellerId) => forgetKeptOrders(sellerId),
};

/** Forgets the kept orders of one seller (its copy was dropped) or of every seller (signed out). */
export async function forgetKeptOrders(sellerId?: string): Promise<void> {
  try {
    const db = await openDb();
    const tr = db.transaction([META, PARTS], "readwrite");
    if (sellerId === undefined) {
      tr.objectStore(META).clear();
      tr.objectStore(PARTS).clear();
    } else {
      tr.objectStore(META).delete(sellerId);
      tr.objectStore(PARTS).delete(partsOf(sellerId));
    }
    await done(tr);
  } catch {
    // Nothing kept, or no IndexedDB: nothing to forget.
  }
}
