// The seller's live document: which top-level shared types exist and what each holds.
//
// Designed for size (a Durable Object has 128 MB): one plain JSON value per order for what
// Amazon and the server decide, and one key per field for what people edit concurrently, so two
// packers changing different fields of one order both win. No nested Y.Maps per order: 10,000
// orders as Y.Maps take 58–70 MB of heap, as JSON values 8.5–18 MB.
//
//   orders    orderId → OrderRecord (the Order without its working fields), replaced whole; a JSON
//             string in layout 2 (layout.ts, records.ts); in layout 3 with the worked-out parcel and
//             service inside it (worked-out.ts)
//   work      `${orderId}/${field}` → value of one working field, last writer wins per field
//   stock     `${sku}/${counterId}` → net change made by that counter (PN-counter, summed on read)
//   settings  key → JSON
//   runs      runId → LabelRun progress
//   meta      generation, rebasedFrom… (see rebase.ts)
//   printQueue  print jobs and each label's claimed / printed / failed (see print-queue.ts)

import type { Order } from "@consign/domain";
import * as Y from "yjs";

export const MAP = {
  orders: "orders",
  work: "work",
  stock: "stock",
  settings: "settings",
  runs: "runs",
  meta: "meta",
  printQueue: "printQueue",
} as const;

/** Fields of an Order that live under `work`, one key each, so concurrent edits merge per field. */
export const WORK_FIELDS = [
  "state",
  "heldFrom",
  "holdUntil",
  "cancelledBy",
  "cancelledAt",
  "package",
  "service",
  "notes",
  "labelRevision",
  "shipments",
  "printedAt",
  "dispatchedAt",
  "confirmation",
  "history",
  "packages",
  "addressCorrection",
] as const satisfies readonly (keyof Order)[];

export type WorkField = (typeof WORK_FIELDS)[number];

/** Working fields' values while an order has no key for them (a new order, untouched); fresh each call. */
export function workDefaults(): Pick<WorkFields, "state" | "labelRevision" | "shipments" | "confirmation"> {
  return { state: "new", labelRevision: 0, shipments: [], confirmation: { state: "none", attempts: 0 } };
}
export type WorkFields = Pick<Order, WorkField>;

/**
 * What is stored under `orders`: everything that is not a working field; in layout 3 also the parcel
 * and service the room worked out (a person's choice at their `work` key wins: worked-out.ts).
 */
export type OrderRecord = Omit<Order, WorkField> & Partial<Pick<Order, "package" | "service">>;

const workFieldSet: ReadonlySet<string> = new Set(WORK_FIELDS);
export function isWorkField(field: string): field is WorkField {
  return workFieldSet.has(field);
}

export function workKey(orderId: string, field: WorkField): string {
  return `${orderId}/${field}`;
}

/** The order id a `work` key belongs to (order ids never contain "/"; Amazon's are digits and dashes). */
export function orderIdOfWorkKey(key: string): string {
  const slash = key.lastIndexOf("/");
  return slash < 0 ? key : key.slice(0, slash);
}

/**
 * A new, empty Consign document. It writes nothing: every device and the room create one the
 * same way, and the room alone stamps the generation (`initialiseGeneration`).
 */
export function createConsignDoc(options: { clientID?: number } = {}): Y.Doc {
  const doc = new Y.Doc();
  if (options.clientID !== undefined) doc.clientID = options.clientID;
  return doc;
}

// JSON stored in the document: what Y.Map<unknown> hands back is read through these typed getters.
/** Records are a JSON string (layout 2) or an object (layout 1): read them through records.ts. */
export const ordersMap = (doc: Y.Doc) => doc.getMap<OrderRecord | string>(MAP.orders);
export const workMap = (doc: Y.Doc) => doc.getMap<unknown>(MAP.work);
export const stockMap = (doc: Y.Doc) => doc.getMap<number>(MAP.stock);
export const settingsMap = (doc: Y.Doc) => doc.getMap<unknown>(MAP.settings);
export const runsMap = (doc: Y.Doc) => doc.getMap<unknown>(MAP.runs);
export const metaMap = (doc: Y.Doc) => doc.getMap<unknown>(MAP.meta);
