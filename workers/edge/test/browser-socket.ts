// A WebSocket class with the browser's interface (what y-websocket expects) whose sockets are
// opened by a function: through a Durable Object stub, or through the edge Worker's own fetch.
// workerd hands binary messages over as Blobs unless asked for ArrayBuffers.

export interface CloseInfo {
  code: number;
  reason: string;
}

export function browserSocketClass(open: (url: string) => Promise<WebSocket | null>) {
  return class BrowserSocket {
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

    readonly url: string;

    constructor(url: string | URL) {
      this.url = String(url);
      void this.connect();
    }

    private async connect() {
      const ws = await open(this.url).catch(() => null);
      if (ws === null) {
        this.readyState = 3;
        this.onerror?.({});
        this.onclose?.({ code: 1006, reason: "upgrade refused" });
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
      ws.addEventListener("error", (e) => this.onerror?.(e));
      if (this.readyState === 0) {
        this.readyState = 1;
        this.onopen?.({});
      } else {
        ws.close(1000, "closed before open");
      }
    }

    send(data: ArrayBuffer | Uint8Array) {
      this.socket?.send(data);
    }

    close(code = 1000, reason = "") {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      try {
        this.socket?.close(code, reason);
      } catch {
        // already closed
      }
    }
  };
}
