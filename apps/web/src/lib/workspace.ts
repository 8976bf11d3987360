// Everything that belongs to the seller being worked on: the live doc, its orders, presence and the outbox.
// Rebuilt when the person switches seller; torn down on sign-out.

import { type Accessor, createEffect, createRoot, createSignal, on } from "solid-js";
import * as api from "./api.ts";
import { docWorkerOn, openLinkedLive } from "./doc-link.ts";
import { clearFirstScreens, type FirstScreen, readFirstScreen } from "./first-screen.ts";
import { whenIdle } from "./idle.ts";
import { type Live, openLive } from "./live.ts";
import { setRoomOffset } from "./now.ts";
import { createOrdersStore, type OrdersStore } from "./orders.ts";
import { Outbox, type QueuedCommand } from "./outbox.ts";
import { createPresence, type Presence } from "./presence.ts";
import { learnOffset } from "./room-clock.ts";
import { access, role, session } from "./session.ts";
import { VIEWS, type ViewId } from "./views.ts";

export interface Workspace {
  sellerId: string;
  live: Live;
  orders: OrdersStore;
  presence: Presence;
  outbox: Outbox;
  queued: () => readonly QueuedCommand[];
  /**
   * The orders screen as this device last showed it (./first-screen.ts), painted until the copy on the
   * device has loaded; null when none was kept for the view the app opened on.
   */
  firstScreen: Accessor<FirstScreen | null>;
  /**
   * The room's first screen (./first-screen.ts `teamScreenFor`), asked for when this device holds no
   * copy of the seller (a new device signing in) and dropped once the room's whole copy has arrived;
   * null otherwise, offline, or when the room could not answer.
   */
  teamScreen: Accessor<unknown>;
}

const [workspace, setWorkspace] = createSignal<Workspace | null>(null);

export { workspace };

/** The orders view the app opened on, or null when it opened on another screen (nothing to paint early). */
function openingView(): ViewId | null {
  if (location.pathname !== "/") return null;
  const view = new URLSearchParams(location.search).get("view") ?? "due_today";
  return VIEWS.some((v) => v.id === view) ? (view as ViewId) : null;
}

/** Settles once the frame now being prepared has been painted (at once in a hidden tab: it paints nothing). */
function afterPaint(): Promise<void> {
  if (document.visibilityState === "hidden") return Promise.resolve();
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 1000);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/**
 * True when this device already holds a copy of the seller's document (y-indexeddb's database), asked
 * before the copy is opened (which creates it). Unknown (a browser without `indexedDB.databases`, or
 * an error) reads as no copy: the room's first screen is then only painted if it comes first.
 */
async function holdsCopy(sellerId: string): Promise<boolean> {
  try {
    const dbs = await indexedDB.databases();
    return dbs.some((d) => d.name === `consign:${sellerId}`);
  } catch {
    return false;
  }
}

/**
 * The room's first screen for a device without a copy of its own, asked for as soon as the access token
 * is there (the same moment the socket opens with it); nothing when offline or refused.
 */
async function askTeamScreen(sellerId: string, set: (screen: unknown) => void): Promise<void> {
  try {
    set(await api.teamFirstScreen(sellerId));
  } catch (err) {
    console.info("[first-screen] the room's first screen did not come; the live list will", err);
  }
}

