// A browser-shaped WebSocket that opens through the edge Worker's own fetch (the real /sync route,
// token in the URL), so the stock y-websocket client runs inside workerd against the real stack.
import { exports } from "cloudflare:workers";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

interface CloseInfo {
  code: number;
  reason: string;
}

export class EdgeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  binaryType = "arraybuffer";
  readyState = 0;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((e: CloseInfo) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  private socket: WebSocket | null = null;

  constructor(readonly url: string) {
    void this.open();
  }

  private async open() {
    const res = await exports.default.fetch(this.url.replace(/^ws/, "http"), {
      headers: { Upgrade: "websocket" },
    });
    const ws = res.webSocket;
    if (!ws) {
      this.readyState = 3;
      this.onclose?.({ code: 1006, reason: `upgrade refused (${res.status})` });
      return;
    }
    this.socket = ws;
    (ws as unknown as { binaryType: string }).binaryType = "arraybuffer";
    ws.accept();
    ws.addEventListener("message", (e) => {
      const data = e.data;
      this.onmessage?.({ data: typeof data === "string" ? new TextEncoder().encode(data).buffer : data });
    });
    ws.addEventListener("close", (e) => {
      if (this.readyState === 3) return;
      this.readyState = 3;
      this.onclose?.({ code: e.code, reason: e.reason });
    });
    this.readyState = 1;
    this.onopen?.({});
  }

  send(data: ArrayBuffer | Uint8Array) {
    this.socket?.send(data);
  }

  close(code = 1000, reason = "") {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    try {
      this.socket?.close(code, reason);
    } catch {}
  }
}

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
