// The room's side of the shared print queue: after each device update that claims labels, the
// room confirms the first claim of each label it hears of and puts back an earlier claim or
// print over a later one (`arbitratePrintClaims` in @consign/sync). Devices print only confirmed
// labels, so two tablets never print the same label by accident. Runs on the room's own order of
// updates, right after the device's update is applied (a deferred room write, broadcast as usual).
import { arbitratePrintClaims, printQueueMap } from "@consign/sync";
import type * as Y from "yjs";

interface RoomWriter {
  transact(fn: (doc: Y.Doc) => void, origin?: unknown): void;
}

/** A device update carries its socket as origin; the room's own writes do not. */
const fromDevice = (origin: unknown) => typeof origin === "object" && origin !== null && "socket" in origin;

export class PrintClaims {
  private stop: (() => void) | undefined;

  constructor(
    private readonly room: RoomWriter,
    private readonly now: () => number = Date.now,
  ) {}

  attach(doc: Y.Doc): void {
    this.stop?.();
    const map = printQueueMap(doc);
    const observer = (event: Y.YMapEvent<unknown>) => {
      if (!fromDevice(event.transaction.origin)) return;
      const changed = new Map<string, unknown>();
      for (const [key, change] of event.changes.keys) {
        if (key.startsWith("label/") && change.action !== "delete") changed.set(key, change.oldValue);
      }
      if (changed.size === 0) return;
      // Not inside the device's transaction: the decision is the room's own write, after it.
      queueMicrotask(() => this.room.transact((d) => arbitratePrintClaims(d, changed, this.now())));
    };
    map.observe(observer);
    this.stop = () => map.unobserve(observer);
  }
}
