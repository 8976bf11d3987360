// What a person edits directly in the document (not commands): hold/release, notes, package weight and size.
// The lifecycle rules mirror @consign/domain's lifecycle (hold only before dispatch; release to the held state).

import type { Order, OrderState, PackageSpec } from "@consign/domain";
import type * as Y from "yjs";
import { writeOrder } from "./doc.ts";

const HOLDABLE: readonly OrderState[] = ["new", "ready", "label_bought", "printed"];
export const canHold = (o: Order) => HOLDABLE.includes(o.state);

function withHistory(o: Order, by: string, action: string, detail?: string): Order {
  const at = Date.now();
  return {
    ...o,
    lastUpdated: Math.max(o.lastUpdated, at),
    history: [...(o.history ?? []), { at, by, action, ...(detail ? { detail } : {}) }],
  };
}

export function hold(o: Order, by: string, reason?: string): Order | null {
  if (!canHold(o)) return null;
  return withHistory({ ...o, state: "on_hold", heldFrom: o.state }, by, "hold", reason);
}
export function release(o: Order, by: string): Order | null {
  if (o.state !== "on_hold") return null;
  const { heldFrom, holdUntil: _u, ...rest } = o;
  return withHistory({ ...rest, state: heldFrom ?? "new" }, by, "release");
}
export function setPackage(o: Order, by: string, pkg: PackageSpec): Order {
  return withHistory({ ...o, package: pkg }, by, "package", `${pkg.weightGrams} g`);
}
export function setNotes(o: Order, by: string, notes: string): Order {
  return withHistory({ ...o, notes }, by, "note");
}

/** Holds (or releases, when every one is already held) the given orders in one transaction. */
export function toggleHold(doc: Y.Doc, orders: readonly Order[], by: string): number {
  const releasing = orders.length > 0 && orders.every((o) => o.state === "on_hold");
  let changed = 0;
  doc.transact(() => {
    for (const o of orders) {
      const next = releasing ? release(o, by) : hold(o, by);
      if (next) {
        writeOrder(doc, next);
        changed++;
      }
    }
  });
  return changed;
}