function open(sellerId: string): Workspace {
  const [firstScreen, setFirstScreen] = createSignal<FirstScreen | null>(null);
  const [teamScreen, setTeamScreen] = createSignal<unknown>(null);
  const view = openingView();
  // Whether the device has a copy is read before the copy is opened (opening creates it).
  const copy = holdsCopy(sellerId);
  // The kept first screen is read first and painted; the document (one long task) loads after that frame.
  // A store that does not answer within a second holds nothing back.
  const kept = view
    ? Promise.race([
        readFirstScreen(sellerId, view).then((screen) => {
          if (!screen) return;
          setFirstScreen(screen);
          return afterPaint();
        }),
        new Promise<void>((resolve) => setTimeout(resolve, 1000)),
      ])
    : undefined;
  const painted = Promise.all([kept, copy]);
  // The document in the document worker, shared by the tabs (the default), or on this page (switched off per
  // device, or a browser without Worker).
  const linked = docWorkerOn() ? openLinkedLive(sellerId, { loadAfter: painted }) : null;
  const live: Live = linked?.live ?? openLive(sellerId, { loadAfter: painted });
  void copy.then((has) => {
    if (has || live.lastSyncedAt() !== null) return;
    void askTeamScreen(sellerId, (screen) => {
      // Only while the room's copy has not arrived: after that the live list stands on its own.
      if (live.lastSyncedAt() === null) setTeamScreen(screen);
    });
  });

  const orders = createOrdersStore(live.doc, linked?.orders);
  const presence = createPresence(live.awareness);
  const [queued, setQueued] = createSignal<readonly QueuedCommand[]>([]);
  const outbox = new Outbox(
    {
      storage: localStorage,
      send: api.sendCommand,
      retryable: api.isNetworkError,
      newKey: () => crypto.randomUUID(),
      now: Date.now,
      onChange: (q) => setQueued([...q]),
    },
    sellerId,
  );
  setQueued([...outbox.pending()]);
  return { sellerId, live, orders, presence, outbox, queued, firstScreen, teamScreen };
}

/** How long after the orders show the labels worker is started (in idle time then). */
const WARM_LABELS_AFTER_MS = 10_000;

let retryTimer: ReturnType<typeof setInterval> | undefined;
let clockTimer: ReturnType<typeof setInterval> | undefined;
let flushOnline: (() => void) | undefined;

/** Learns the seller's time from the room (room-clock.ts); offline, the last offset stays. */
async function syncClock(sellerId: string): Promise<void> {
  const offset = await learnOffset(api.roomNow);
  if (offset !== null && workspace()?.sellerId === sellerId) setRoomOffset(offset);
}

createRoot(() => {
  createEffect(
    on(
      () => session()?.sellerId ?? null,
      (sellerId) => {
        const current = workspace();
        if (current && current.sellerId === sellerId) return;
        if (current) {
          current.presence.dispose();
          current.orders.dispose();
          current.live.destroy();
        }
        clearInterval(retryTimer);
        clearInterval(clockTimer);
        if (flushOnline) removeEventListener("online", flushOnline);
        if (!sellerId) {
          // Signed out: what the orders screen showed is not left on the device.
          if (current) void clearFirstScreens();
          setWorkspace(null);
          setRoomOffset(0);
          return;
        }
        const ws = open(sellerId);
        setWorkspace(ws);
        void ws.outbox.flush();
        retryTimer = setInterval(() => void ws.outbox.flush(), 15_000);
        void syncClock(sellerId);
        // Every 10 minutes, and when the connection comes back (a device's clock drifts; a
        // simulation moves the seller's time).
        clockTimer = setInterval(() => void syncClock(sellerId), 600_000);
        flushOnline = () => {
          void ws.outbox.flush();
          void syncClock(sellerId);
        };
        addEventListener("online", flushOnline);
      },
    ),
  );
  // The labels worker is started and warmed in idle time ten seconds after the orders show, so the
  // session's first print run (a reprint too, which buys nothing) does not wait for the worker to load
  // and compile (a fresh worker's first run takes 1.5-2x as long). Not for viewers, nor on a page left
  // within seconds (its worker would be thrown away).
  let warmed = false;
  createEffect(() => {
    const ws = workspace();
    if (warmed || !ws?.live.loaded() || role() === "viewer" || role() === null) return;
    warmed = true;
    setTimeout(() => {
      // In idle time, or a few seconds later on a page that is never idle.
      let started = false;
      const start = () => {
        if (started || !workspace()) return;
        started = true;
        void import("./labels-client.ts").then((m) => m.labelsWorker());
      };
      whenIdle(start);
      setTimeout(start, WARM_LABELS_AFTER_MS);
    }, WARM_LABELS_AFTER_MS);
  });
  // Tell the team who is here once the name is known.
  createEffect(() => {
    const ws = workspace();
    const s = session();
    if (!ws || !s) return;
    ws.presence.setMe({ id: s.user.id, name: s.user.name, role: access()?.role ?? "packer" });
  });
});
