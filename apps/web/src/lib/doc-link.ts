// A page served by the document worker (../workers/doc.worker.ts, ./doc-host.ts): the seller's live
// document is opened there, once for every tab (a SharedWorker where the browser has one), and this page
// holds what its screens read: the orders as plain objects (an OrderSource for the orders store), a small
// Y.Doc with the settings, runs, stock and meta maps (./doc-mirror.ts), presence, and the document's state.
// Edits made here (./edits.ts) go to the worker and are kept in localStorage until the worker says they are
// on the device, so a page closed at once loses none (the next page sends them again).
//
// The default wherever the browser has `Worker`. A device switched off (localStorage
// "consign.doc-worker.v1" = "off", the escape hatch) keeps the document on the page (./live.ts), as before.
// Both paths open the same IndexedDB store ("consign:<sellerId>", ./live-doc.ts), so a device that moves
// from one to the other keeps its copy and any edit in it the room has not had yet. Printing straight to a USB printer asks the worker's print
// queue (./print-claims.ts); the printer itself stays the page's (WebUSB).

import { createSignal } from "solid-js";
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from "y-protocols/awareness";
import * as Y from "yjs";
import { ApiError } from "./api.ts";
import type { FromWorker, LiveState, ToWorker } from "./doc-messages.ts";
import { spliceBetween, spliceDelta } from "./doc-messages.ts";
import { applyMirror, watchPageWrites } from "./doc-mirror.ts";
import { editRemotely } from "./edits.ts";
import { clearFirstScreens } from "./first-screen.ts";
import type { Live, OpenLiveOptions } from "./live-doc.ts";
import { OrderProjection } from "./order-projection.ts";
import type { OrderSource } from "./orders.ts";
import { type Pending, PendingEdits } from "./pending-edits.ts";
import { printQueueRemotely, remotePrintQueue } from "./print-claims.ts";
import { accessToken } from "./session.ts";
import { type BindTextOptions, bindTextRemotely, showText, type TextBinding } from "./text-binding.ts";
import { thisDevice } from "./this-device.ts";

const SWITCH = "consign.doc-worker.v1";
/**
 * "off": the worker neither shows nor keeps the orders kept on the device, and the list hears of each part
 * of every order as it comes: session 10's load, only to measure the kept orders beside it
 * (test/bench/doc-worker.bench.ts).
 */
const KEPT_ORDERS_SWITCH = "consign.doc-worker.kept-orders";

function keptOrdersOn(): boolean {
  try {
    return localStorage.getItem(KEPT_ORDERS_SWITCH) !== "off";
  } catch {
    return true;
  }
}

/** How long a print queue ask may wait for the worker (a worker busy loading answers late, not never). */
const PRINT_ASK_MS = 30_000;

/** True when this device opens the document in the document worker: unless it has no Worker, or is switched off. */
export function docWorkerOn(): boolean {
  if (typeof Worker !== "function") return false;
  try {
    return localStorage.getItem(SWITCH) !== "off";
  } catch {
    return true;
  }
}

export interface LinkedLive {
  live: Live;
  orders: OrderSource;
}

/** Text bindings of the pages' copies (one per open seller on this page). */
const links = new WeakMap<Y.Doc, (options: BindTextOptions) => TextBinding>();
bindTextRemotely((options) => links.get(options.doc)?.(options) ?? null);

function startWorker(sellerId: string): {
  post(m: ToWorker): void;
  listen(fn: (m: FromWorker) => void): void;
  end(): void;
} {
  // Written out in full at each `new` (the bundler finds the worker's file there).
  const name = `consign-doc:${sellerId}`;
  if (typeof SharedWorker === "function") {
    const worker = new SharedWorker(new URL("../workers/doc.worker.ts", import.meta.url), {
      type: "module",
      name,
    });
    const port = worker.port;
    return {
      post: (m) => port.postMessage(m),
      listen: (fn) => {
        port.onmessage = (e: MessageEvent<FromWorker>) => fn(e.data);
        port.start();
      },
      end: () => port.close(),
    };
  }
  const worker = new Worker(new URL("../workers/doc.worker.ts", import.meta.url), { type: "module", name });
  return {
    post: (m) => worker.postMessage(m),
    listen: (fn) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => fn(e.data);
    },
    end: () => worker.terminate(),
  };
}

