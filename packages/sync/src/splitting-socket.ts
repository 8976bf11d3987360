// The WebSocket class a device hands to y-websocket's WebsocketProvider (`WebSocketPolyfill`):
// the stock provider sends its whole backlog as one step 2 on reconnect, which production
// Durable Objects refuse above 1 MiB (the socket would close and the backlog never arrive).
// This class sends such a message as several updates under the limit instead.

import { MAX_MESSAGE_BYTES, splitOutgoingMessage } from "./protocol.ts";

/** Anything shaped like the browser's WebSocket class, as far as sending goes. */
// biome-ignore lint/suspicious/noExplicitAny: constructor arguments pass through untouched.
type SocketClass = new (...args: any[]) => { send(data: unknown): void };

function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

/** A subclass of `Base` whose `send` splits sync messages above `maxBytes`. */
export function splittingWebSocket<T extends SocketClass>(Base: T, maxBytes = MAX_MESSAGE_BYTES): T {
  const Splitting = class extends (Base as SocketClass) {
    override send(data: unknown): void {
      const bytes = bytesOf(data);
      if (bytes === null || bytes.byteLength <= maxBytes) {
        super.send(data);
        return;
      }
      for (const part of splitOutgoingMessage(bytes, maxBytes)) super.send(part);
    }
  };
  return Splitting as unknown as T;
}
