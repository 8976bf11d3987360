import { makeOrder } from "@consign/domain/testing";
import { initialiseGeneration, removeOrders, upsertOrders } from "@consign/sync";
import { createRoot, createSignal } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { readAllOrders, readOrder, writeSetting } from "./doc.ts";
import { DocHost } from "./doc-host.ts";
import type { FromWorker } from "./doc-messages.ts";
import { mirrorSnapshot } from "./doc-mirror.ts";
import {
  docKey,
  type KeptOrders,
  type KeptOrdersStore,
  mapsGone,
  orderCorrections,
  orderParts,
  PART,
  sameDocKey,
} from "./kept-orders.ts";
import type { Live, LiveHost, OpenLiveOptions } from "./live-doc.ts";
import { OrderProjection } from "./order-projection.ts";

/** A seller's document with these orders (state "new" unless given), generation g1. */
function docWith(orders: { orderId: string; state?: "new" | "on_hold"; latestShipDate?: number }[]): Y.Doc {
  const doc = new Y.Doc();
  initialiseGeneration(doc, "g1");
  upsertOrders(
    doc,
    orders.map((o) => makeOrder({ state: "new", ...o })),
    "import",
  );
  return doc;
}

/** What the worker keeps of a document (./doc-host.ts `keepSoon`). */
function keep(doc: Y.Doc): KeptOrders {
  const all = readAllOrders(doc);
  return { key: docKey(doc), parts: orderParts(all), count: all.size, maps: mirrorSnapshot(doc) };
}

const idsOf = (parts: string[]) => parts.flatMap((p) => (JSON.parse(p) as [string][]).map(([id]) => id));

describe("the orders kept on the device", () => {
  it("are kept in dispatch-deadline order, in parts the page parses one at a time", () => {
    const n = PART + 10;
    const doc = docWith(
      Array.from({ length: n }, (_, i) => ({ orderId: `O-${i}`, latestShipDate: 1_000_000 - i })),
    );
    const parts = orderParts(readAllOrders(doc));
    expect(parts).toHaveLength(2);
    const ids = idsOf(parts);
    expect(ids).toHaveLength(n);
    // Latest ship date first: the last order made ships first.
    expect(ids.slice(0, 2)).toEqual([`O-${n - 1}`, `O-${n - 2}`]);
  });

  it("are known for the same state of the document, and for another once anything changed or was deleted", () => {
    const doc = docWith([{ orderId: "A" }, { orderId: "B" }]);
    const before = docKey(doc);
    // The same state loaded elsewhere (a reload decoding the copy from IndexedDB) has the same key.
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(doc));
    expect(sameDocKey(before, docKey(loaded))).toBe(true);
    upsertOrders(doc, [makeOrder({ orderId: "A", state: "on_hold" })], "room");
    expect(sameDocKey(before, docKey(doc))).toBe(false);
    // A deletion alone (no new content) is a change too.
    const changed = docKey(doc);
    removeOrders(doc, ["B"]);
    expect(sameDocKey(changed, docKey(doc))).toBe(false);
    // Another generation is never the same copy.
    expect(sameDocKey({ ...before, generation: "g2" }, before)).toBe(false);
  });

  it("are corrected by what the document holds: a changed order, a new one, and the gone ones removed", () => {
    const then = docWith([{ orderId: "A" }, { orderId: "B" }, { orderId: "GONE" }]);
    const kept = keep(then);
    const now = docWith([{ orderId: "A", state: "on_hold" }, { orderId: "B" }, { orderId: "NEW" }]);
    const fixes = orderCorrections(kept.parts, readAllOrders(now));
    expect(new Map(fixes.map(([id, o]) => [id, o?.state ?? null]))).toEqual(
      new Map([
        ["A", "on_hold"],
        ["NEW", "new"],
        ["GONE", null],
      ]),
    );
    // Nothing differs: nothing to correct.
    expect(orderCorrections(kept.parts, readAllOrders(then))).toEqual([]);
  });

  it("drop the settings the document no longer has", () => {
    expect(
      mapsGone(
        [
          ["settings", "dispatchCutoff", "15:00"],
          ["settings", "old", 1],
        ],
        [["settings", "dispatchCutoff", "16:00"]],
      ),
    ).toEqual([["settings", "old", undefined]]);
  });
});

// ---- The worker with kept orders: shown before the copy has loaded, corrected once it has ----------------

