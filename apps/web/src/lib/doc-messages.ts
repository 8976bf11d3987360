// What a page and the document worker say to each other (./doc-link.ts on the page, ./doc-host.ts in
// the worker). One port per page; messages on a port arrive in order.

import { textSplice } from "@consign/sync";
import type { TextField } from "./doc.ts";
import type { MirrorEntry } from "./doc-mirror.ts";
import type { Edit } from "./edits.ts";
import type { Connection } from "./live-doc.ts";
import type { PrintAsk } from "./print-claims.ts";
import type { Delta } from "./text-binding.ts";

/** One contiguous change a person made to a text: `remove` characters at `at` replaced by `insert`. */
export interface Splice {
  at: number;
  remove: number;
  insert: string;
}

export type ToWorker =
  /**
   * The first message of a page: the seller it works for; `load` false until its kept first screen painted;
   * `keptOrders` false: the worker starting for it neither shows nor keeps the orders kept on the device
   * (./kept-orders.ts), only to measure the load without them.
   */
  | { type: "open"; sellerId: string; load: boolean; keptOrders?: boolean }
  /** The page painted its kept first screen: the copy on the device may load now. */
  | { type: "load" }
  | { type: "token"; id: number; token?: string; error?: { status?: number; message: string } }
  /** An edit (./edits.ts); `id` is answered with "edited" once it is in the document on this device. */
  | { type: "edit"; id: string; device?: string; edit: Edit }
  /** The page writes into its copy of the small maps (an owner's settings). */
  | { type: "maps"; entries: MirrorEntry[] }
  | { type: "text-bind"; bind: number; orderId: string; field: TextField }
  /** A change typed in a bound text; `seen` is the last "text" message `n` the page had when it was made. */
  | { type: "text-input"; bind: number; seq: number; seen: number; splice: Splice }
  | { type: "text-unbind"; bind: number }
  /** The page's presence (an awareness update of its own client). */
  | { type: "awareness"; update: Uint8Array }
  /** The network as the page sees it (on opening and at each change). */
  | { type: "network"; online: boolean }
  | { type: "start-again" }
  /** The page is going (closed, signed out, another seller). */
  | { type: "bye" }
  /** A run straight to the printer asks the print queue (./print-claims.ts); answered by "print-answer" `id`. */
  | { type: "print"; id: number; ask: PrintAsk };

export interface LiveState {
  loaded: boolean;
  connection: Connection;
  lastSyncedAt: number | null;
  refusal: string | null;
}

export type FromWorker =
  | ({ type: "state" } & LiveState)
  /**
   * Orders as JSON: `[orderId, order | null][]` (null: no longer in the document). `all`: a part of every
   * order the document holds, sent in parts (each parsed in a task of its own on the page); at the `last`
   * part, any order the page holds that none of the parts had is gone.
   */
  | { type: "orders"; all: boolean; last: boolean; json: string }
  | { type: "maps"; entries: MirrorEntry[] }
  | { type: "token?"; id: number; force: boolean }
  | { type: "edited"; id: string }
  /**
   * A bound text's content after a change the page did not make (`delta`: that change, null when the text was
   * made or replaced), or after its own change `ack` was applied.
   */
  | { type: "text"; bind: number; n: number; value: string; delta: Delta | null; ack?: number }
  | { type: "awareness"; update: Uint8Array }
  /** The socket to the room opened again: say again who is here (the room forgot this page's presence). */
  | { type: "presence?" }
  /** What the worker said in its console, said again in the pages' (a worker's console is hard to find). */
  | { type: "log"; level: "info" | "warn"; text: string }
  /** Load the app again (the team's copy was renewed, or the page asked to start again from it). */
  | { type: "reload" }
  /** The answer to "print" `id` (./print-claims.ts `answerPrintAsk`), or why there is none, in words. */
  | { type: "print-answer"; id: number; answer?: unknown; error?: string };

/** The splice that turns `before` into `after` (common start and end kept, surrogate pairs whole). */
export const spliceBetween: (before: string, after: string) => Splice = textSplice;

/** A splice as a Y.Text delta (for moving a caret with transformCaret). */
export function spliceDelta(s: Splice): Delta {
  const delta: Delta = [];
  if (s.at > 0) delta.push({ retain: s.at });
  if (s.remove > 0) delta.push({ delete: s.remove });
  if (s.insert) delta.push({ insert: s.insert });
  return delta;
}

export function applySplice(text: string, s: Splice): string {
  return text.slice(0, s.at) + s.insert + text.slice(s.at + s.remove);
}
