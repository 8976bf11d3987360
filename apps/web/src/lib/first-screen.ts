// The first screen of each view, kept on the device so a reload paints the orders at once, before the
// live document has loaded (hundreds of ms at 5,000 orders, seconds at 50,000).
//
// What is kept is what the screen showed last: the view's first rows (the order records as the list
// draws them, without their history), the views' counts and the dispatch clock's figures, written to
// IndexedDB a moment after they change. On reload it is painted as it was, marked as a preview: nothing
// on it acts (no selection, no row action, no drawer) until the live document has loaded and replaced it,
// so nobody buys, holds or dispatches from what may be a stale copy.
//
// The record is read back as outside input: one from another version of the app, or damaged, is ignored
// (the live list comes a moment later), never drawn half-read.

import {
  type CourierClockLine,
  FIRST_SCREEN_ROWS,
  type Order,
  TEAM_FIRST_SCREEN_VERSION,
} from "@consign/domain";
import { ownDatabase } from "./idb.ts";
import { forgetKeptOrders } from "./kept-orders.ts";
import { type DispatchClockFigures, STATE_TEXT, VIEWS, type ViewId } from "./views.ts";

export { FIRST_SCREEN_ROWS, firstRowsOf } from "@consign/domain";

/** Bumped when what is kept changes shape: records of another version are not drawn. */
export const FIRST_SCREEN_VERSION = 1;

export interface FirstScreen {
  version: typeof FIRST_SCREEN_VERSION;
  sellerId: string;
  view: ViewId;
  /** When the device last saw the live list like this (ms). */
  savedAt: number;
  /** How many orders the view held (the list's match count). */
  total: number;
  counts: Record<ViewId, number>;
  dispatch: DispatchClockFigures;
  /**
   * The dispatch clock's line per courier (drawn from the kept screen too, so the list does not move
   * down when the live lines arrive). Missing in screens kept before they existed.
   */
  couriers?: CourierClockLine[];
  /**
   * How tall what stands above the list was, in CSS px (the strip with the dispatch clock, the
   * day's runs and the manifest; the search and filters): drawn at least that tall from the kept
   * screen, so the rows do not move when the live parts arrive. Missing in screens kept before.
   */
  above?: { strip: number; filters: number };
  /** The view's first rows, in the list's order. */
  orders: Order[];
  /**
   * "team" when the room sent it (a device with no copy of its own yet, see `teamScreenFor`): the
   * screen as the team's copy held it at `savedAt`, never kept on the device as it is.
   */
  from?: "team";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
/** A height the screen may be drawn at (a damaged record could hold anything). */
const isHeight = (v: unknown): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 2_000;
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const VIEW_IDS = new Set<string>(VIEWS.map((v) => v.id));

/** True when a kept courier line has everything the dispatch clock reads, of the right type. */
function isCourierLine(v: unknown): v is CourierClockLine {
  return (
    isObject(v) &&
    typeof v.courier === "string" &&
    typeof v.name === "string" &&
    typeof v.cutoffAt === "number" &&
    typeof v.handoverAt === "number" &&
    (v.handover === "collection" || v.handover === "drop_off") &&
    isCount(v.ready) &&
    isCount(v.late) &&
    isCount(v.missCollection)
  );
}

/** True when a kept order has everything a row reads, of the right type. */
function isRowOrder(v: unknown): v is Order {
  if (!isObject(v)) return false;
  const c = v.confirmation;
  return (
    typeof v.orderId === "string" &&
    typeof v.marketplaceId === "string" &&
    typeof v.shipServiceLevel === "string" &&
    typeof v.state === "string" &&
    Object.hasOwn(STATE_TEXT, v.state) &&
    typeof v.latestShipDate === "number" &&
    typeof v.isPrime === "boolean" &&
    Array.isArray(v.items) &&
    v.items.every((i) => isObject(i) && typeof i.sku === "string" && typeof i.quantityOrdered === "number") &&
    Array.isArray(v.shipments) &&
    isObject(c) &&
    typeof c.state === "string" &&
    (v.recipient === undefined || isObject(v.recipient)) &&
    (v.package === undefined || isObject(v.package)) &&
    (v.service === undefined || isObject(v.service))
  );
}

/**
 * The kept first screen of `sellerId`'s `view`, or null when the record is missing, of another version,
 * for another seller or view, or damaged in any field the screen reads.
 */
export function parseFirstScreen(raw: unknown, sellerId: string, view: ViewId): FirstScreen | null {
  if (!isObject(raw)) return null;
  if (raw.version !== FIRST_SCREEN_VERSION || raw.sellerId !== sellerId || raw.view !== view) return null;
  if (typeof raw.savedAt !== "number" || !isCount(raw.total)) return null;
  const counts = raw.counts;
  if (!isObject(counts) || ![...VIEW_IDS].every((id) => isCount(counts[id]))) return null;
  const d = raw.dispatch;
  if (!isObject(d) || !isCount(d.left) || !isCount(d.late) || !isCount(d.missCollection)) return null;
  if (raw.couriers !== undefined && !(Array.isArray(raw.couriers) && raw.couriers.every(isCourierLine)))
    return null;
  if (!Array.isArray(raw.orders) || raw.orders.length > FIRST_SCREEN_ROWS || !raw.orders.every(isRowOrder))
    return null;
  if (
    raw.above !== undefined &&
    !(isObject(raw.above) && isHeight(raw.above.strip) && isHeight(raw.above.filters))
  )
    return null;
  return raw as unknown as FirstScreen;
}

// ---- The room's first screen: a device with no copy of its own paints it while the document comes ----

/**
 * The room's first screen (@consign/domain's `TeamFirstScreen`) drawn for `view`, or null when the answer is not one (another version,
 * another seller, damaged anywhere the screen reads): read as outside input, with the checks a kept
 * screen passes.
 */
export function teamScreenFor(raw: unknown, sellerId: string, view: ViewId): FirstScreen | null {
  if (
    !isObject(raw) ||
    raw.version !== TEAM_FIRST_SCREEN_VERSION ||
    !isObject(raw.views) ||
    !Array.isArray(raw.orders)
  )
    return null;
  const ids = raw.views[view];
  if (!Array.isArray(ids) || !isObject(raw.counts)) return null;
  const byId = new Map<unknown, unknown>(raw.orders.map((o) => [isObject(o) ? o.orderId : undefined, o]));
  return parseFirstScreen(
    {
      version: FIRST_SCREEN_VERSION,
      sellerId: raw.sellerId,
      view,
      savedAt: raw.at,
      total: raw.counts[view],
      counts: raw.counts,
      dispatch: raw.dispatch,
      couriers: raw.couriers,
      orders: ids.map((id) => byId.get(id)),
      from: "team",
    },
    sellerId,
    view,
  );
}

/** What decides whether the kept screen must be written again (the time it was seen aside). */
export const firstScreenKey = (s: FirstScreen): string =>
  JSON.stringify([
    s.view,
    s.total,
    s.counts,
    s.dispatch,
    s.couriers?.map(({ msToCutoff: _, ...l }) => l),
    s.above,
    s.orders,
  ]);

// ---- IndexedDB: one small record per seller and view -------------------------------------------------

const DB = "consign-first-screen";
const STORE = "views";
const recordKey = (sellerId: string, view: ViewId) => `${sellerId}|${view}`;

const openDb = ownDatabase(DB, [STORE]);

function request<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const req = run(db.transaction(STORE, mode).objectStore(STORE));
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      }),
  );
}

