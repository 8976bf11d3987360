import { abortAllDurableObjects } from "cloudflare:test";
import { documentGeneration, listOrders, readOrder, setWork } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order, orderIds } from "./sync-fixtures.ts";
import { connect, room, stateOf, synced, waitFor } from "./sync-helpers.ts";

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the room keeps what it acknowledged", { timeout: 60_000 }, () => {
  it("rewrites its snapshot a few times while it fills, not once every few hundred kilobytes of log", async () => {
    // 2,000 orders in pages of 50 (about 1.3 MB stored), compacting past 50 KB: the log is folded in when
    // it reaches half the snapshot, so each snapshot is half as large again as the last.
    const orders = orderIds(2_000, "203-0000011").map((id) => order(id));
    const { snapshots, reloaded } = await room("fill-compactions").fillCountingCompactions(
      orders,
      50,
      50_000,
    );
    expect(reloaded).toBe(2_000);
    expect(snapshots).toBeGreaterThan(2);
    expect(snapshots).toBeLessThanOrEqual(10); // a compaction every 50 KB would write about 25
  });

  it("comes back whole after the Durable Object is restarted, log and compacted snapshot alike", async () => {
    const stub = room("restart");
    const a = connect(stub);
    await synced(a);
    const ids = orderIds(30, "203-0000010");
    await stub.importOrders(ids.map((id) => order(id)));
    await waitFor(() => listOrders(a.doc).length === 30, "the import at the device");
    // Over 50 separate updates: the test room compacts the log into a snapshot along the way.
    for (const id of ids) setWork(a.doc, id, { notes: `packed ${id}` });
    for (const id of ids.slice(0, 25)) setWork(a.doc, id, { package: { weightGrams: 300 } });
    const expected = stateOf(a.doc);
    await eventually(
      async () => stateOf(docOf(await stub.state())) === expected,
      "the room to hold every edit",
    );
    a.destroy();

    await abortAllDurableObjects();
    const restarted = room("restart");
    expect(stateOf(docOf(await restarted.state()))).toBe(expected);
    const b = connect(restarted);
    try {
      await synced(b);
      expect(stateOf(b.doc)).toBe(expected);
      expect(readOrder(b.doc, ids[24]!)?.package).toEqual({ weightGrams: 300 });
    } finally {
      b.destroy();
    }
  });

  it("saves the server's own writes before devices see them, and undoes a write that failed half way", async () => {
    const stub = room("server-writes");
    const a = connect(stub);
    try {
      await synced(a);
      expect(await stub.importOrders(orderIds(5, "203-0000011").map((id) => order(id)))).toBe(5);
      await waitFor(() => listOrders(a.doc).length === 5, "the import at the device");
      await stub.forget(); // drop the in-memory document: what follows is read back from SQLite
      expect(await stub.orderIds()).toHaveLength(5);
      let failure = "";
      try {
        await stub.failingTransact();
      } catch (e) {
        failure = String(e);
      }
      expect(failure).toMatch(/half way/);
      expect(
        docOf(await stub.state())
          .getMap("settings")
          .has("half"),
      ).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      expect(a.doc.getMap("settings").has("half")).toBe(false);
    } finally {
      a.destroy();
    }
  });

  it("starts a new generation: connected devices and stale copies are told to reload, fresh ones get it all", async () => {
    const stub = room("rebase");
    const a = connect(stub);
    await synced(a);
    const oldGen = documentGeneration(a.doc);
    expect(oldGen).toBeTruthy();
    await stub.importOrders([order("203-0000012-0000001")]);
    await eventually(async () => (await stub.orderIds()).length === 1, "the order at the room");
    const newGen = await stub.rebase();
    expect(newGen).not.toBe(oldGen);
    expect(await a.refused).toEqual({ code: 4409, reason: "document generation changed: reload" });
    a.destroy();

    const stale = connect(stub, { doc: a.doc, gen: oldGen });
    try {
      expect((await stale.refused).code).toBe(4409);
    } finally {
      stale.destroy();
    }
    // An app too old to say its generation sends its whole copy: told to reload, nothing of it merged.
    const oldApp = connect(stub, { doc: a.doc });
    try {
      expect((await oldApp.refused).code).toBe(4409);
    } finally {
      oldApp.destroy();
    }
    const fresh = connect(stub, { gen: "" });
    try {
      await synced(fresh);
      expect(documentGeneration(fresh.doc)).toBe(newGen);
      // One writer only (the room's rebase): the stale copy's structs never reached the room.
      expect([...fresh.doc.store.clients.keys()]).toHaveLength(1);
      expect(readOrder(fresh.doc, "203-0000012-0000001")).toBeDefined();
    } finally {
      fresh.destroy();
    }
  });
});

// The archive renews the document at night only once no tablet has written for a while (core.ts).
describe("what counts as the team at work", () => {
  it("a device's edit, not the room's own import: the renewal waits from the tablet's last write", async () => {
    const stub = room("renewal-last-write");
    const tablet = connect(stub);
    try {
      await synced(tablet);
      const started = await stub.lastDeviceWriteAt();
      await new Promise((r) => setTimeout(r, 20));
      await stub.importOrders([order("203-0000900-0000001")]);
      expect(await stub.lastDeviceWriteAt()).toBe(started);
      setWork(tablet.doc, "203-0000900-0000001", { notes: "fragile" });
      for (let i = 0; i < 200 && (await stub.lastDeviceWriteAt()) === started; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await stub.lastDeviceWriteAt()).toBeGreaterThan(started);
    } finally {
      tablet.destroy();
    }
  });
});
