// A seller's document as the document worker holds it in unit tests: loaded and connected, with the socket and
// IndexedDB left out (./live-doc.ts is the real one). Shared by the worker's tests and the print queue's.

import { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import type { Live } from "./live-doc.ts";

/** `stored` is called when the host asks for the copy to be on the device (default: at once). */
export function loadedLive(doc: Y.Doc, stored: () => Promise<void> = () => Promise.resolve()): Live {
  return {
    sellerId: "S1",
    doc,
    awareness: new Awareness(doc),
    loaded: () => true,
    connection: () => "connected",
    lastSyncedAt: () => 1,
    refusal: () => null,
    startAgainFromTeamCopy: async () => undefined,
    network: () => undefined,
    stored,
    destroy: () => undefined,
  };
}
