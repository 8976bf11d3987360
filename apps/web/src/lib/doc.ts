// The thin seam between the app and the seller's Yjs document. @consign/sync owns the schema; until its
// typed reads and mutations land, this adapter reads the same top-level maps: "orders" (orderId → Order as
// one JSON value), "runs" (runId → label run) and "settings". Swap the bodies here, nothing else changes.

import type { Order } from "@consign/domain";
import * as Y from "yjs";

export interface LabelRun {
  runId: string;
  orderIds: string[];
  /** Orders whose label is bought / failed so far, when the room reports them. */
  done?: number;
  failed?: number;
  state?: "queued" | "running" | "finished" | "failed" | string;
  errors?: Record<string, string>;
  startedAt?: number;
}

function plain(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

export function ordersMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap("orders");
}
export function runsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap("runs");
}
export function settingsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap("settings");
}

/** Reads one order; null when the entry is not an order (skipped rather than crashing the list). */
export function readOrder(value: unknown): Order | null {
  const v = plain(value) as Partial<Order> | null;
  if (!v || typeof v !== "object" || typeof v.orderId !== "string" || typeof v.latestShipDate !== "number") {
    return null;
  }
  return {
    ...v,
    items: Array.isArray(v.items) ? v.items : [],
    shipments: Array.isArray(v.shipments) ? v.shipments : [],
    confirmation: v.confirmation ?? { state: "none", attempts: 0 },
    labelRevision: v.labelRevision ?? 0,
  } as Order;
}

export function readRun(runId: string, value: unknown): LabelRun | null {
  const v = plain(value) as Partial<LabelRun> | null;
  if (!v || typeof v !== "object") return null;
  return { ...v, runId: v.runId ?? runId, orderIds: Array.isArray(v.orderIds) ? v.orderIds : [] };
}

/** Writes what a person edits (hold, notes, package weight and size) back into the document. */
export function writeOrder(doc: Y.Doc, order: Order): void {
  const map = ordersMap(doc);
  doc.transact(() => {
    const current = map.get(order.orderId);
    if (current instanceof Y.Map) {
      for (const [k, v] of Object.entries(order)) {
        if (JSON.stringify(plain(current.get(k))) !== JSON.stringify(v)) current.set(k, v);
      }
    } else {
      map.set(order.orderId, order);
    }
  }, "local");
}

export function readSetting<T>(doc: Y.Doc, key: string): T | undefined {
  return plain(settingsMap(doc).get(key)) as T | undefined;
}
export function writeSetting(doc: Y.Doc, key: string, value: unknown): void {
  settingsMap(doc).set(key, value);
}
