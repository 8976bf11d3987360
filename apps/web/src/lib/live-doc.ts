// One live Y.Doc per seller: y-indexeddb keeps it on the device (the app opens offline), the
// WebsocketProvider keeps it in step with the seller's room at /sync/{sellerId}?token=…
// It runs where it is opened: on the page (./live.ts) or in the document worker (../workers/doc.worker.ts),
// which is why what only a page has (the session's access token, reloading) comes in as `LiveHost`.

import {
  CURRENT_LAYOUT,
  carryUnsyncedEdits,
  documentGeneration,
  encodeSyncStep1,
  GENERATION_CHANGED,
  splittingWebSocket,
} from "@consign/sync";
import { createSignal } from "solid-js";
import { IndexeddbPersistence, storeState } from "y-indexeddb";
import type { Awareness } from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { ApiError } from "./api.ts";

export type Connection = "connecting" | "connected" | "offline" | "forbidden" | "signed-out" | "refused";

/** The room's document is of a newer layout than this app reads (the edge's close-codes.ts). */
const APP_OUTDATED = 4426;

/** Close codes with which the room refuses a change this device sent (see the edge's close-codes.ts). */
const REFUSED_WRITE = new Set([4400, 4403, 4413, 4422]);

export interface Live {
  sellerId: string;
  doc: Y.Doc;
  /** True when the document is in the document worker and this is the page's view of it (./doc-link.ts). */
  inWorker?: boolean;
  /** Who else is here (presence.ts). */
  awareness: Awareness;
  /** True once the copy on this device has loaded (orders can be shown). */
  loaded: () => boolean;
  connection: () => Connection;
  /** When the room last answered (ms), for "last sync" in the chip. */
  lastSyncedAt: () => number | null;
  /** Why the room stopped this device syncing, in its own words (it names the key it refused). */
  refusal: () => string | null;
  /**
   * Drops this device's copy (IndexedDB) and reloads the app from the team's copy in the room: the
   * way out after a refused change (the refused change was never accepted, so nothing accepted is lost).
   */
  startAgainFromTeamCopy(): Promise<void>;
  /**
   * The network as the pages see it (the document worker's own view of it may differ, and a test browser
   * takes only the pages offline): offline closes the socket, online opens it again.
   */
  network(online: boolean): void;
  /** Settles once everything in the document now is in this device's IndexedDB copy (at once before it loaded). */
  stored(): Promise<void>;
  destroy(): void;
}

/**
 * The room's current copy, in a document of its own (a new device's first sync), within 30 s; the
 * socket stays open for the caller to send through, and must be destroyed by it.
 */
async function fetchTeamCopy(
  sellerId: string,
  host: LiveHost,
): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const token = await host.accessToken(false);
  const provider = new WebsocketProvider(`${wsBase()}/sync`, sellerId, doc, {
    params: { token, gen: "", layout: String(CURRENT_LAYOUT) },
    WebSocketPolyfill: splittingWebSocket(WebSocket),
    disableBc: true,
  });
  try {
    await synced(provider, 30_000, "the room did not send its copy within 30 s");
  } catch (err) {
    provider.destroy();
    throw err;
  }
  return { doc, provider };
}

/** Resolves when the provider next says it is in step with the room. */
function synced(provider: WebsocketProvider, ms: number, why: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      provider.off("sync", done);
      reject(new Error(why));
    }, ms);
    const done = (isSynced: boolean) => {
      if (!isSynced) return;
      clearTimeout(timer);
      provider.off("sync", done);
      resolve();
    };
    provider.on("sync", done);
  });
}

/**
 * Waits until the room has applied everything this socket sent: the room answers a step 1 after
 * what came before it on the same socket, so its answer (step 2) acknowledges the rest.
 */
async function roomHasApplied(provider: WebsocketProvider): Promise<void> {
  const answered = synced(provider, 20_000, "the room did not confirm the carried edits within 20 s");
  provider.synced = false;
  provider.ws?.send(encodeSyncStep1(provider.doc));
  await answered;
}

