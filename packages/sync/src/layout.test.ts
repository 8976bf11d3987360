// Layout 2 of the live document (layout.ts), which layout 3 keeps: records as JSON strings parsed on read, notes as a
// top-level text per order made by the first keystroke, and the move from layout 1 at a renewal.
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeOrder } from "../test/fixtures.ts";
import { removeOrders } from "./archive.ts";
import { CURRENT_LAYOUT, documentLayout } from "./layout.ts";
import { observeOrders } from "./observe.ts";
import { listOrders, readOrder, setWork, upsertOrders, writeOrder } from "./orders.ts";
import { carryUnsyncedEdits, documentHealth, initialiseGeneration, rebaseDocument } from "./rebase.ts";
import { cachedRecordCount, readRecord, setRecordCacheLimit } from "./records.ts";
import { createConsignDoc, ordersMap, workKey, workMap } from "./schema.ts";
import { orderText, textRootName, writeTextField } from "./text.ts";
import { checkWrite } from "./write-policy.ts";

const T = Date.UTC(2026, 11, 6, 9);
const ID = "203-2222222-0000001";

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A room's new document (stamped with a generation while empty: layout 2) holding `n` imported orders. */
function newRoom(n = 3): Y.Doc {
  const doc = createConsignDoc();
  initialiseGeneration(doc, "g1", "room");
  upsertOrders(
    doc,
    Array.from({ length: n }, (_, i) => makeOrder(`203-2222222-${String(i + 1).padStart(7, "0")}`, T)),
    "import",
  );
  return doc;
}

/** A room's document from before layouts (orders imported, then the generation stamped): layout 1. */
function oldRoom(n = 3): Y.Doc {
  const doc = createConsignDoc();
  upsertOrders(
    doc,
    Array.from({ length: n }, (_, i) => makeOrder(`203-2222222-${String(i + 1).padStart(7, "0")}`, T)),
    "import",
  );
  initialiseGeneration(doc, "g1", "room");
  return doc;
}

/** A device's copy of the room's document. */
function deviceOf(room: Y.Doc): Y.Doc {
  const device = createConsignDoc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(room));
  return device;
}

afterEach(() => setRecordCacheLimit(10_000));

describe("records as JSON strings (layout 2)", () => {
  it("stores each record as one string and reads it back as the order it was", () => {
    const room = newRoom(0);
    expect(documentLayout(room)).toBe(CURRENT_LAYOUT);
    const order = makeOrder(ID, T);
    upsertOrders(room, [order], "import");
    expect(typeof ordersMap(room).get(ID)).toBe("string");
    const device = deviceOf(room);
    expect(readOrder(device, ID)).toEqual(order);
    expect(listOrders(device)).toEqual([order]);
  });

  it("parses a record once while it is the same string, and again once the room rewrites it", () => {
    const room = newRoom(1);
    const first = readRecord(room, ID);
    expect(readRecord(room, ID)).toBe(first);
    writeOrder(room, { orderId: ID, buyerName: "Ada Lovelace" });
    const second = readRecord(room, ID);
    expect(second).not.toBe(first);
    expect(second?.buyerName).toBe("Ada Lovelace");
    expect(readOrder(room, ID)?.buyerName).toBe("Ada Lovelace");
  });

  it("keeps at most the cache's limit of parsed records, reading every order all the same", () => {
    setRecordCacheLimit(10);
    const room = newRoom(50);
    expect(listOrders(room)).toHaveLength(50);
    expect(cachedRecordCount(room)).toBeGreaterThan(0);
    expect(cachedRecordCount(room)).toBeLessThanOrEqual(10);
    setRecordCacheLimit(0);
    const other = deviceOf(room);
    expect(listOrders(other)).toHaveLength(50);
    expect(cachedRecordCount(other)).toBe(0);
  });

  it("reads a layout 1 document's object records, and writes objects into it (older devices read it)", () => {
    const room = oldRoom(1);
    expect(documentLayout(room)).toBe(1);
    expect(typeof ordersMap(room).get(ID)).toBe("object");
    writeOrder(room, { orderId: ID, buyerName: "Grace Hopper" });
    expect(typeof ordersMap(room).get(ID)).toBe("object");
    expect(readOrder(deviceOf(room), ID)?.buyerName).toBe("Grace Hopper");
  });

  it("holds one struct per imported order, where layout 1 held two (the record and an empty notes text)", () => {
    expect(documentHealth(newRoom(200)).structs).toBeLessThan(210);
    expect(documentHealth(oldRoom(200)).structs).toBeGreaterThanOrEqual(400);
  });
});

