// The live document's layout 2 through the room (@consign/sync layout.ts): two tablets offline each
// typing an order's first note keep every word, and a room stored in layout 1 loads, renews into
// layout 2, and a device's unsynced edits of the old generation reach the new one.
import {
  CURRENT_LAYOUT,
  carryUnsyncedEdits,
  documentGeneration,
  documentLayout,
  readOrder,
  setWork,
  workMap,
} from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order } from "./sync-fixtures.ts";
import { connect, room, stateOf, synced, waitFor } from "./sync-helpers.ts";

const ID = "203-0000050-0000001";

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function roomDocOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

describe("the document's layouts 2 and 3 at the room", { timeout: 60_000 }, () => {
  it("keeps every word of an order's first note typed on two tablets while both were offline", async () => {
    const stub = room("layout-first-note");
    const a = connect(stub, { userId: "packer-a" });
    const b = connect(stub, { userId: "packer-b" });
    try {
      await Promise.all([synced(a), synced(b)]);
      await stub.importOrders([order(ID)]);
      await waitFor(
        () => readOrder(a.doc, ID) !== undefined && readOrder(b.doc, ID) !== undefined,
        "the order",
      );
      expect(documentLayout(a.doc)).toBe(CURRENT_LAYOUT);
      expect(workMap(a.doc).size).toBe(0); // no notes text made at import
      // The warehouse Wi-Fi drops; each tablet writes the order's first note.
      a.provider.disconnect();
      b.provider.disconnect();
      setWork(a.doc, ID, { notes: "Leave with neighbour at 12." });
      setWork(b.doc, ID, { notes: "Gift: no invoice in the box." });
      a.provider.connect();
      b.provider.connect();
      await waitFor(
        () => stateOf(a.doc) === stateOf(b.doc) && a.provider.synced && b.provider.synced,
        "both in step",
      );
      const roomDoc = roomDocOf(await stub.state());
      for (const doc of [a.doc, b.doc, roomDoc]) {
        const notes = readOrder(doc, ID)?.notes ?? "";
        expect(notes).toContain("Leave with neighbour at 12.");
        expect(notes).toContain("Gift: no invoice in the box.");
      }
      expect(stateOf(roomDoc)).toBe(stateOf(a.doc));
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it("loads a room stored in layout 1, renews it into layout 2, and a device's offline edits of the old generation are kept", async () => {
    const stub = room("layout-renewal");
    const ids = [ID, "203-0000050-0000002"];
    const a = connect(stub, { userId: "packer-a" });
    try {
      await synced(a);
      await stub.importInLayout1(ids.map((id) => order(id)));
      await waitFor(() => readOrder(a.doc, ids[1]!) !== undefined, "the orders at the device");
      setWork(a.doc, ids[1]!, { notes: "synced before the renewal" });
      await eventually(
        async () => readOrder(roomDocOf(await stub.state()), ids[1]!)?.notes === "synced before the renewal",
        "the note at the room",
      );
    } finally {
      a.provider.disconnect();
    }
    // Stored as layout 1, read back from SQLite as after a restart.
    await stub.forget();
    const stored = roomDocOf(await stub.state());
    expect(documentLayout(stored)).toBe(1);
    expect(typeof stored.getMap("orders").get(ID)).toBe("object");
    expect(workMap(stored).get(`${ID}/notes`)).toBeInstanceOf(Y.Text);
    const oldGen = documentGeneration(stored);

    // Offline on the old generation: a note typed into the room-made text and a package weighed.
    setWork(a.doc, ID, { notes: "typed offline", package: { weightGrams: 900 } });
    expect(await stub.renewIfDue()).toBe(true);
    expect(await stub.renewIfDue()).toBe(false); // once in the current layout, nothing to renew for it

    const renewed = roomDocOf(await stub.state());
    expect(documentLayout(renewed)).toBe(CURRENT_LAYOUT);
    expect(documentGeneration(renewed)).not.toBe(oldGen);
    expect(typeof renewed.getMap("orders").get(ID)).toBe("string");
    expect(workMap(renewed).size).toBe(0);
    expect(readOrder(renewed, ids[1]!)?.notes).toBe("synced before the renewal");

    // Back online: told the generation changed, the device takes the new copy and carries its edits.
    const stale = connect(stub, { doc: a.doc, gen: oldGen, userId: "packer-a" });
    expect((await stale.refused).code).toBe(4409);
    stale.destroy();
    const fresh = connect(stub, { gen: "", userId: "packer-a" });
    try {
      await synced(fresh);
      expect(carryUnsyncedEdits(a.doc, fresh.doc).carried).toBe(2);
      const atRoom = async () => readOrder(roomDocOf(await stub.state()), ID);
      await eventually(
        async () => (await atRoom())?.notes === "typed offline",
        "the carried note at the room",
      );
      expect(await atRoom()).toMatchObject({ notes: "typed offline", package: { weightGrams: 900 } });
      expect(readOrder(roomDocOf(await stub.state()), ids[1]!)?.notes).toBe("synced before the renewal");
    } finally {
      fresh.destroy();
      a.destroy();
    }
  });

  it("tells an app from before layout 2 to reload instead of letting it misread the orders", async () => {
    const stub = room("layout-old-app");
    const current = connect(stub, { gen: "" });
    try {
      await synced(current);
      expect(documentLayout(current.doc)).toBe(CURRENT_LAYOUT);
      // The PWA of before: it says its generation but not which layout it reads.
      const oldApp = connect(stub, { gen: "", layout: "" });
      const closed = await oldApp.refused;
      oldApp.destroy();
      expect(closed.code).toBe(4426);
      expect(closed.reason).toMatch(/reload/);
      expect(current.provider.wsconnected).toBe(true);
    } finally {
      current.destroy();
    }
  });

  it("tells an app of layout 2 to reload once the room is in layout 3 (it would read no parcel or service)", async () => {
    const stub = room("layout-2-app");
    const current = connect(stub, { gen: "" });
    try {
      await synced(current);
      expect(documentLayout(current.doc)).toBe(3);
      const layout2App = connect(stub, { gen: "", layout: "2" });
      const closed = await layout2App.refused;
      layout2App.destroy();
      expect(closed.code).toBe(4426);
      expect(current.provider.wsconnected).toBe(true);
    } finally {
      current.destroy();
    }
  });
});