/** Runs `fn` in a task of its own, after what is queued now (a message to itself: no timer's 4 ms clamp). */
function nextTask(fn: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    fn();
  };
  channel.port2.postMessage(null);
}

export function openLinkedLive(sellerId: string, options: OpenLiveOptions = {}): LinkedLive {
  const worker = startWorker(sellerId);
  const post = worker.post;
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const [state, setState] = createSignal<LiveState>({
    loaded: false,
    connection: "connecting",
    lastSyncedAt: null,
    refusal: null,
  });

  // Orders as the worker last sent them.
  const keptOrders = keptOrdersOn();
  const projection = new OrderProjection({ eachPart: !keptOrders });

  const pending = new PendingEdits(`consign.pending-edits.v1:${sellerId}`);
  const sendEdit = (p: Pending) => post({ type: "edit", ...p });
  editRemotely(doc, (edit) => {
    const p: Pending = { id: crypto.randomUUID(), device: thisDevice(), edit };
    pending.add(p);
    sendEdit(p);
  });
  // An owner's settings: an edit like any other, kept until the worker has stored it (a page left at once
  // after "Save" loses nothing).
  const stopWrites = watchPageWrites(doc, (entries) => {
    const p: Pending = { id: crypto.randomUUID(), device: thisDevice(), edit: { kind: "settings", entries } };
    pending.add(p);
    sendEdit(p);
  });

  // A run straight to the printer: claims asked of the worker's document, the printer's answers as edits.
  const printAsks = new Map<number, { resolve: (answer: unknown) => void; reject: (err: Error) => void }>();
  let nextPrintAsk = 1;
  printQueueRemotely(
    doc,
    remotePrintQueue(
      (ask) =>
        new Promise((resolve, reject) => {
          const id = nextPrintAsk++;
          const timer = setTimeout(() => {
            printAsks.delete(id);
            reject(
              new Error("This tablet's copy of the orders did not answer: reload the app, then Resume."),
            );
          }, PRINT_ASK_MS);
          printAsks.set(id, {
            resolve: (answer) => {
              clearTimeout(timer);
              resolve(answer);
            },
            reject: (err) => {
              clearTimeout(timer);
              reject(err);
            },
          });
          post({ type: "print", id, ask });
        }),
      (print) => {
        const p: Pending = {
          id: crypto.randomUUID(),
          device: thisDevice(),
          edit: { kind: "labelPrint", by: print.meta.by, print },
        };
        pending.add(p);
        sendEdit(p);
      },
    ),
  );
  awareness.on(
    "update",
    (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      if (origin !== "local") return;
      post({
        type: "awareness",
        update: encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]),
      });
    },
  );

  // Notes bound on this page.
  const texts = new Map<number, (m: Extract<FromWorker, { type: "text" }>) => void>();
  let nextBind = 1;
  links.set(doc, (o) => {
    const bind = nextBind++;
    const { area } = o;
    let seen = 0;
    let seq = 0;
    let acked = 0;
    /** The text as this page has it: the worker's last content with this page's own changes since. */
    let mine = area.value;
    let edited = false;
    texts.set(bind, (m) => {
      seen = m.n;
      if (m.ack !== undefined) acked = m.ack;
      // While changes typed here are on their way, the worker's content lacks them: wait for their answer.
      if (acked < seq) return;
      const delta = m.delta ?? spliceDelta(spliceBetween(area.value, m.value));
      showText(area, o.focused(), m.value, delta);
      mine = m.value;
    });
    post({ type: "text-bind", bind, orderId: o.orderId, field: o.field });
    return {
      input() {
        const next = area.value;
        if (next === mine) return;
        seq++;
        post({ type: "text-input", bind, seq, seen, splice: spliceBetween(mine, next) });
        mine = next;
        edited = true;
      },
      takeEdited() {
        const was = edited;
        edited = false;
        return was;
      },
      destroy() {
        texts.delete(bind);
        post({ type: "text-unbind", bind });
      },
    };
  });

  const receive = (m: FromWorker) => {
    switch (m.type) {
      case "state":
        setState({
          loaded: m.loaded,
          connection: m.connection,
          lastSyncedAt: m.lastSyncedAt,
          refusal: m.refusal,
        });
        return;
      case "orders":
        return projection.receive(m);
      case "maps":
        return applyMirror(doc, m.entries);
      case "token?":
        void accessToken(m.force).then(
          (token) => post({ type: "token", id: m.id, token }),
          (err: unknown) =>
            post({
              type: "token",
              id: m.id,
              error: { status: err instanceof ApiError ? err.status : undefined, message: String(err) },
            }),
        );
        return;
      case "edited":
        return pending.done(m.id);
      case "text":
        return texts.get(m.bind)?.(m);
      case "awareness":
        return applyAwarenessUpdate(awareness, m.update, "worker");
      case "presence?": {
        const me = awareness.getLocalState();
        if (me) awareness.setLocalState(me);
        return;
      }
      case "log":
        if (m.level === "warn") console.warn(m.text);
        else console.info(m.text);
        return;
      case "reload":
        location.reload();
        return;
      case "print-answer": {
        const ask = printAsks.get(m.id);
        printAsks.delete(m.id);
        if (m.error !== undefined) ask?.reject(new Error(m.error));
        else ask?.resolve(m.answer);
        return;
      }
    }
  };
  // Until the kept first screen has painted (`loadAfter`), what the worker says waits here (the orders it kept
  // on the device can come before that frame, and taking them in would hold it up); then each message is
  // taken in a task of its own, in order (a part of the orders a task, the list shown in the next). A token
  // is answered at once (the socket waits for it).
  let held: FromWorker[] | null = options.loadAfter ? [] : null;
  const drain = () => {
    const queue = held ?? [];
    const step = () => {
      const m = queue.shift();
      if (!m) {
        held = null;
        return;
      }
      receive(m);
      nextTask(step);
    };
    step();
  };
  void options.loadAfter?.then(drain, drain);
  worker.listen((m) => {
    if (held && m.type !== "token?" && m.type !== "log") held.push(m);
    else receive(m);
  });

  // The copy loads in the worker at once: its load holds up nothing on this page (`loadAfter` is for a
  // document on the page, whose load is one long task). The orders come when they are ready.
  post({ type: "open", sellerId, load: true, keptOrders });
  // Edits a page sent and never heard back about (closed at once, or the worker went with it): again.
  for (const p of pending.all()) sendEdit(p);

  // The worker goes offline and online with the pages (what a test browser takes offline is the pages).
  const network = () => post({ type: "network", online: navigator.onLine });
  network();
  addEventListener("online", network);
  addEventListener("offline", network);

  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    removeEventListener("online", network);
    removeEventListener("offline", network);
    removeAwarenessStates(awareness, [doc.clientID], "local");
    post({ type: "bye" });
    worker.end();
  };
  addEventListener("pagehide", end);

  const live: Live = {
    sellerId,
    doc,
    inWorker: true,
    awareness,
    loaded: () => state().loaded,
    connection: () => state().connection,
    lastSyncedAt: () => state().lastSyncedAt,
    refusal: () => state().refusal,
    async startAgainFromTeamCopy() {
      await clearFirstScreens(sellerId);
      post({ type: "start-again" });
    },
    stored: () => Promise.resolve(),
    network: () => undefined,
    destroy() {
      for (const ask of printAsks.values())
        ask.reject(new Error("This tablet's copy of the orders was closed."));
      printAsks.clear();
      removeEventListener("pagehide", end);
      end();
      stopWrites();
      awareness.destroy();
      doc.destroy();
    },
  };
  return { live, orders: projection };
}
