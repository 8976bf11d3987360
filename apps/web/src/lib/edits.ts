// What a person edits directly in the document (not commands): hold/release, notes, package weight and size.
// Lifecycle changes go through the domain's state machine (via @consign/sync's applyOrderAction).

import type { ChosenService, Order, OrderState, PackageSpec } from "@consign/domain";
import type * as Y from "yjs";
import { applyOrderAction, setWork } from "./doc.ts";
import { thisDevice } from "./this-device.ts";

const HOLDABLE: readonly OrderState[] = ["new", "ready", "label_bought", "printed"];
export const canHold = (o: Order) => HOLDABLE.includes(o.state);

function appendHistory(o: Order, by: string, action: string, detail?: string) {
  const device = thisDevice();
  return [
    ...(o.history ?? []),
    { at: Date.now(), by, ...(device ? { device } : {}), action, ...(detail ? { detail } : {}) },
  ];
}

export function holdOrder(doc: Y.Doc, o: Order, by: string): boolean {
  if (!canHold(o)) return false;
  applyOrderAction(doc, o.orderId, { type: "hold" }, { at: Date.now(), by }, "local");
  return true;
}
export function releaseOrder(doc: Y.Doc, o: Order, by: string): boolean {
  if (o.state !== "on_hold") return false;
  applyOrderAction(doc, o.orderId, { type: "release" }, { at: Date.now(), by }, "local");
  return true;
}
export function savePackage(doc: Y.Doc, o: Order, by: string, pkg: PackageSpec): void {
  setWork(
    doc,
    o.orderId,
    {
      // Entered by a person: kept when SKU weights change (the room works out only "sku" parcels again).
      package: { ...pkg, source: "entered" },
      history: appendHistory(o, by, "package", `${pkg.weightGrams} g`),
    },
    "local",
  );
}
/** The service chosen by hand for one order (null: the shipping rules choose, at the next buy at the latest). */
export function saveService(doc: Y.Doc, o: Order, by: string, service: ChosenService | null): void {
  setWork(
    doc,
    o.orderId,
    {
      service: service ? { ...service, source: "override", reason: `Chosen by hand by ${by}.` } : undefined,
      history: appendHistory(
        o,
        by,
        "service",
        service ? `${service.courier} ${service.serviceCode}` : "rules",
      ),
    },
    "local",
  );
}
/**
 * Records in the order's history that this person changed its notes (the words themselves are
 * already in the document, typed into its text as they went: see text-binding.ts). Called once
 * when they leave the notes having changed them; never when they only looked.
 */
export function recordNoteEdit(doc: Y.Doc, o: Order, by: string): void {
  setWork(doc, o.orderId, { history: appendHistory(o, by, "note") }, "local");
}

/** Holds (or releases, when every one is already held) the given orders in one transaction. */
export function toggleHold(doc: Y.Doc, orders: readonly Order[], by: string): number {
  const releasing = orders.length > 0 && orders.every((o) => o.state === "on_hold");
  let changed = 0;
  doc.transact(() => {
    for (const o of orders) if (releasing ? releaseOrder(doc, o, by) : holdOrder(doc, o, by)) changed++;
  }, "local");
  return changed;
}

/**
 * "Already shipped": the order has left, so it is kept despite the buyer's cancellation request. The
 * request stays answered (in the history, with the buyer's reason) and the order can go on as usual.
 */
export function keepDespiteCancellation(doc: Y.Doc, o: Order, by: string): void {
  const why = o.cancellationRequestReason
    ? `already shipped; the buyer's reason: ${o.cancellationRequestReason}`
    : "already shipped";
  setWork(doc, o.orderId, { history: appendHistory(o, by, "keptDespiteCancellationRequest", why) }, "local");
}