/** The worker's document, empty until `load()` (y-indexeddb decoding the copy on the device into it). */
function loadingWorker(copy: Y.Doc, kept: KeptOrders | null) {
  const doc = new Y.Doc();
  const [loaded, setLoaded] = createRoot(() => createSignal(false));
  let loadAfter: Promise<unknown> | undefined;
  const writes: KeptOrders[] = [];
  const forgotten: string[] = [];
  const store: KeptOrdersStore = {
    read: async () => kept,
    write: async (_seller, k) => {
      writes.push(k);
    },
    forget: async (seller) => {
      forgotten.push(seller);
    },
  };
  let liveHost: LiveHost | undefined;
  const live: Live = {
    sellerId: "S1",
    doc,
    awareness: new Awareness(doc),
    loaded,
    connection: () => "offline",
    lastSyncedAt: () => null,
    refusal: () => null,
    startAgainFromTeamCopy: async () => undefined,
    network: () => undefined,
    stored: () => Promise.resolve(),
    destroy: () => undefined,
  };
  const host = new DocHost(
    (_seller, host, options: OpenLiveOptions) => {
      liveHost = host;
      loadAfter = options.loadAfter;
      return live;
    },
    { shared: true, keptOrders: store },
  );
  const said: FromWorker[] = [];
  const send = host.connect({ postMessage: (m) => said.push(m) });
  const projection = new OrderProjection();
  const page = {
    said,
    send,
    projection,
    of: <T extends FromWorker["type"]>(type: T) =>
      said.filter((m) => m.type === type) as Extract<FromWorker, { type: T }>[],
  };
  const listen = () => {
    for (const m of said.splice(0)) {
      seen.push(m);
      if (m.type === "orders") projection.receive(m);
    }
  };
  const seen: FromWorker[] = [];
  send({ type: "open", sellerId: "S1", load: true });
  return {
    doc,
    page,
    seen,
    /** Delivers what the worker said to the page's projection. */
    listen,
    writes,
    forgotten,
    /** The document asks the pages to load again (the team's copy was renewed). */
    renewed: () => liveHost?.reload(),
    /** Whether the copy's load was let start (the kept orders went first). */
    loadStarted: async () => {
      await loadAfter;
    },
    load: () => {
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy), "indexeddb");
      setLoaded(true);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("a worker with orders kept on the device", () => {
  afterEach(() => vi.useRealTimers());

  it("shows them before the copy has loaded, then corrects what another tablet changed meanwhile, adds and drops orders", async () => {
    // Kept when the tablet was last open; since then another tablet held A, an order came, one was archived.
    const then = docWith([{ orderId: "A" }, { orderId: "B" }, { orderId: "GONE" }]);
    writeSetting(then, "dispatchCutoff", "15:00");
    const kept = keep(then);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(then));
    upsertOrders(
      copy,
      [makeOrder({ orderId: "A", state: "on_hold" }), makeOrder({ orderId: "NEW" })],
      "room",
    );
    removeOrders(copy, ["GONE"]);
    writeSetting(copy, "dispatchCutoff", "16:00");
    const w = loadingWorker(copy, kept);
    await w.loadStarted();
    w.listen();
    // The page has every kept order and may show its list: the copy has not loaded yet.
    expect([...w.page.projection.readAll().keys()].sort()).toEqual(["A", "B", "GONE"]);
    expect(w.seen.filter((m) => m.type === "state").at(-1)).toMatchObject({ loaded: true });
    // A hold pressed now waits for the copy (applied to an empty document it would find no order).
    w.page.send({ type: "edit", id: "e1", edit: { kind: "hold", orderId: "B", by: "Sam" } });
    await tick();
    expect(w.page.of("edited")).toEqual([]);
    w.load();
    await tick();
    const before = w.seen.length;
    w.listen();
    const orders = w.seen.slice(before).filter((m) => m.type === "orders");
    // Only what differs, never every order again.
    expect(orders.every((m) => !m.all)).toBe(true);
    const p = w.page.projection;
    expect(p.read("A")?.state).toBe("on_hold");
    expect(p.read("NEW")).toBeDefined();
    expect(p.read("GONE")).toBeUndefined();
    // The owner's new cut-off too (the small maps, as the copy holds them).
    const maps = w.seen.slice(before).filter((m) => m.type === "maps");
    expect(maps.flatMap((m) => m.entries)).toContainEqual(["settings", "dispatchCutoff", "16:00"]);
    // The hold was applied once the copy had loaded, and the page heard it is on the device.
    expect(readOrder(w.doc, "B")?.state).toBe("on_hold");
    expect(w.seen.filter((m) => m.type === "edited")).toEqual([{ type: "edited", id: "e1" }]);
    expect(p.read("B")?.state).toBe("on_hold");
  });

  it("sends nothing again when the copy is the state they were kept from", async () => {
    const copy = docWith([{ orderId: "A" }, { orderId: "B" }]);
    const w = loadingWorker(copy, keep(copy));
    await w.loadStarted();
    w.listen();
    const shown = w.seen.filter((m) => m.type === "orders" || m.type === "maps").length;
    w.load();
    await tick();
    w.listen();
    // Neither the orders nor the small maps again (each would make the screens go over every order).
    expect(w.seen.filter((m) => m.type === "orders" || m.type === "maps")).toHaveLength(shown);
    expect(w.page.projection.readAll().size).toBe(2);
  });

  it("without kept orders, sends every order once the copy has loaded, and keeps them a moment later", async () => {
    vi.useFakeTimers();
    const copy = docWith([{ orderId: "A" }, { orderId: "B" }]);
    const w = loadingWorker(copy, null);
    await w.loadStarted();
    w.load();
    await vi.advanceTimersByTimeAsync(10);
    w.listen();
    expect(w.page.projection.readAll().size).toBe(2);
    expect(w.writes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(w.writes).toHaveLength(1);
    expect(idsOf(w.writes[0]!.parts).sort()).toEqual(["A", "B"]);
    expect(sameDocKey(w.writes[0]!.key, docKey(w.doc))).toBe(true);
    // A change is kept too, once the orders have settled (and not sooner than KEEP_EVERY_MS after the last).
    upsertOrders(w.doc, [makeOrder({ orderId: "A", state: "on_hold" })], "room");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(w.writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(w.writes).toHaveLength(2);
    const a = (JSON.parse(w.writes[1]!.parts[0]!) as [string, { state: string }][]).find(
      ([id]) => id === "A",
    );
    expect(a?.[1].state).toBe("on_hold");
  });

  it("forgets them when the team's copy was renewed, before the pages load again", async () => {
    const copy = docWith([{ orderId: "A" }]);
    const w = loadingWorker(copy, keep(copy));
    await w.loadStarted();
    w.load();
    await tick();
    w.renewed();
    await tick();
    expect(w.forgotten).toEqual(["S1"]);
    expect(w.page.of("reload")).toHaveLength(1);
  });
});
