// Defects and refunds land on their orders: the live document when the order is there, else the
// order archive. One document transaction for the whole batch, one lookup by id per update, one
// archive write; several updates for one archived order merge before it is written.

import { mergeDefects, type Order } from "@consign/domain";
import { readOrder, writeOrder } from "@consign/sync";
import type * as Y from "yjs";
import type { DefectUpdate } from "./refund-sync.ts";

export interface DefectTargets {
  room: { readonly doc: Y.Doc; transact(fn: (doc: Y.Doc) => void): void };
  archive: { get(orderId: string): Order | undefined; put(orders: Order[], now: number): void };
}

export interface Landed {
  live: number;
  archived: number;
  /** Order ids neither the document nor the archive holds (older than the archive keeps). */
  unknown: string[];
}

export function landDefects(targets: DefectTargets, updates: readonly DefectUpdate[], now: number): Landed {
  const archived = new Map<string, Order>();
  const unknown: string[] = [];
  let live = 0;
  targets.room.transact((d) => {
    for (const { orderId, defects } of updates) {
      const current = readOrder(d, orderId);
      if (current) {
        writeOrder(d, { orderId, defects: mergeDefects(current.defects, defects) });
        live += 1;
        continue;
      }
      const old = archived.get(orderId) ?? targets.archive.get(orderId);
      if (old) archived.set(orderId, { ...old, defects: mergeDefects(old.defects, defects) });
      else unknown.push(orderId);
    }
  });
  if (archived.size > 0) targets.archive.put([...archived.values()], now);
  return { live, archived: archived.size, unknown };
}
