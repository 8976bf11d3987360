// The document worker's side (../workers/doc.worker.ts): one live document for every page of this seller
// in the browser (a SharedWorker, so tabs share one copy, one IndexedDB store and one socket to the room).
// Pages get a projection of it: the orders as JSON (the page parses what it shows), the small maps
// (./doc-mirror.ts), the notes they have open, presence, and the document's state. Pages send edits,
// which are applied here exactly as on the page (./edits.ts `applyEdit`), and are answered once the
// edit is on the device. A run straight to the printer on a page asks the print queue here (claims and
// the room's word on them, ./print-claims.ts); its printer's answers come as edits.
//
// On starting, the orders as this worker last kept them on the device (./kept-orders.ts) go to the pages
// before the copy is decoded, so the live list does not wait for the decode; once the copy has loaded,
// the pages get only what differs from them. Edits, settings and notes that pages send before the copy
// has loaded wait here until it has (applied to an empty document they would find no order).

import { createEffect, createRoot } from "solid-js";
import { applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import type * as Y from "yjs";
import { observeOrders, readAllOrders, readOrder, type TextField } from "./doc.ts";
import type { FromWorker, ToWorker } from "./doc-messages.ts";
import { applySplice } from "./doc-messages.ts";
import { applySettings, mirrorChanges, mirrorSnapshot } from "./doc-mirror.ts";
import { applyEdit } from "./edits.ts";
import {
  docKey,
  type KeptOrders,
  type KeptOrdersStore,
  mapsGone,
  orderCorrections,
  orderParts,
  sameDocKey,
} from "./kept-orders.ts";
import type { Live, LiveHost, OpenLiveOptions } from "./live-doc.ts";
import { answerPrintAsk, type PrintAsk } from "./print-claims.ts";
import { type Delta, transformCaret, watchText } from "./text-binding.ts";

/** A page's end of its port (a MessagePort; a plain object in tests). */
export interface PagePort {
  postMessage(message: FromWorker): void;
}

type OpenDoc = (sellerId: string, host: LiveHost, options: OpenLiveOptions) => Live;

interface Page {
  port: PagePort;
  texts: Map<number, PageText>;
}
interface PageText {
  watch: ReturnType<typeof watchText>;
  /** Messages sent for this text, with the remote change each carried (the page's own edits transform through them). */
  n: number;
  log: { n: number; delta: Delta | null }[];
}

/** Past this share of the orders held, a change is sent as every order (one pass over the document). */
const bulk = (changed: number, held: number) => changed > 200 && changed * 4 > held;

/**
 * Every order, in parts (./kept-orders.ts `orderParts`: parsing 20,000 orders' JSON on the page is one long
 * task, a part of them a short one), dispatch deadline first (the page's sort then finds them in order).
 */
function partsAsMessages(parts: readonly string[]): Extract<FromWorker, { type: "orders" }>[] {
  return parts.map((json, i) => ({ type: "orders", all: true, last: i === parts.length - 1, json }));
}

/** What pages send that must wait until the copy on the device has loaded. */
const AFTER_LOAD: ReadonlySet<ToWorker["type"]> = new Set([
  "edit",
  "maps",
  "text-bind",
  "text-input",
  "text-unbind",
  // A run straight to the printer asks the print queue, which is in the document.
  "print",
]);

/** The kept orders are written this long after the orders last changed, and at most once in `keepEvery`. */
const KEEP_SETTLED_MS = 2_000;
const KEEP_EVERY_MS = 15_000;
/**
 * Writing them reads and writes every order (about 75 MB at 50,000, a second or more of the tablet's CPU beside
 * the page): a big seller's busy day writes them less often (a minute at 20,000, 2.5 minutes at 50,000). An older
 * copy only means more for the document to put right after a reload; it never wins over the document.
 */
const keepEvery = (orders: number) => Math.max(KEEP_EVERY_MS, orders * 3);
/** A store that has not answered within this long is not waited for (the copy loads). */
const KEPT_READ_WAIT_MS = 1_000;

export class DocHost {
  private pages = new Set<Page>();
  private live: Live | null = null;
  private sellerId: string | null = null;
  private stop: (() => void)[] = [];
  private letLoad: (() => void) | null = null;
  private tokenAsks = new Map<
    number,
    { page: Page; resolve: (t: string) => void; reject: (e: unknown) => void }
  >();
  private nextAsk = 1;
  /** Edits applied by this worker (a page replaying edits another page already sent). */
  private applied = new Set<string>();
  private changedIds = new Set<string>();
  private held = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The kept orders the pages were shown, until the copy has loaded and they were corrected. */
  private kept: KeptOrders | null = null;
  /** Messages that wait for the copy to load (AFTER_LOAD), in the order they came. */
  private waiting: [Page, ToWorker][] = [];
  private keepTimer: ReturnType<typeof setTimeout> | undefined;
  private keptAt = 0;

  constructor(
    private readonly open: OpenDoc,
    private readonly options: {
      shared: boolean;
      /** Where the orders are kept between sessions (none: every start waits for the copy's decode). */
      keptOrders?: KeptOrdersStore;
    },
  ) {}

  /** Says `text` in every page's console too. */
  log(level: "info" | "warn", text: string): void {
    this.broadcast({ type: "log", level, text: `[doc-worker] ${text}` });
  }

  /** A page connected: its messages go to the returned function. */
  connect(port: PagePort): (message: ToWorker) => void {
    const page: Page = { port, texts: new Map() };
    this.pages.add(page);
    return (message) => this.receive(page, message);
  }

  private send(page: Page, message: FromWorker): void {
    try {
      page.port.postMessage(message);
    } catch (err) {
      console.warn("[doc-worker] a page could not be told", err);
    }
  }
  private broadcast(message: FromWorker, except?: Page): void {
    for (const page of this.pages) if (page !== except) this.send(page, message);
  }

  private receive(page: Page, m: ToWorker): void {
    if (this.live && !this.live.loaded() && AFTER_LOAD.has(m.type)) {
      this.waiting.push([page, m]);
      return;
    }
    switch (m.type) {
      case "open":
        this.opened(page, m.sellerId, m.load, m.keptOrders !== false);
        return;
      case "load":
        this.letLoad?.();
        return;
      case "token": {
        const ask = this.tokenAsks.get(m.id);
        if (!ask) return;
        this.tokenAsks.delete(m.id);
        if (m.token) ask.resolve(m.token);
        else
          ask.reject(Object.assign(new Error(m.error?.message ?? "no token"), { status: m.error?.status }));
        return;
      }
      case "edit": {
        const live = this.live;
        if (!live) return;
        if (!this.applied.has(m.id)) {
          this.applied.add(m.id);
          try {
            applyEdit(live.doc, m.edit, m.device);
          } catch (err) {
            console.warn("[doc-worker] an edit could not be applied", m.edit, err);
          }
        }
        void live.stored().then(() => this.send(page, { type: "edited", id: m.id }));
        return;
      }
      case "maps":
        // Pages write only settings (an owner's, in Settings); the rest of the small maps are the room's.
        // (A page sends them as an edit, kept until stored: ./edits.ts "settings".)
        if (this.live) applySettings(this.live.doc, m.entries, page);
        return;
      case "text-bind":
        this.bindText(page, m.bind, m.orderId, m.field);
        return;
      case "text-input": {
        const text = page.texts.get(m.bind);
        if (!text) return;
        // Changes the page had not seen when it typed move its splice, so nobody's words are lost.
        let at = m.splice.at;
        let end = m.splice.at + m.splice.remove;
        for (const { n, delta } of text.log) {
          if (n <= m.seen || delta === null) continue;
          at = transformCaret(at, delta);
          end = transformCaret(end, delta);
        }
        text.log = text.log.filter((entry) => entry.n > m.seen);
        const splice = { at, remove: Math.max(0, end - at), insert: m.splice.insert };
        text.watch.write(applySplice(text.watch.plain(), splice));
        text.n++;
        this.send(page, {
          type: "text",
          bind: m.bind,
          n: text.n,
          value: text.watch.plain(),
          delta: null,
          ack: m.seq,
        });
        return;
      }
      case "text-unbind":
        page.texts.get(m.bind)?.watch.destroy();
        page.texts.delete(m.bind);
        return;
      case "awareness":
        if (this.live) applyAwarenessUpdate(this.live.awareness, m.update, page);
        return;
      case "network":
        this.live?.network(m.online);
        return;
      case "start-again":
        // The page forgot the kept orders with its kept screens (./first-screen.ts): none written now.
        this.keptAt = Number.POSITIVE_INFINITY;
        clearTimeout(this.keepTimer);
        void this.live?.startAgainFromTeamCopy();
        return;
      case "bye":
        this.gone(page);
        return;
      case "print":
        this.answerPrint(page, m.id, m.ask);
        return;
    }
  }

  /** A run straight to the printer on `page` asks the print queue: answered at once from the document. */
  private answerPrint(page: Page, id: number, ask: PrintAsk): void {
    if (!this.live) {
      this.send(page, { type: "print-answer", id, error: "This tablet's copy of the orders is not open." });
      return;
    }
    try {
      this.send(page, { type: "print-answer", id, answer: answerPrintAsk(this.live.doc, ask) });
    } catch (err) {
      this.send(page, { type: "print-answer", id, error: (err as Error).message });
    }
  }

  private gone(page: Page): void {
    for (const text of page.texts.values()) text.watch.destroy();
    this.pages.delete(page);
    // The last page went (closed, or signed out and forgetting what was kept): nothing more is kept.
    if (this.pages.size === 0) clearTimeout(this.keepTimer);
    for (const [id, ask] of this.tokenAsks) {
      if (ask.page !== page) continue;
      this.tokenAsks.delete(id);
      ask.reject(new Error("the page asked went away"));
    }
  }

  private opened(page: Page, sellerId: string, load: boolean, useKept: boolean): void {
    if (this.live && this.sellerId !== sellerId) this.close();
    if (!this.live) this.start(sellerId, useKept);
    const live = this.live!;
    if (load) this.letLoad?.();
    if (this.kept) {
      this.send(page, { type: "maps", entries: this.kept.maps });
      for (const part of partsAsMessages(this.kept.parts)) this.send(page, part);
    } else {
      this.send(page, { type: "maps", entries: mirrorSnapshot(live.doc) });
      const all = readAllOrders(live.doc);
      if (all.size > 0) for (const part of partsAsMessages(orderParts(all))) this.send(page, part);
    }
    this.send(page, { type: "state", ...this.state(live) });
  }

  private state(live: Live) {
    return {
      // The pages may show their list (and act on it) once they have every order: from the kept ones too.
      loaded: live.loaded() || this.kept !== null,
      connection: live.connection(),
      lastSyncedAt: live.lastSyncedAt(),
      refusal: live.refusal(),
    };
  }

  /** A token from a page (the session is the page's): each page in turn until one answers. */
  private async accessToken(force: boolean): Promise<string> {
    let last: unknown = new Error("no page to ask for a token");
    for (const page of [...this.pages].reverse()) {
      try {
        return await new Promise<string>((resolve, reject) => {
          const id = this.nextAsk++;
          this.tokenAsks.set(id, { page, resolve, reject });
          this.send(page, { type: "token?", id, force });
        });
      } catch (err) {
        last = err;
        if ((err as { status?: number }).status !== undefined) throw err;
      }
    }
    throw last;
  }

  private start(sellerId: string, useKept: boolean): void {
    this.sellerId = sellerId;
    const pageSaysLoad = new Promise<void>((resolve) => {
      this.letLoad = resolve;
    });
    // The kept orders are read first and sent to the pages; the copy (a long decode) loads after that.
    const store = useKept ? this.options.keptOrders : undefined;
    const shown = store
      ? Promise.race([
          store.read(sellerId).then((kept) => {
            if (kept && this.live === live && !live.loaded()) this.showKept(kept);
          }),
          new Promise<void>((resolve) => setTimeout(resolve, KEPT_READ_WAIT_MS)),
        ]).catch(() => undefined)
      : undefined;
    this.keepTo = store ?? null;
    this.keptAt = 0;
    const loadAfter = Promise.all([pageSaysLoad, shown]);
    const live = this.open(
      sellerId,
      {
        accessToken: (force) => this.accessToken(force),
        // The pages load again and open a fresh copy here.
        reload: () => {
          // The team's copy was renewed (or this device starts again from it): the kept orders are of the old
          // one (orders it no longer holds would show until the new copy had loaded). Forgotten first.
          const forgotten = this.keepTo?.forget(sellerId) ?? Promise.resolve();
          this.keepTo = null;
          void forgotten.finally(() => {
            this.broadcast({ type: "reload" });
            this.close();
          });
        },
        // Each page forgets its kept screens itself (it has them open): nothing to do here.
        forgetFirstScreens: async () => undefined,
        joinTabs: !this.options.shared,
      },
      { loadAfter },
    );
    this.live = live;
    this.held = 0;
    const stopOrders = observeOrders(live.doc, (change) => {
      for (const id of change.orderIds) this.changedIds.add(id);
      this.flushTimer ??= setTimeout(() => this.flushOrders(), 0);
    });
    const onTransaction = (tr: Y.Transaction) => {
      // The pages hold the kept small maps until the copy has loaded: then they get what differs (correctKept).
      if (this.kept) return;
      const entries = mirrorChanges(tr);
      if (entries.length > 0) {
        const from = [...this.pages].find((p) => p === tr.origin);
        this.broadcast({ type: "maps", entries }, from);
      }
    };
    live.doc.on("afterTransaction", onTransaction);
    const onAwareness = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      const changed = [...added, ...updated, ...removed];
      const update = encodeAwarenessUpdate(live.awareness, changed);
      for (const page of this.pages) if (page !== origin) this.send(page, { type: "awareness", update });
    };
    // The worker is nobody: only the pages are someone (each its own client, as a tab is on its own).
    live.awareness.setLocalState(null);
    live.awareness.on("update", onAwareness);
    let wasConnected = false;
    const disposeState = createRoot((dispose) => {
      createEffect(() => {
        const state = this.state(live);
        // y-websocket sends only the worker's own presence on connecting: each page renews its own.
        const connected = state.connection === "connected";
        if (connected && !wasConnected) this.broadcast({ type: "presence?" });
        wasConnected = connected;
        // The orders go first: a page shows its live list once "loaded", so they must be there.
        this.flushOrders();
        this.broadcast({ type: "state", ...state });
        if (live.loaded()) this.replayWaiting();
      });
      return dispose;
    });
    this.stop = [
      stopOrders,
      () => live.doc.off("afterTransaction", onTransaction),
      () => live.awareness.off("update", onAwareness),
      disposeState,
    ];
  }

  /** Sends the pages the kept orders (before the copy has loaded: they then show their list from them). */
  private showKept(kept: KeptOrders): void {
    this.kept = kept;
    this.held = kept.count;
    this.broadcast({ type: "maps", entries: kept.maps });
    for (const part of partsAsMessages(kept.parts)) this.broadcast(part);
    this.broadcast({ type: "state", ...this.state(this.live!) });
  }

  /**
   * The copy has loaded after the pages were shown the kept orders: when it is not the state they were
   * read from, the pages get each order that differs, and lose the ones that are gone.
   */
  private correctKept(live: Live, kept: KeptOrders): void {
    this.kept = null;
    // What the load changed is all in the comparison below.
    this.changedIds.clear();
    // The same state: the pages hold what the copy holds (each small map's change makes the screens go over
    // every order again: none is sent for nothing).
    if (sameDocKey(kept.key, docKey(live.doc))) {
      this.log("info", `the ${kept.count} orders kept on this device are the copy's`);
      return;
    }
    const maps = mirrorSnapshot(live.doc);
    this.broadcast({ type: "maps", entries: [...maps, ...mapsGone(kept.maps, maps)] });
    const all = readAllOrders(live.doc);
    this.held = all.size;
    const fixes = orderCorrections(kept.parts, all);
    this.log("info", `the copy differs from the orders kept on this device in ${fixes.length} order(s)`);
    if (bulk(fixes.length, all.size)) {
      for (const part of partsAsMessages(orderParts(all))) this.broadcast(part);
    } else if (fixes.length > 0) {
      this.broadcast({ type: "orders", all: false, last: true, json: JSON.stringify(fixes) });
    }
    this.keepSoon();
  }

  /** Messages that waited for the copy to load, in the order they came (a gone page's edits too). */
  private replayWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const [page, m] of waiting) {
      if (m.type === "edit" || this.pages.has(page)) this.receive(page, m);
    }
  }

  /** Where this seller's orders are kept (none when the first page asked not to use them). */
  private keepTo: KeptOrdersStore | null = null;

  /** Keeps the orders on the device once they have stopped changing for a moment (see `keepEvery`). */
  private keepSoon(): void {
    const store = this.keepTo;
    if (!store || this.pages.size === 0) return;
    clearTimeout(this.keepTimer);
    const wait = Math.max(KEEP_SETTLED_MS, this.keptAt + keepEvery(this.held) - Date.now());
    if (!Number.isFinite(wait)) return;
    this.keepTimer = setTimeout(() => {
      const live = this.live;
      const sellerId = this.sellerId;
      if (!live || !sellerId || !live.loaded() || this.kept) return;
      this.keptAt = Date.now();
      // Read in one go with the state it is of (nothing changes the document between these lines).
      const all = readAllOrders(live.doc);
      const kept: KeptOrders = {
        key: docKey(live.doc),
        parts: orderParts(all),
        count: all.size,
        maps: mirrorSnapshot(live.doc),
      };
      void store.write(sellerId, kept);
    }, wait);
  }

  private flushOrders(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const live = this.live;
    if (!live) return;
    if (this.kept) {
      // The pages hold the kept orders: nothing is sent until the copy has loaded, then what differs.
      if (live.loaded()) this.correctKept(live, this.kept);
      return;
    }
    if (this.changedIds.size === 0) return;
    const ids = this.changedIds;
    this.changedIds = new Set();
    this.keepSoon();
    if (bulk(ids.size, this.held)) {
      const all = readAllOrders(live.doc);
      this.held = all.size;
      for (const part of partsAsMessages(orderParts(all))) this.broadcast(part);
      return;
    }
    const entries: [string, unknown][] = [];
    for (const id of ids) {
      const order = readOrder(live.doc, id) ?? null;
      entries.push([id, order]);
    }
    this.held += entries.filter(([, o]) => o !== null).length;
    this.broadcast({ type: "orders", all: false, last: true, json: JSON.stringify(entries) });
  }

  private bindText(page: Page, bind: number, orderId: string, field: TextField): void {
    const live = this.live;
    if (!live) return;
    const text: PageText = {
      n: 0,
      log: [],
      watch: watchText({
        doc: live.doc,
        orderId,
        field,
        origin: { page, bind },
        onChange: (value, delta) => {
          text.n++;
          text.log.push({ n: text.n, delta });
          this.send(page, { type: "text", bind, n: text.n, value, delta });
        },
      }),
    };
    page.texts.get(bind)?.watch.destroy();
    page.texts.set(bind, text);
    text.n++;
    this.send(page, { type: "text", bind, n: text.n, value: text.watch.plain(), delta: null });
  }

  /** Drops the document (another seller, or the pages reload onto a fresh copy). */
  close(): void {
    for (const stop of this.stop) stop();
    this.stop = [];
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    clearTimeout(this.keepTimer);
    this.kept = null;
    this.waiting = [];
    this.changedIds.clear();
    this.live?.destroy();
    this.live = null;
    this.sellerId = null;
    this.letLoad = null;
  }
}
