import { listOrders, readOrder, setWork } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order } from "./sync-fixtures.ts";
import { type Client, connect, room, stateOf, synced, waitFor } from "./sync-helpers.ts";

describe("devices on one seller's room", { timeout: 60_000 }, () => {
  it("converge, two to ten of them, each edit reaching every other device", async () => {
    const stub = room("converge");
    const clients: Client[] = [];
    try {
      for (let i = 0; i < 10; i++) clients.push(connect(stub, { userId: `packer-${i}` }));
      await Promise.all(clients.map(synced));
      await stub.importOrders([order("203-0000001-0000001")]);
      await waitFor(
        () => clients.every((c) => readOrder(c.doc, "203-0000001-0000001") !== undefined),
        "the order everywhere",
      );
      // Ten people type into one order's notes at once: the notes are text, so every word is kept.
      for (const [i, c] of clients.entries())
        setWork(c.doc, "203-0000001-0000001", { notes: `note from ${i}.` });
      await waitFor(() => new Set(clients.map((c) => stateOf(c.doc))).size === 1, "every device to agree");
      const notes = readOrder(clients[3]!.doc, "203-0000001-0000001")?.notes ?? "";
      for (let i = 0; i < 10; i++) expect(notes).toContain(`note from ${i}.`);
      expect(stateOf(clients[0]!.doc)).toBe(stateOf(readRoom(await stub.state())));
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it("gives a late joiner everything, in several messages when it is large", async () => {
    const stub = room("late-joiner");
    const early = connect(stub);
    try {
      await synced(early);
      // 400 orders is about 200 KB: above the test room's 64 KB message limit, so it goes in parts.
      const orders = Array.from({ length: 400 }, (_, i) =>
        order(`203-0000002-${String(i).padStart(7, "0")}`),
      );
      expect(await stub.importOrders(orders)).toBe(400);
      await waitFor(() => listOrders(early.doc).length === 400, "the import to reach the early device");
      const late = connect(stub);
      let messages = 0;
      late.provider.on("status", () => {});
      const ws = () => late.provider.ws as unknown as { onmessage: ((e: unknown) => void) | null } | null;
      await waitFor(() => ws() !== null, "the late socket");
      try {
        const original = ws()!.onmessage;
        ws()!.onmessage = (e) => {
          messages++;
          original?.(e);
        };
        await synced(late);
        expect(listOrders(late.doc)).toHaveLength(400);
        expect(messages).toBeGreaterThan(3);
        expect(stateOf(late.doc)).toBe(stateOf(early.doc));
      } finally {
        late.destroy();
      }
    } finally {
      early.destroy();
    }
  });

  it("keeps ten devices with presence connected: the colleagues' states each device relays are not counted as its own", async () => {
    const stub = room("presence-ten");
    const clients = Array.from({ length: 10 }, (_, i) => connect(stub, { userId: `p-${i}` }));
    try {
      await Promise.all(clients.map(synced));
      for (const [i, c] of clients.entries()) c.awareness.setLocalState({ orderId: `203-${i}` });
      await waitFor(
        () => clients.every((c) => c.awareness.getStates().size === 10),
        "every device to see all ten",
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(clients.every((c) => c.provider.wsconnected)).toBe(true);
      expect(await stub.connectionCount()).toBe(10);
      clients[3]!.destroy();
      await waitFor(
        () => clients.filter((_, i) => i !== 3).every((c) => c.awareness.getStates().size === 9),
        "the one who left to go from everyone's list",
      );
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it("shows who is on which order, as the room vouches, and forgets a device that left", async () => {
    const stub = room("presence");
    const sam = connect(stub, { userId: "sam" });
    const jo = connect(stub, { userId: "jo" });
    try {
      await Promise.all([synced(sam), synced(jo)]);
      sam.awareness.setLocalState({
        user: { id: "someone-else", name: "Mallory", role: "owner" },
        orderId: "203-1",
      });
      await waitFor(() => jo.awareness.getStates().has(sam.doc.clientID), "sam's presence at jo");
      const seen = jo.awareness.getStates().get(sam.doc.clientID) as {
        user: { id: string; role: string };
        orderId: string;
      };
      expect(seen.orderId).toBe("203-1");
      expect(seen.user).toEqual({ id: "sam", name: "Person sam", role: "packer" });
      const late = connect(stub, { userId: "kim" });
      try {
        await waitFor(
          () => late.awareness.getStates().has(sam.doc.clientID),
          "sam's presence at a late joiner",
        );
      } finally {
        late.destroy();
      }
      sam.destroy();
      await waitFor(() => !jo.awareness.getStates().has(sam.doc.clientID), "sam's presence to go");
    } finally {
      sam.destroy();
      jo.destroy();
    }
  });
});

describe("a device alone on the room", { timeout: 30_000 }, () => {
  it("hears back when it says it is still here, so its socket is not dropped and opened again every 30 s", async () => {
    // y-websocket closes a socket that has heard nothing for 30 s and opens a new one, which means a whole
    // sync (the room and the device each work out what the other lacks, over the whole document). A device
    // alone (a one-person seller) hears no colleague: the room answers its presence, renewed every 15 s.
    const stub = room("alone");
    const solo = connect(stub, { userId: "solo" });
    try {
      await synced(solo);
      const heard = solo.provider.wsLastMessageReceived;
      await new Promise((r) => setTimeout(r, 20));
      solo.awareness.setLocalState({ orderId: "203-1" });
      await waitFor(
        () => solo.provider.wsLastMessageReceived > heard,
        "the room to answer its presence",
        3_000,
      );
      // Its own presence as the room vouches for it does not overwrite what the device says of itself.
      expect(solo.awareness.getLocalState()).toEqual({ orderId: "203-1" });
    } finally {
      solo.destroy();
    }
  });
});

function readRoom(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
