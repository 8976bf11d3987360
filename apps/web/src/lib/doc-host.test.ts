import { makeOrder } from "@consign/domain/testing";
import { initialiseGeneration, printQueueMap, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";
import { readOrder, readSetting, textValue, writeSetting } from "./doc.ts";
import { DocHost } from "./doc-host.ts";
import { applySplice, type FromWorker, spliceBetween, spliceDelta } from "./doc-messages.ts";
import { applyMirror, mirrorSnapshot, watchPageWrites } from "./doc-mirror.ts";
import { OrderProjection } from "./order-projection.ts";
import { loadedLive } from "./test-live.ts";
import { transformCaret } from "./text-binding.ts";

/** The seller's document as the worker holds it: loaded, connected (the socket and IndexedDB left out). */
function worker(orderIds: string[] = ["A", "B"]) {
  const doc = new Y.Doc();
  initialiseGeneration(doc, "g1");
  upsertOrders(
    doc,
    orderIds.map((orderId) => makeOrder({ orderId, state: "new" })),
    "import",
  );
  let stores = 0;
  const live = loadedLive(doc, () => {
    stores++;
    return Promise.resolve();
  });
  const host = new DocHost(() => live, { shared: true });
  const page = () => {
    const said: FromWorker[] = [];
    const send = host.connect({ postMessage: (m) => said.push(m) });
    send({ type: "open", sellerId: "S1", load: true });
    return {
      said,
      send,
      of: <T extends FromWorker["type"]>(type: T) =>
        said.filter((m) => m.type === type) as Extract<FromWorker, { type: T }>[],
    };
  };
  return { doc, live, host, page, stores: () => stores };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const ordersIn = (m: { json: string }) => JSON.parse(m.json) as [string, { state: string } | null][];

describe("a page of the document worker", () => {
  it("gets every order on opening, then only the orders a change touched, once per change", async () => {
    const w = worker(["A", "B", "C"]);
    const p = w.page();
    const [first] = p.of("orders");
    expect(first?.all).toBe(true);
    expect(
      ordersIn(first!)
        .map(([id]) => id)
        .sort(),
    ).toEqual(["A", "B", "C"]);
    upsertOrders(w.doc, [makeOrder({ orderId: "B", state: "new", buyerName: "Ann Other" })], "room");
    await tick();
    const changes = p.of("orders").slice(1);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.all).toBe(false);
    expect(ordersIn(changes[0]!).map(([id]) => id)).toEqual(["B"]);
  });

  it("applies a hold sent by a page as the page would (its device in the history), once, and says when it is stored", async () => {
    const w = worker();
    const a = w.page();
    const b = w.page();
    const edit = {
      type: "edit",
      id: "e1",
      device: "Bench tablet",
      edit: { kind: "hold", orderId: "A", by: "Sam" },
    } as const;
    a.send(edit);
    // The other tab sends it again (it found it among the edits not yet confirmed): applied once.
    b.send(edit);
    await tick();
    const order = readOrder(w.doc, "A")!;
    expect(order.state).toBe("on_hold");
    expect(order.history?.filter((h) => h.action === "hold")).toEqual([
      expect.objectContaining({ by: "Sam", device: "Bench tablet" }),
    ]);
    expect(a.of("edited")).toEqual([{ type: "edited", id: "e1" }]);
    expect(b.of("edited")).toEqual([{ type: "edited", id: "e1" }]);
    // Both tabs see the order held.
    for (const p of [a, b]) {
      const last = p.of("orders").at(-1)!;
      expect(ordersIn(last)).toEqual([["A", expect.objectContaining({ state: "on_hold" })]]);
    }
  });

  it("keeps both people's words when two tabs type into one note at once", async () => {
    const w = worker();
    const a = w.page();
    const b = w.page();
    a.send({ type: "text-bind", bind: 1, orderId: "A", field: "notes" });
    b.send({ type: "text-bind", bind: 1, orderId: "A", field: "notes" });
    const lastN = (p: typeof a) => p.of("text").at(-1)!.n;
    a.send({
      type: "text-input",
      bind: 1,
      seq: 1,
      seen: lastN(a),
      splice: { at: 0, remove: 0, insert: "Hello" },
    });
    expect(textValue(w.doc, "A", "notes")).toBe("Hello");
    expect(b.of("text").at(-1)).toMatchObject({ value: "Hello", delta: [{ insert: "Hello" }] });
    expect(a.of("text").at(-1)).toMatchObject({ value: "Hello", ack: 1 });
    // B types "!" after "Hello" before it has heard of A's " world", typed there first: both kept.
    const bSeen = lastN(b);
    a.send({
      type: "text-input",
      bind: 1,
      seq: 2,
      seen: lastN(a),
      splice: { at: 5, remove: 0, insert: " world" },
    });
    b.send({ type: "text-input", bind: 1, seq: 1, seen: bSeen, splice: { at: 5, remove: 0, insert: "!" } });
    expect(textValue(w.doc, "A", "notes")).toBe("Hello! world");
    expect(a.of("text").at(-1)).toMatchObject({ value: "Hello! world" });
    expect(b.of("text").at(-1)).toMatchObject({ value: "Hello! world", ack: 1 });
  });

  it("takes a page's settings into the document and shows them to the other tabs, never the room's maps", async () => {
    const w = worker();
    const a = w.page();
    const b = w.page();
    a.send({
      type: "edit",
      id: "s1",
      edit: {
        kind: "settings",
        entries: [
          ["settings", "dispatchCutoff", "15:00"],
          ["stock", "SKU-1", 99],
        ],
      },
    });
    expect(readSetting(w.doc, "dispatchCutoff")).toBe("15:00");
    expect(w.doc.getMap("stock").get("SKU-1")).toBeUndefined();
    expect(b.of("maps").at(-1)?.entries).toEqual([["settings", "dispatchCutoff", "15:00"]]);
    // Kept on the page until the worker has stored it (a page left at once after "Save" loses nothing).
    await tick();
    expect(a.of("edited")).toEqual([{ type: "edited", id: "s1" }]);
  });
});

describe("the print queue, asked by a page's run straight to the printer", () => {
  const label = { orderId: "A", trackingNumber: "GQ1GB" };
  const job = { jobId: "j1", device: "Bench 1", by: "Ana", reprint: false };

  it("claims in the worker's document, says the room's word on each claim, and records the printer's answer as an edit", async () => {
    const w = worker();
    const shipment = {
      id: "A:1",
      courier: "royal-mail",
      serviceCode: "TPN24",
      trackingNumber: "GQ1GB",
      amazonCarrierCode: "Royal Mail",
      boughtAt: 1,
    } as const;
    upsertOrders(
      w.doc,
      [makeOrder({ orderId: "A", state: "label_bought", labelRevision: 1, shipments: [shipment] })],
      "room",
      { work: "replace" },
    );
    const p = w.page();
    p.send({ type: "print", id: 1, ask: { op: "claim", job, labels: [label], now: 1 } });
    expect(p.of("print-answer")).toEqual([
      { type: "print-answer", id: 1, answer: { claimed: [label], skipped: [] } },
    ]);
    expect(printQueueMap(w.doc).get("label/A/GQ1GB")).toMatchObject({ state: "claimed", device: "Bench 1" });
    p.send({ type: "print", id: 2, ask: { op: "verdicts", jobId: "j1", labels: [label] } });
    expect(p.of("print-answer")[1]).toEqual({ type: "print-answer", id: 2, answer: ["waiting"] });
    // The room confirms the claim (its own write, reaching this device).
    const claim = printQueueMap(w.doc).get("label/A/GQ1GB") as object;
    printQueueMap(w.doc).set("label/A/GQ1GB", { ...claim, confirmed: true });
    p.send({ type: "print", id: 3, ask: { op: "verdicts", jobId: "j1", labels: [label] } });
    expect(p.of("print-answer")[2]).toEqual({ type: "print-answer", id: 3, answer: ["mine"] });
    p.send({
      type: "edit",
      id: "e1",
      device: "Bench 1",
      edit: {
        kind: "labelPrint",
        by: "Ana",
        print: {
          jobId: "j1",
          label,
          outcome: { state: "printed" },
          meta: { device: "Bench 1", by: "Ana", at: 5 },
        },
      },
    });
    await tick();
    expect(printQueueMap(w.doc).get("label/A/GQ1GB")).toMatchObject({ state: "printed", jobId: "j1" });
    expect(readOrder(w.doc, "A")?.state).toBe("printed");
    expect(p.of("edited")).toEqual([{ type: "edited", id: "e1" }]);
  });

  it("never lets a printer's answer sent again overwrite a later run's word on the label", async () => {
    const w = worker();
    const p = w.page();
    const meta = { device: "Bench 1", by: "Ana", at: 5 };
    const answer = (
      id: string,
      jobId: string,
      outcome: { state: "printed" } | { state: "failed"; error: string },
    ) =>
      p.send({
        type: "edit",
        id,
        edit: { kind: "labelPrint", by: "Ana", print: { jobId, label, outcome, meta } },
      });
    answer("e1", "j1", { state: "failed", error: "Stopped." });
    // Resume: a new run prints it.
    printQueueMap(w.doc).set("label/A/GQ1GB", {
      jobId: "j2",
      state: "claimed",
      device: "Bench 1",
      by: "Ana",
      at: 6,
      confirmed: true,
    });
    answer("e2", "j2", { state: "printed" });
    // A page that never heard "edited" for e1 sends it again to a worker started afresh (it forgot e1).
    const fresh = new DocHost(() => w.live, { shared: true });
    const said: FromWorker[] = [];
    const again = fresh.connect({ postMessage: (m) => said.push(m) });
    again({ type: "open", sellerId: "S1", load: true });
    again({
      type: "edit",
      id: "e1",
      edit: {
        kind: "labelPrint",
        by: "Ana",
        print: { jobId: "j1", label, outcome: { state: "failed", error: "Stopped." }, meta },
      },
    });
    await tick();
    expect(printQueueMap(w.doc).get("label/A/GQ1GB")).toMatchObject({ jobId: "j2", state: "printed" });
  });

  it("says in words that there is nothing to ask when the document is not open", () => {
    const w = worker();
    const said: FromWorker[] = [];
    const send = w.host.connect({ postMessage: (m) => said.push(m) });
    send({ type: "print", id: 7, ask: { op: "verdicts", jobId: "j1", labels: [label] } });
    expect(said).toEqual([
      { type: "print-answer", id: 7, error: "This tablet's copy of the orders is not open." },
    ]);
  });
});

describe("every order, in parts", () => {
  it("sends a big document in parts the page parses one at a time, dropping only at the last part what none had", () => {
    const ids = Array.from({ length: 2_500 }, (_, i) => `O-${i}`);
    const w = worker(ids);
    const p = w.page();
    const parts = p.of("orders");
    expect(parts.map((m) => [m.all, m.last])).toEqual([
      [true, false],
      [true, true],
    ]);
    const projection = new OrderProjection();
    projection.receive({
      type: "orders",
      all: false,
      last: true,
      json: JSON.stringify([["GONE", { orderId: "GONE" }]]),
    });
    const heard: [number, boolean | undefined][] = [];
    projection.observe((changed, more) => heard.push([changed.size, more]));
    projection.receive(parts[0]!);
    // Not dropped before the set is complete: the list does not lose and regain orders.
    expect(projection.read("GONE")).toBeDefined();
    projection.receive(parts[1]!);
    expect(projection.readAll().size).toBe(2_500);
    expect(projection.read("GONE")).toBeUndefined();
    // The list takes the first part as more to come, and shows the set at the last part (with the one gone).
    expect(heard).toEqual([
      [2_000, true],
      [501, false],
    ]);
  });
});

describe("presence through the worker", () => {
  it("tells the room and the other tabs who has which order open, each tab a client of its own, the worker nobody", () => {
    const w = worker();
    const a = w.page();
    const b = w.page();
    const tabA = new Awareness(new Y.Doc());
    tabA.setLocalState({ user: { id: "u1", name: "Sam", role: "packer" }, orderId: "A" });
    a.send({ type: "awareness", update: encodeAwarenessUpdate(tabA, [tabA.clientID]) });
    // What the socket sends to the room: the worker's awareness (its own state empty).
    expect(w.live.awareness.getLocalState()).toBeNull();
    expect(w.live.awareness.getStates().get(tabA.clientID)).toMatchObject({ orderId: "A" });
    const tabB = new Awareness(new Y.Doc());
    for (const m of b.of("awareness")) applyAwarenessUpdate(tabB, m.update, "worker");
    expect(tabB.getStates().get(tabA.clientID)).toMatchObject({ user: { name: "Sam" }, orderId: "A" });
    expect(a.of("awareness")).toEqual([]);
    tabA.destroy();
    tabB.destroy();
  });
});

describe("the page's copy of the small maps", () => {
  it("follows the worker's settings and sends back only what the page wrote", () => {
    const worker = new Y.Doc();
    writeSetting(worker, "senderAddress", { name: "Shop" });
    worker.getMap("runs").set("r1", { runId: "r1", total: 3, done: 1 });
    const page = new Y.Doc();
    const sent: unknown[] = [];
    watchPageWrites(page, (entries) => sent.push(...entries));
    applyMirror(page, mirrorSnapshot(worker));
    expect(readSetting(page, "senderAddress")).toEqual({ name: "Shop" });
    expect(page.getMap("runs").get("r1")).toMatchObject({ done: 1 });
    expect(sent).toEqual([]);
    writeSetting(page, "dispatchCutoff", "14:00", "local");
    expect(sent).toEqual([["settings", "dispatchCutoff", "14:00"]]);
  });
});

describe("splices", () => {
  it("are the smallest change between two texts, and move a caret as the delta does", () => {
    const s = spliceBetween("Leave at door", "Leave at back door");
    expect(s).toEqual({ at: 9, remove: 0, insert: "back " });
    expect(applySplice("Leave at door", s)).toBe("Leave at back door");
    expect(transformCaret(13, spliceDelta(s))).toBe(18);
    expect(spliceBetween("aaa", "aa")).toEqual({ at: 2, remove: 1, insert: "" });
  });
});
