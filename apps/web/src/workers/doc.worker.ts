// The document worker: the seller's live document (../lib/live-doc.ts) for every page that connects
// (../lib/doc-host.ts). Started as a SharedWorker where the browser has one, so the tabs of a browser
// share one copy, one IndexedDB store and one socket to the room; otherwise as a dedicated worker per
// page (the copies in several tabs then keep in step over a BroadcastChannel, as pages' copies do).

import { DocHost, type PagePort } from "../lib/doc-host.ts";
import type { ToWorker } from "../lib/doc-messages.ts";
import { indexedDbKeptOrders } from "../lib/kept-orders.ts";
import { openLiveDoc } from "../lib/live-doc.ts";

declare const self: {
  onconnect?: ((e: MessageEvent) => void) | null;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(m: unknown): void;
};

const shared = "onconnect" in self;
const host = new DocHost(openLiveDoc, { shared, keptOrders: indexedDbKeptOrders });

// The document's own words ("[sync] …") reach the pages' consoles too.
for (const level of ["info", "warn"] as const) {
  const own = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    own(...args);
    host.log(level, args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" "));
  };
}

if (shared) {
  self.onconnect = (e: MessageEvent) => {
    const port = e.ports[0]!;
    const receive = host.connect(port as PagePort);
    port.onmessage = (m: MessageEvent<ToWorker>) => receive(m.data);
    port.start();
  };
} else {
  const receive = host.connect(self as PagePort);
  self.onmessage = (m) => receive(m.data);
}