function wsBase(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`;
}

/** What the document needs from the page it serves. */
export interface LiveHost {
  /** A valid access token for the seller (a new one when `force`). */
  accessToken(force: boolean): Promise<string>;
  /** Loads the app again (on the new copy, or from the team's copy). */
  reload(): void;
  /** Forgets the kept first screens of the seller (./first-screen.ts). */
  forgetFirstScreens(sellerId: string): Promise<void>;
  /** False where other tabs share this document already (one worker for all tabs): no BroadcastChannel. */
  joinTabs?: boolean;
}

export interface OpenLiveOptions {
  /**
   * The copy on this device starts loading once this settles (the kept first screen painted first: the
   * load is one long task on the main thread, and a frame waiting behind it would show nothing).
   */
  loadAfter?: Promise<unknown>;
}

export function openLiveDoc(sellerId: string, host: LiveHost, options: OpenLiveOptions = {}): Live {
  const accessToken = (force: boolean) => host.accessToken(force);
  /** What the pages last said of the network (a worker's pages), else what this context sees. */
  let pagesSay: boolean | null = null;
  const isOnline = () => pagesSay ?? navigator.onLine;
  const doc = new Y.Doc();
  const [loaded, setLoaded] = createSignal(false);
  const [connection, setConnection] = createSignal<Connection>("connecting");
  const [lastSyncedAt, setLastSyncedAt] = createSignal<number | null>(null);
  const [refusal, setRefusal] = createSignal<string | null>(null);

  // Created when loading starts (see loadAfter); until then there is nothing on the device to drop.
  let local: IndexeddbPersistence | null = null;
  const provider = new WebsocketProvider(`${wsBase()}/sync`, sellerId, doc, {
    connect: false,
    params: {},
    // A backlog from a day offline can exceed production's 1 MiB per message: it goes in parts.
    WebSocketPolyfill: splittingWebSocket(WebSocket),
    maxBackoffTime: 10_000,
    disableBc: host.joinTabs === false,
  });

  // While the copy on this device loads, nobody listens for "update": with a listener, Yjs would encode the
  // whole loaded document once more as an update (hundreds of ms at 5,000 orders) only for y-indexeddb to skip
  // it (it came from y-indexeddb) and the socket to send it nowhere (not open yet). The socket opens once the
  // copy is loaded, so the room is told what the device already holds and sends only what is missing.
  doc.off("update", provider._updateHandler);
  let changedWhileLoading = false;
  const watchLoading = (tr: Y.Transaction) => {
    if (tr.origin !== local && tr.changed.size > 0) changedWhileLoading = true;
  };
  doc.on("afterTransaction", watchLoading);
  // Other tabs of this seller are joined now, while the document is still empty: y-websocket sends its whole
  // state to the other tabs each time it joins them (on every connect), hundreds of ms once loaded. Once
  // joined, updates reach them one by one, so connecting the socket later does not join again.
  const joinTabs = provider.connectBc.bind(provider);
  provider.connectBc = () => {
    if (!provider.bcconnected) joinTabs();
  };
  if (host.joinTabs !== false) provider.connectBc();

  let destroyed = false;
  let socketStarted = false;
  // A device whose IndexedDB never answers still syncs.
  let loadTimer: ReturnType<typeof setTimeout> | undefined;
  function startSocket(): void {
    if (socketStarted || destroyed) return;
    socketStarted = true;
    clearTimeout(loadTimer);
    doc.on("update", provider._updateHandler);
    void connectWithToken(false);
  }
  function startLoading(): void {
    if (destroyed || local) return;
    const store = new IndexeddbPersistence(`consign:${sellerId}`, doc);
    local = store;
    doc.off("update", store._storeUpdate);
    loadTimer = setTimeout(() => startSocket(), 3000);
    void store.whenSynced.then(() => {
      if (destroyed) return;
      doc.off("afterTransaction", watchLoading);
      doc.on("update", store._storeUpdate);
      // Edits made before the copy had loaded (none in practice) are kept on the device too.
      if (changedWhileLoading) void storeState(store, true);
      setLoaded(true);
      startSocket();
    });
  }
  if (options.loadAfter) void options.loadAfter.then(startLoading, startLoading);
  else startLoading();

  let tokenRetry: ReturnType<typeof setTimeout> | undefined;
  // The room checks which generation of the document this copy is (4409 when it rebuilt it since) and
  // which layout this app reads (4426 when the room's document is newer than the app).
  const paramsWith = (token: string) => ({
    token,
    gen: documentGeneration(doc) ?? "",
    layout: String(CURRENT_LAYOUT),
  });
  async function connectWithToken(force: boolean, attempt = 0): Promise<void> {
    clearTimeout(tokenRetry);
    try {
      provider.params = paramsWith(await accessToken(force));
      if (!destroyed && socketStarted) provider.connect();
    } catch (err) {
      // Signed out (the session was ended): nothing to retry. Offline: the "online" event retries.
      // Anything else (the edge restarting, a busy moment, a 429) is passing: try again shortly,
      // backing off, instead of leaving the tablet "Not syncing" until someone reloads it.
      const refused = err instanceof ApiError && (err.status === 401 || err.status === 403);
      if (!isOnline()) setConnection("offline");
      else if (refused) setConnection("signed-out");
      else if (!destroyed) {
        setConnection("connecting");
        tokenRetry = setTimeout(
          () => void connectWithToken(force, attempt + 1),
          Math.min(30_000, 1_000 * 2 ** attempt),
        );
      }
    }
  }

  provider.on("status", ({ status }) => {
    if (refusal() !== null) return;
    setConnection(status === "connected" ? "connected" : isOnline() ? "connecting" : "offline");
  });
  provider.on("sync", (synced: boolean) => {
    if (synced) {
      setLastSyncedAt(Date.now());
      setLoaded(true);
    }
  });
  // Every reconnect carries a fresh token; y-websocket reads `params` when it opens the next socket.
  provider.on("connection-close", () => {
    void accessToken(false)
      .then((token) => {
        provider.params = paramsWith(token);
      })
      .catch(() => undefined);
  });
  // 4xxx closes are terminal for y-websocket: 4401 → new token and reconnect; 4403 → forbidden.
  provider.on("closed", ({ code, reason }: { code: number; reason?: string }) => {
    if (code === 4401) void connectWithToken(true);
    else if (code === GENERATION_CHANGED) void moveToNewGeneration();
    else if (code === APP_OUTDATED) {
      setRefusal(reason || "this app is older than the team's document: reload the page");
      setConnection("refused");
    } else if (REFUSED_WRITE.has(code)) {
      // The room names what it refused; "viewer cannot edit" is a role that may not write at all.
      console.warn(`[sync] the room refused this device (${code}): ${reason ?? ""}`);
      setRefusal(reason || `the room closed the connection (${code})`);
      setConnection(reason === "viewer cannot edit" ? "forbidden" : "refused");
    }
  });

  /**
   * The room rebuilt the document (a new generation, after archiving): fetch it, write into it what
   * this copy holds that the room never saw (edits made offline or in flight), keep that on the
   * device, and reload on it. The carried edits reach the room as this device's own on reconnecting,
   * so they survive a room that is unreachable again by then. If the new copy cannot be fetched, the
   * old one stays and the chip says so: nothing is thrown away.
   */
  async function moveToNewGeneration(): Promise<void> {
    destroyed = true;
    provider.destroy();
    setConnection("connecting");
    console.info(
      `[sync] the team's copy was renewed (this copy: ${documentGeneration(doc) ?? "none"}): fetching it`,
    );
    try {
      const team = await fetchTeamCopy(sellerId, host);
      const fresh = team.doc;
      try {
        // Written into the new copy, the edits go to the room on this socket; then the device waits
        // for the room to say it has them, so they are the team's before this page reloads.
        const carried = carryUnsyncedEdits(doc, fresh);
        if (carried.carried > 0) {
          await roomHasApplied(team.provider);
          console.info(`[sync] carried ${carried.carried} unsynced edit(s) into the new copy`);
        }
      } catch (err) {
        // Kept on this device (below) and sent when it reconnects: nothing is lost.
        console.warn("[sync] the carried edits are kept on this device until the room takes them", err);
      } finally {
        team.provider.destroy();
      }
      await local?.clearData().catch(() => undefined);
      const store = new IndexeddbPersistence(`consign:${sellerId}`, fresh);
      await store.whenSynced; // y-indexeddb writes the whole fresh copy before it says synced
      await store.destroy();
      host.reload();
    } catch (err) {
      console.warn("[sync] could not fetch the team's new copy", err);
      setRefusal("The team's copy was renewed and this device could not fetch it yet: reload to try again.");
      setConnection("refused");
    }
  }

  async function startAgainFromTeamCopy(): Promise<void> {
    destroyed = true;
    provider.destroy();
    if (local) await local.clearData().catch(() => undefined);
    else indexedDB.deleteDatabase(`consign:${sellerId}`);
    await host.forgetFirstScreens(sellerId);
    host.reload();
  }
  const online = () => void connectWithToken(false);
  const offline = () => setConnection("offline");
  addEventListener("online", online);
  addEventListener("offline", offline);
  // Ask for the token now, so it is ready when the socket opens.
  void accessToken(false).catch(() => undefined);

  return {
    sellerId,
    doc,
    awareness: provider.awareness,
    loaded,
    connection,
    lastSyncedAt,
    refusal,
    startAgainFromTeamCopy,
    network(on) {
      if (pagesSay === on) return;
      pagesSay = on;
      if (on) online();
      else {
        provider.disconnect();
        setConnection("offline");
      }
    },
    stored() {
      // y-indexeddb writes each update in a transaction of its own on "updates", started when the update
      // came; a later transaction on the same store completes after it.
      const db = local?.db;
      if (!db) return Promise.resolve();
      return new Promise<void>((resolve) => {
        try {
          const tr = db.transaction(["updates"], "readonly");
          tr.oncomplete = () => resolve();
          tr.onerror = tr.onabort = () => resolve();
        } catch {
          resolve();
        }
      });
    },
    destroy() {
      destroyed = true;
      clearTimeout(tokenRetry);
      clearTimeout(loadTimer);
      doc.off("afterTransaction", watchLoading);
      removeEventListener("online", online);
      removeEventListener("offline", offline);
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    },
  };
}
