// A browser-shaped WebSocket that opens through the edge Worker's own fetch (the real /sync route,
// token in the URL), so the stock y-websocket client runs inside workerd against the real stack.
import { exports } from "cloudflare:workers";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { browserSocketClass, type CloseInfo } from "./browser-socket.ts";

/** Sockets through the edge's real /sync route (ws:// URLs are fetched as http://). */
export const EdgeSocket = browserSocketClass(
  async (url) =>
    (await exports.default.fetch(url.replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } }))
      .webSocket,
);

/** The first close code the edge sends a socket for this URL (e.g. 4401, 4403). */
export function firstCloseCode(url: string): Promise<CloseInfo> {
  return new Promise((resolve) => {
    const socket = new EdgeSocket(url);
    socket.onclose = (e) => resolve(e);
  });
}

export function syncClient(sellerId: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider("ws://edge.test/sync", sellerId, doc, {
    WebSocketPolyfill: EdgeSocket as never,
    disableBc: true,
    params: { token },
    maxBackoffTime: 200,
  });
  return { doc, provider, destroy: () => provider.destroy() };
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