describe("notes made on the first keystroke (layout 2)", () => {
  it("gives an imported order no notes text: it reads as no notes until someone types", () => {
    const room = newRoom(3);
    expect([...workMap(room).keys()]).toEqual([]);
    expect([...room.share.keys()].some((name) => name.startsWith("notes/"))).toBe(false);
    const device = deviceOf(room);
    expect(readOrder(device, ID)?.notes).toBeUndefined();
    setWork(device, ID, { notes: "Fragile: double box" });
    expect(readOrder(device, ID)?.notes).toBe("Fragile: double box");
    sync(device, room);
    expect(readOrder(room, ID)?.notes).toBe("Fragile: double box");
    expect(workMap(room).has(workKey(ID, "notes"))).toBe(false);
  });

  it("keeps every word when two tablets offline each type the first note of one order", () => {
    const room = newRoom(3);
    const a = deviceOf(room);
    const b = deviceOf(room);
    // Both offline: each types the order's first note, keystroke by keystroke, into its own copy.
    const typeInto = (doc: Y.Doc, words: string) => {
      for (const ch of words) {
        const text = orderText(doc, ID, "notes")!;
        doc.transact(() => text.insert(text.length, ch));
      }
    };
    typeInto(a, "Leave with neighbour at 12. ");
    setWork(b, ID, { notes: "Gift: no invoice in the box." });
    expect(readOrder(a, ID)?.notes).toBe("Leave with neighbour at 12. ");
    // Back online: through the room, in either order.
    sync(a, room);
    sync(b, room);
    sync(a, room);
    for (const doc of [a, b, room]) {
      const notes = readOrder(doc, ID)?.notes ?? "";
      expect(notes).toContain("Leave with neighbour at 12. ");
      expect(notes).toContain("Gift: no invoice in the box.");
    }
    expect(readOrder(a, ID)?.notes).toBe(readOrder(b, ID)?.notes);
    expect(readOrder(room, ID)?.notes).toBe(readOrder(b, ID)?.notes);
  });

  it("tells what watches orders which order a note was typed on", () => {
    const room = newRoom(3);
    const device = deviceOf(room);
    const seen: string[][] = [];
    observeOrders(room, (change) => seen.push([...change.orderIds]));
    setWork(device, ID, { notes: "x" });
    sync(device, room);
    expect(seen).toEqual([[ID]]);
  });

  it("lets the team write notes and refuses a viewer, a text outside an order, and an old app's text at the work key", () => {
    const room = newRoom(3);
    const verdicts: ReturnType<typeof checkWrite>[] = [];
    const as = (role: "packer" | "viewer") => {
      const off = (tr: Y.Transaction) => verdicts.push(checkWrite(room, tr, { role }));
      room.on("beforeObserverCalls", off);
      return () => room.off("beforeObserverCalls", off);
    };
    const fromDevice = (role: "packer" | "viewer", write: (d: Y.Doc) => void) => {
      const device = deviceOf(room);
      write(device);
      const stop = as(role);
      Y.applyUpdate(room, Y.encodeStateAsUpdate(device, Y.encodeStateVector(room)), "device");
      stop();
      return verdicts.pop();
    };
    expect(fromDevice("packer", (d) => setWork(d, ID, { notes: "ok" }))).toEqual({ ok: true, keys: 1 });
    expect(fromDevice("viewer", (d) => setWork(d, ID, { notes: "no" }))).toMatchObject({
      ok: false,
      why: "forbidden",
      key: textRootName(ID, "notes"),
    });
    expect(fromDevice("packer", (d) => d.getText("notes/not an order").insert(0, "x"))).toMatchObject({
      ok: false,
      why: "unknown",
    });
    expect(fromDevice("packer", (d) => d.getMap(textRootName(ID, "notes")).set("a", 1))).toMatchObject({
      ok: false,
      why: "invalid",
    });
    expect(
      fromDevice("packer", (d) => workMap(d).set(workKey(ID, "notes"), new Y.Text("old app"))),
    ).toMatchObject({ ok: false, why: "invalid", key: `work/${workKey(ID, "notes")}` });
  });

  it("empties an order's notes when it leaves the live document", () => {
    const room = newRoom(3);
    setWork(room, ID, { notes: "gone soon" });
    removeOrders(room, [ID]);
    expect(room.getText(textRootName(ID, "notes")).toString()).toBe("");
  });
});

describe("moving a room from layout 1 at its renewal", () => {
  it("renews into layout 2 with the same orders and notes, and a device's unsynced edits of the old generation are kept", () => {
    const room = oldRoom(3);
    const ID2 = "203-2222222-0000002";
    setWork(room, ID2, { notes: "synced note" });
    const device = deviceOf(room);
    // Offline on the old generation: a note typed into the room-made text, and a package chosen.
    setWork(device, ID, { notes: "typed offline", package: { weightGrams: 900 } });
    writeTextField(device, ID2, "notes", "synced note, and more offline");

    const fresh = rebaseDocument(room, "g2");
    expect(documentLayout(fresh)).toBe(CURRENT_LAYOUT);
    expect([...ordersMap(fresh).values()].every((v) => typeof v === "string")).toBe(true);
    expect(workMap(fresh).has(workKey(ID, "notes"))).toBe(false);
    expect(readOrder(fresh, ID2)?.notes).toBe("synced note");
    expect(listOrders(fresh)).toEqual(listOrders(room));
    expect([...workMap(fresh).values()].some((v) => v instanceof Y.Text)).toBe(false);

    // The device meets the new generation: a fresh copy from the room, then its edits carried across.
    const next = deviceOf(fresh);
    expect(carryUnsyncedEdits(device, next).carried).toBe(3);
    expect(readOrder(next, ID)?.notes).toBe("typed offline");
    expect(readOrder(next, ID)?.package).toEqual({ weightGrams: 900 });
    expect(readOrder(next, ID2)?.notes).toBe("synced note, and more offline");
    sync(next, fresh);
    expect(readOrder(fresh, ID)?.notes).toBe("typed offline");
    expect(readOrder(fresh, ID2)?.notes).toBe("synced note, and more offline");
  });

  it("carries notes typed offline on layout 2 into the next generation", () => {
    const room = newRoom(3);
    const device = deviceOf(room);
    setWork(device, ID, { notes: "offline, layout 2" });
    const fresh = rebaseDocument(room, "g2");
    const next = deviceOf(fresh);
    expect(carryUnsyncedEdits(device, next).carried).toBe(1);
    expect(readOrder(next, ID)?.notes).toBe("offline, layout 2");
  });
});
