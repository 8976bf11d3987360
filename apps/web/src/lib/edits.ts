// What a person edits directly in the document (not commands): hold/release, notes, package weight and size.
// Lifecycle changes go through the domain's state machine (via @consign/sync's applyOrderAction).
// On a page served by the document worker (./doc-link.ts) each edit is sent there as an `Edit` and applied
// by `applyEdit` to the document, in one transaction with the same origin as here.

import type { ChosenService, Order, OrderState, PackageSpec } from "@consign/domain";
import { readLabelPrint } from "@consign/sync";
import type * as Y from "yjs";
import { applyOrderAction, readOrder, setWork } from "./doc.ts";
import { applySettings, type MirrorEntry } from "./doc-mirror.ts";
import { type LabelOutcome, recordOutcome } from "./print-claims.ts";
import { asDevice, thisDevice } from "./this-device.ts";

/** An edit a page sends to the document worker. */
export type Edit =
  | { kind: "hold" | "release" | "noteEdited" | "keep"; orderId: string; by: string }
  | { kind: "package"; orderId: string; by: string; pkg: PackageSpec }
  | { kind: "service"; orderId: string; by: string; service: ChosenService | null }
  /**
   * `release`: what the page decided (releasing, as every one was held there; else holding), so an edit
   * sent again (a page closed before it heard the edit was on the device) does not undo it. Missing in
   * edits kept by an app before it: decided again from the document.
   */
  | { kind: "toggleHold"; orderIds: string[]; by: string; release?: boolean }
  | { kind: "printed"; orderIds: string[]; by: string; at: number }
  /** A label of a run straight to the printer: the printer's answer (./print-claims.ts). */
  | { kind: "labelPrint"; by: string; print: LabelOutcome }
  /** Team settings an owner changed on the page (its copy of the small maps, ./doc-mirror.ts). */
  | { kind: "settings"; entries: MirrorEntry[] };

/** The page's copies whose edits go to the document worker (./doc-link.ts registers them). */
const remote = new WeakMap<Y.Doc, (edit: Edit) => void>();
export function editRemotely(doc: Y.Doc, send: (edit: Edit) => void): void {
  remote.set(doc, send);
}

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
  const send = remote.get(doc);
  if (send) send({ kind: "hold", orderId: o.orderId, by });
  else applyOrderAction(doc, o.orderId, { type: "hold" }, { at: Date.now(), by }, "local");
  return true;
}
export function releaseOrder(doc: Y.Doc, o: Order, by: string): boolean {
  if (o.state !== "on_hold") return false;
  const send = remote.get(doc);
  if (send) send({ kind: "release", orderId: o.orderId, by });
  else applyOrderAction(doc, o.orderId, { type: "release" }, { at: Date.now(), by }, "local");
  return true;
}
export function savePackage(doc: Y.Doc, o: Order, by: string, pkg: PackageSpec): void {
  const send = remote.get(doc);
  if (send) {
    send({ kind: "package", orderId: o.orderId, by, pkg });
    return;
  }
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
  const send = remote.get(doc);
  if (send) {
    send({ kind: "service", orderId: o.orderId, by, service });
    return;
  }
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
  const send = remote.get(doc);
  if (send) {
    send({ kind: "noteEdited", orderId: o.orderId, by });
    return;
  }
  setWork(doc, o.orderId, { history: appendHistory(o, by, "note") }, "local");
}

/**
 * Holds (or releases, when every one is already held) the given orders in one transaction; `release`
 * decides instead (an edit from a page, which decided on what it showed).
 */
export function toggleHold(doc: Y.Doc, orders: readonly Order[], by: string, release?: boolean): number {
  const releasing = release ?? (orders.length > 0 && orders.every((o) => o.state === "on_hold"));
  let changed = 0;
  const send = remote.get(doc);
  if (send) {
    const ids = orders.filter((o) => (releasing ? o.state === "on_hold" : canHold(o))).map((o) => o.orderId);
    if (ids.length > 0) send({ kind: "toggleHold", orderIds: ids, by, release: releasing });
    return ids.length;
  }
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
  const send = remote.get(doc);
  if (send) {
    send({ kind: "keep", orderId: o.orderId, by });
    return;
  }
  const why = o.cancellationRequestReason
    ? `already shipped; the buyer's reason: ${o.cancellationRequestReason}`
    : "already shipped";
  setWork(doc, o.orderId, { history: appendHistory(o, by, "keptDespiteCancellationRequest", why) }, "local");
}

/** Marks the orders printed (their labels were sent to the printer), in one transaction. */
export function markPrinted(doc: Y.Doc, orderIds: readonly string[], by: string, at = Date.now()): void {
  const send = remote.get(doc);
  if (send) {
    send({ kind: "printed", orderIds: [...orderIds], by, at });
    return;
  }
  doc.transact(() => {
    for (const id of orderIds) {
      try {
        applyOrderAction(doc, id, { type: "printed" }, { at, by }, "local");
      } catch {
        // Already moved on (dispatched, cancelled) elsewhere: nothing to mark.
      }
    }
  }, "local");
}

/**
 * Applies a page's edit to the document (in the document worker), as the page would have on its own
 * copy: the order as the document holds it now, the history naming the page's device.
 */
export function applyEdit(doc: Y.Doc, edit: Edit, device: string | undefined): void {
  asDevice(device, () => {
    if (edit.kind === "toggleHold") {
      const orders = edit.orderIds.map((id) => readOrder(doc, id)).filter((o): o is Order => o !== undefined);
      toggleHold(doc, orders, edit.by, edit.release);
      return;
    }
    if (edit.kind === "printed") return markPrinted(doc, edit.orderIds, edit.by, edit.at);
    if (edit.kind === "labelPrint") {
      // An answer sent again by a later page (./pending-edits.ts) never overwrites a later run's word on the label.
      const current = readLabelPrint(doc, edit.print.label);
      if (current && current.jobId !== edit.print.jobId) return;
      return doc.transact(() => recordOutcome(doc, edit.print), "local");
    }
    if (edit.kind === "settings") return applySettings(doc, edit.entries, "local");
    const o = readOrder(doc, edit.orderId);
    if (!o) return;
    switch (edit.kind) {
      case "hold":
        return void holdOrder(doc, o, edit.by);
      case "release":
        return void releaseOrder(doc, o, edit.by);
      case "noteEdited":
        return recordNoteEdit(doc, o, edit.by);
      case "keep":
        return keepDespiteCancellation(doc, o, edit.by);
      case "package":
        return savePackage(doc, o, edit.by, edit.pkg);
      case "service":
        return saveService(doc, o, edit.by, edit.service);
    }
  });
}
