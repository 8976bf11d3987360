// One live Y.Doc per seller: y-indexeddb keeps it on the device (the app opens offline), the
// WebsocketProvider keeps it in step with the seller's room at /sync/{sellerId}?token=…

import { createSignal } from "solid-js";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { accessToken } from "./session.ts";

export type Connection = "connecting" | "connected" | "offline" | "forbidden" | "signed-out";

export interface Live {
  sellerId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** True once the copy on this device has loaded (orders can be shown). */
  loaded: () => boolean;
  connection: () => Connection;
  /** When the room last answered (ms), for "last sync" in the chip. */
  lastSyncedAt: () => number | null;
  destroy(): void;
}

function wsBase(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`;
}

export function openLive(sellerId: string): Live {
  const doc = new Y.Doc();
  const [loaded, setLoaded] = createSignal(false);
  const [connection, setConnection] = createSignal<Connection>("connecting");
  const [lastSyncedAt, setLastSyncedAt] = createSignal<number | null>(null);

  performance.mark("T:openLive");
  const local = new IndexeddbPersistence(`consign:${sellerId}`, doc);
  void local.whenSynced.then(() => { performance.mark("T:idbSynced:" + doc.getMap("orders").size); setLoaded(true); });

  const provider = new WebsocketProvider(`${wsBase()}/sync`, sellerId, doc, {
    connect: false,
    params: {},
    maxBackoffTime: 10_000,
  });

  let destroyed = false;
  async function connectWithToken(force: boolean): Promise<void> {
    try {
      provider.params = { token: await accessToken(force) };
      performance.mark("T:token");
      if (!destroyed) provider.connect();
    } catch {
      // Offline or signed out: try again when the network comes back.
      setConnection(navigator.onLine ? "signed-out" : "offline");
    }
  }

  provider.on("status", ({ status }) => {
    setConnection(status === "connected" ? "connected" : navigator.onLine ? "connecting" : "offline");
  });
  provider.on("sync", (synced: boolean) => {
    if (synced) {
      performance.mark("T:wsSynced:" + doc.getMap("orders").size);
      setLastSyncedAt(Date.now());
      setLoaded(true);
    }
  });
  // Every reconnect carries a fresh token; y-websocket reads `params` when it opens the next socket.
  provider.on("connection-close", () => {
    void accessToken(false)
      .then((token) => {
        provider.params = { token };
      })
      .catch(() => undefined);
  });
  // 4xxx closes are terminal for y-websocket: 4401 → new token and reconnect; 4403 → forbidden.
  provider.on("closed", ({ code }) => {
    if (code === 4401) void connectWithToken(true);
    else if (code === 4403) setConnection("forbidden");
  });
  const online = () => void connectWithToken(false);
  const offline = () => setConnection("offline");
  addEventListener("online", online);
  addEventListener("offline", offline);
  void connectWithToken(false);

  return {
    sellerId,
    doc,
    provider,
    loaded,
    connection,
    lastSyncedAt,
    destroy() {
      destroyed = true;
      removeEventListener("online", online);
      removeEventListener("offline", offline);
      provider.destroy();
      void local.destroy();
      doc.destroy();
    },
  };
}
