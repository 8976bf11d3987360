import { adjustStock, readOrder, setWork, stockLevel } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order, orderIds } from "./sync-fixtures.ts";
import { type Client, connect, room, stateOf, synced, waitFor } from "./sync-helpers.ts";

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEdit(doc: Y.Doc, ids: string[], rand: () => number, n: number) {
  const id = ids[Math.floor(rand() * ids.length)]!;
  const pick = rand();
  if (pick < 0.4) setWork(doc, id, { notes: `edit ${n}` });
  else if (pick < 0.7) setWork(doc, id, { package: { weightGrams: Math.floor(rand() * 2000) } });
  else adjustStock(doc, "MUG-BLUE-350", -1);
}

async function agree(clients: Client[], stub: ReturnType<typeof room>) {
  await waitFor(
    () => new Set(clients.map((c) => stateOf(c.doc))).size === 1,
    "every device to agree",
    20_000,
  );
  const roomDoc = new Y.Doc();
  Y.applyUpdate(roomDoc, await stub.state());
  expect(stateOf(roomDoc)).toBe(stateOf(clients[0]!.doc));
}

describe("concurrent editing", { timeout: 90_000 }, () => {
  it("ends 1,000 random concurrent edits from 5 devices in identical documents", async () => {
    const stub = room("random-edits");
    const clients = Array.from({ length: 5 }, (_, i) => connect(stub, { userId: `packer-${i}` }));
    try {
      await Promise.all(clients.map(synced));
      const ids = orderIds(20, "203-0000020");
      await stub.importOrders(ids.map((id) => order(id)));
      await waitFor(() => clients.every((c) => c.doc.getMap("orders").size === 20), "the import everywhere");
      const rand = random(42);
      let stockTaken = 0;
      for (let n = 0; n < 1_000; n++) {
        const before = stockLevel(clients[n % 5]!.doc, "MUG-BLUE-350");
        randomEdit(clients[n % 5]!.doc, ids, rand, n);
        if (stockLevel(clients[n % 5]!.doc, "MUG-BLUE-350") < before) stockTaken++;
        // Let messages cross now and then, so many edits are truly concurrent.
        if (n % 25 === 0) await new Promise((r) => setTimeout(r, 1));
      }
      await agree(clients, stub);
      for (const c of clients) expect(stockLevel(c.doc, "MUG-BLUE-350")).toBe(-stockTaken);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it("brings an offline device's 200 edits back in, and the others' edits to it", async () => {
    const stub = room("offline");
    const online = connect(stub, { userId: "online" });
    const traveller = connect(stub, { userId: "traveller" });
    try {
      await Promise.all([synced(online), synced(traveller)]);
      const ids = orderIds(10, "203-0000021");
      await stub.importOrders(ids.map((id) => order(id)));
      await waitFor(() => traveller.doc.getMap("orders").size === 10, "the orders at the traveller");
      traveller.provider.disconnect();
      await waitFor(() => !traveller.provider.wsconnected, "the traveller to go offline");
      const rand = random(7);
      for (let n = 0; n < 200; n++) randomEdit(traveller.doc, ids.slice(0, 7), rand, n);
      for (let n = 0; n < 50; n++) randomEdit(online.doc, ids.slice(5), rand, 1_000 + n);
      const offlineNotes = ids.slice(0, 5).map((id) => readOrder(traveller.doc, id)?.notes);
      traveller.provider.connect();
      await synced(traveller);
      await agree([online, traveller], stub);
      // Orders only the traveller touched read exactly as it left them, now everywhere.
      expect(ids.slice(0, 5).map((id) => readOrder(online.doc, id)?.notes)).toEqual(offlineNotes);
    } finally {
      online.destroy();
      traveller.destroy();
    }
  });

  describe("a backlog above production's 1 MiB message limit", () => {
    // Notes on 2,500 orders written offline: one step 2 over 1 MiB when the device comes back.
    const ids = orderIds(2_500, "203-0000022");
    const note = (id: string) => `Fragile, double box. ${id} `.repeat(12);

    async function offlineWithBacklog(name: string, split: boolean) {
      const stub = room(name);
      const online = connect(stub, { userId: "online" });
      const traveller = connect(stub, { userId: "traveller", split });
      await Promise.all([synced(online), synced(traveller)]);
      await stub.importOrders(ids.map((id) => order(id)));
      await waitFor(
        () => online.doc.getMap("orders").size === 2_500 && traveller.doc.getMap("orders").size === 2_500,
        "the import at both devices",
        30_000,
      );
      traveller.provider.disconnect();
      await waitFor(() => !traveller.provider.wsconnected, "the traveller to go offline");
      traveller.doc.transact(() => {
        for (const id of ids) setWork(traveller.doc, id, { notes: note(id) });
      });
      expect(Y.encodeStateAsUpdate(traveller.doc).byteLength).toBeGreaterThan(1_048_576);
      traveller.provider.connect();
      return { stub, online, traveller };
    }

    it("reaches the room and the other devices in parts through the PWA's socket", async () => {
      const { stub, online, traveller } = await offlineWithBacklog("big-backlog-split", true);
      try {
        await synced(traveller);
        await waitFor(
          () => readOrder(online.doc, ids[2_499]!)?.notes === note(ids[2_499]!),
          "the backlog at the other device",
          30_000,
        );
        await agree([online, traveller], stub);
        expect(ids.every((id) => readOrder(online.doc, id)?.notes === note(id))).toBe(true);
      } finally {
        online.destroy();
        traveller.destroy();
      }
    });

    it("is refused whole (4413) by the room from a plain socket, as production would", async () => {
      const { stub, online, traveller } = await offlineWithBacklog("big-backlog-plain", false);
      try {
        expect((await traveller.refused).code).toBe(4413);
        await new Promise((r) => setTimeout(r, 50));
        expect(ids.some((id) => readOrder(online.doc, id)?.notes !== undefined)).toBe(false);
        const roomDoc = new Y.Doc();
        Y.applyUpdate(roomDoc, await stub.state());
        expect(ids.some((id) => readOrder(roomDoc, id)?.notes !== undefined)).toBe(false);
      } finally {
        online.destroy();
        traveller.destroy();
      }
    });
  });
});
