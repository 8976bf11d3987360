// What the room remembers about each socket, kept in its hibernation attachment (≤ 16 KiB) so it
// survives the Durable Object being evicted while the socket stays open: the verified identity,
// and the awareness entries (client id → clock and state) this socket announced.

import type { AwarenessEntry } from "@consign/sync";
import type { SyncIdentity } from "./identity.ts";

/** Largest awareness state kept per client, as JSON; the attachment must stay under 16 KiB. */
export const MAX_AWARENESS_STATE_CHARS = 2_048;
export const MAX_AWARENESS_CLIENTS_PER_SOCKET = 4;

export interface ConnectionAttachment {
  identity: SyncIdentity;
  /** clientID → { clock, state } */
  awareness: Record<string, { clock: number; state: unknown }>;
  /** Set once the room has dropped this socket (its awareness removal already broadcast). */
  dropped?: true;
}

export function readAttachment(ws: WebSocket): ConnectionAttachment | null {
  const value = ws.deserializeAttachment() as ConnectionAttachment | null;
  return value && typeof value === "object" && "identity" in value ? value : null;
}

export function writeAttachment(ws: WebSocket, attachment: ConnectionAttachment): void {
  ws.serializeAttachment(attachment);
}

export function awarenessEntriesOf(attachment: ConnectionAttachment): AwarenessEntry[] {
  return Object.entries(attachment.awareness).map(([id, e]) => ({
    clientID: Number(id),
    clock: e.clock,
    state: e.state,
  }));
}
