// Team presence over Yjs awareness: {user:{id,name,role}, orderId?}. Tells who else has which order open.

import { type Accessor, createSignal } from "solid-js";
import type { Awareness } from "y-protocols/awareness";

export interface Peer {
  clientId: number;
  user: { id: string; name: string; role: string };
  orderId?: string;
}

export interface Presence {
  peers: Accessor<Peer[]>;
  /** Other people (not this tab) with the order open. */
  onOrder(orderId: string): Peer[];
  setMe(user: Peer["user"]): void;
  openOrder(orderId: string | null): void;
  dispose(): void;
}

export function createPresence(awareness: Awareness): Presence {
  const [peers, setPeers] = createSignal<Peer[]>([]);
  const read = () => {
    const out: Peer[] = [];
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const user = (state as { user?: Peer["user"] }).user;
      if (!user || typeof user.name !== "string") continue;
      const orderId = (state as { orderId?: unknown }).orderId;
      out.push({ clientId, user, ...(typeof orderId === "string" ? { orderId } : {}) });
    }
    setPeers(out);
  };
  awareness.on("change", read);
  read();
  return {
    peers,
    onOrder: (orderId) => peers().filter((p) => p.orderId === orderId),
    setMe: (user) => awareness.setLocalStateField("user", user),
    openOrder: (orderId) => awareness.setLocalStateField("orderId", orderId ?? undefined),
    dispose: () => awareness.off("change", read),
  };
}
