// Shared helpers for the sync tests: stock y-websocket clients talking to the SyncTestRoom Durable
// Object inside workerd, through a small browser-shaped WebSocket over the stub's fetch.

import { env } from "cloudflare:workers";
import { CURRENT_LAYOUT, MAP, rootTexts, splittingWebSocket, textOfRootName } from "@consign/sync";
import { Awareness } from "y-protocols/awareness";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { SyncTestRoom } from "../src/room/sync/test-room.ts";
import { browserSocketClass, type CloseInfo } from "./browser-socket.ts";

export type Role = "owner" | "packer" | "viewer";

export function room(name: string): DurableObjectStub<SyncTestRoom> {
  const ns = env.SYNC_TEST_ROOM as unknown as DurableObjectNamespace<SyncTestRoom>;
  return ns.get(ns.idFromName(name));
}

export function identityHeader(
  role: Role = "packer",
  userId = `user-${role}`,
  sessionId = `s-${userId}`,
  kind: "session" | "api-key" = "session",
) {
  return JSON.stringify({ sellerId: "seller-1", userId, role, sessionId, name: `Person ${userId}`, kind });
}

/** A WebSocket class (browser interface) whose sockets open through the room stub's fetch. */
export function socketClass(stub: DurableObjectStub<SyncTestRoom>, identity: string | null) {
  return browserSocketClass(async (url) => {
    const headers: Record<string, string> = { Upgrade: "websocket" };
    if (identity !== null) headers["x-consign-identity"] = identity;
    return (await stub.fetch(url, { headers })).webSocket;
  });
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: Awareness;
  /** Resolves with the close code the room sent when it refused the client for good (4400–4499). */
  refused: Promise<CloseInfo>;
  destroy(): void;
}

export function connect(
  stub: DurableObjectStub<SyncTestRoom>,
  options: {
    role?: Role;
    userId?: string;
    doc?: Y.Doc;
    gen?: string;
    /** With `gen`: the layout this client reads (default the current one; "" for an app from before layouts). */
    layout?: string;
    connect?: boolean;
    /** Send through the PWA's splitting socket (large backlogs in parts) instead of the plain one. */
    split?: boolean;
    /** An integration's API key instead of a person's device. */
    kind?: "session" | "api-key";
  } = {},
): Client {
  const doc = options.doc ?? new Y.Doc();
  const awareness = new Awareness(doc);
  const params: Record<string, string> = {};
  if (options.gen !== undefined) params.gen = options.gen;
  const layout = options.layout ?? String(CURRENT_LAYOUT);
  if (options.gen !== undefined && layout !== "") params.layout = layout;
  const plain = socketClass(stub, identityHeader(options.role, options.userId, undefined, options.kind));
  const provider = new WebsocketProvider("http://room/sync", "seller-1", doc, {
    WebSocketPolyfill: (options.split ? splittingWebSocket(plain) : plain) as never,
    disableBc: true,
    awareness,
    params,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  });
  const refused = new Promise<CloseInfo>((resolve) => provider.on("closed", (e) => resolve(e)));
  return {
    doc,
    provider,
    awareness,
    refused,
    destroy() {
      provider.destroy();
      awareness.destroy();
    },
  };
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function synced(client: Client): Promise<void> {
  return waitFor(() => client.provider.synced, "the client to sync");
}

/** Opens a raw socket to the room (no provider) to send hand-made bytes. */
export async function rawSocket(stub: DurableObjectStub<SyncTestRoom>, role: Role = "packer") {
  const res = await stub.fetch("http://room/sync/seller-1", {
    headers: { Upgrade: "websocket", "x-consign-identity": identityHeader(role, `raw-${role}`) },
  });
  const ws = res.webSocket;
  if (!ws) throw new Error(`upgrade refused: ${res.status}`);
  (ws as unknown as { binaryType: string }).binaryType = "arraybuffer";
  ws.accept();
  const received: Uint8Array[] = [];
  ws.addEventListener("message", (e) => {
    received.push(new Uint8Array(e.data as ArrayBuffer));
  });
  const closed = new Promise<CloseInfo>((resolve) =>
    ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
  );
  return { ws, received, closed };
}

/** The document's content as canonical JSON (keys sorted: map iteration order differs by device). */
export function stateOf(doc: Y.Doc): string {
  // Root types appear in toJSON only once defined on that Y.Doc: the maps, and (layout 2) each order's
  // notes text, defined by reading them; one defined but never written (an empty text) is no state.
  for (const name of Object.values(MAP)) doc.getMap(name);
  for (const _ of rootTexts(doc));
  const json = doc.toJSON();
  for (const [name, value] of Object.entries(json))
    if (textOfRootName(name) && value === "") delete json[name];
  return JSON.stringify(sortKeys(json));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
