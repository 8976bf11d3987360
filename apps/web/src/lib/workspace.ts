// Everything that belongs to the seller being worked on: the live doc, its orders, presence and the outbox.
// Rebuilt when the person switches seller; torn down on sign-out.

import { createEffect, createRoot, createSignal, on } from "solid-js";
import * as api from "./api.ts";
import { type Live, openLive } from "./live.ts";
import { createOrdersStore, type OrdersStore } from "./orders.ts";
import { Outbox, type QueuedCommand } from "./outbox.ts";
import { createPresence, type Presence } from "./presence.ts";
import { access, session } from "./session.ts";

export interface Workspace {
  sellerId: string;
  live: Live;
  orders: OrdersStore;
  presence: Presence;
  outbox: Outbox;
  queued: () => readonly QueuedCommand[];
}

const [workspace, setWorkspace] = createSignal<Workspace | null>(null);

export { workspace };

function open(sellerId: string): Workspace {
  const live = openLive(sellerId);
  const orders = createOrdersStore(live.doc);
  const presence = createPresence(live.provider.awareness);
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
  return { sellerId, live, orders, presence, outbox, queued };
}

let retryTimer: ReturnType<typeof setInterval> | undefined;
let flushOnline: (() => void) | undefined;

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
        if (flushOnline) removeEventListener("online", flushOnline);
        if (!sellerId) {
          setWorkspace(null);
          return;
        }
        const ws = open(sellerId);
        setWorkspace(ws);
        void ws.outbox.flush();
        retryTimer = setInterval(() => void ws.outbox.flush(), 15_000);
        flushOnline = () => void ws.outbox.flush();
        addEventListener("online", flushOnline);
      },
    ),
  );
  // Tell the team who is here once the name is known.
  createEffect(() => {
    const ws = workspace();
    const s = session();
    if (!ws || !s) return;
    ws.presence.setMe({ id: s.user.id, name: s.user.name, role: access()?.role ?? "packer" });
  });
});