/** The kept first screen of a view, or null (none kept, unreadable, or IndexedDB unavailable). */
export async function readFirstScreen(sellerId: string, view: ViewId): Promise<FirstScreen | null> {
  try {
    const raw = await request("readonly", (s) => s.get(recordKey(sellerId, view)));
    const screen = parseFirstScreen(raw, sellerId, view);
    if (raw !== undefined && screen === null) {
      console.info(`[first-screen] ignored an unreadable kept screen for ${view}`);
      void request("readwrite", (s) => s.delete(recordKey(sellerId, view))).catch(() => undefined);
    }
    return screen;
  } catch {
    return null;
  }
}

/** Keeps a view's first screen (best effort: a device that cannot store it just opens as before). */
export async function saveFirstScreen(screen: FirstScreen): Promise<void> {
  try {
    await request("readwrite", (s) => s.put(screen, recordKey(screen.sellerId, screen.view)));
  } catch (err) {
    console.info("[first-screen] could not keep the first screen", err);
  }
}

/**
 * Forgets the kept screens of one seller (its copy was dropped) or of every seller (signed out), and the
 * orders the document worker kept with them (./kept-orders.ts).
 */
export async function clearFirstScreens(sellerId?: string): Promise<void> {
  await forgetKeptOrders(sellerId);
  try {
    if (sellerId === undefined) {
      await request("readwrite", (s) => s.clear());
      return;
    }
    const range = IDBKeyRange.bound(`${sellerId}|`, `${sellerId}|\uffff`);
    await request("readwrite", (s) => s.delete(range));
  } catch {
    // Nothing kept, or no IndexedDB: nothing to forget.
  }
}
