import { readOrder, readSetting, setWork, writeSetting } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order } from "./sync-fixtures.ts";
import { connect, identityHeader, rawSocket, room, synced, waitFor } from "./sync-helpers.ts";

describe("who may connect and what the room refuses", { timeout: 60_000 }, () => {
  it("refuses an upgrade without the edge's identity header (400), or with a broken one", async () => {
    const stub = room("access");
    const none = await stub.fetch("http://room/sync/seller-1", { headers: { Upgrade: "websocket" } });
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(/x-consign-identity/);
    const broken = await stub.fetch("http://room/sync/seller-1", {
      headers: { Upgrade: "websocket", "x-consign-identity": JSON.stringify({ userId: "u", role: "admin" }) },
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/role/);
    const plain = await stub.fetch("http://room/sync/seller-1", {
      headers: { "x-consign-identity": identityHeader() },
    });
    expect(plain.status).toBe(426);
  });

  it.each([
    ["garbage bytes", new Uint8Array([0xff, 0xfe, 0x13, 0x37, 0x00, 0x42])],
    ["a truncated varint", new Uint8Array([0x80])],
    ["a length running past the end", new Uint8Array([0, 2, 50, 1, 2, 3])],
    ["a malformed update", new Uint8Array([0, 2, 6, 1, 1, 0xff, 0xff, 0xff, 0x7f])],
    ["an unknown message type", new Uint8Array([9])],
    ["a text frame", "hello"],
  ])("closes a socket that sends %s with 4400 and leaves the others working", async (_what, bytes) => {
    const stub = room(`malformed-${_what}`);
    const a = connect(stub, { userId: "a" });
    const b = connect(stub, { userId: "b" });
    try {
      await Promise.all([synced(a), synced(b)]);
      await stub.importOrders([order("203-0000030-0000001")]);
      await waitFor(() => readOrder(b.doc, "203-0000030-0000001") !== undefined, "the order at b");
      const raw = await rawSocket(stub);
      raw.ws.send(bytes);
      expect(await raw.closed).toEqual({ code: 4400, reason: "malformed message" });
      setWork(b.doc, "203-0000030-0000001", { notes: "still fine" });
      await waitFor(() => readOrder(a.doc, "203-0000030-0000001")?.notes === "still fine", "b's edit at a");
      expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it("lets a viewer read but closes it with 4403 when it edits, keeping the edit out", async () => {
    const stub = room("viewer");
    const packer = connect(stub, { role: "packer" });
    const viewer = connect(stub, { role: "viewer" });
    try {
      await Promise.all([synced(packer), synced(viewer)]);
      await stub.importOrders([order("203-0000031-0000001")]);
      await waitFor(
        () => readOrder(viewer.doc, "203-0000031-0000001") !== undefined,
        "the order at the viewer",
      );
      setWork(viewer.doc, "203-0000031-0000001", { notes: "viewer was here" });
      expect(await viewer.refused).toEqual({ code: 4403, reason: "viewer cannot edit" });
      await new Promise((r) => setTimeout(r, 50));
      expect(readOrder(packer.doc, "203-0000031-0000001")?.notes).toBeUndefined();
      const roomDoc = new Y.Doc();
      Y.applyUpdate(roomDoc, await stub.state());
      expect(readOrder(roomDoc, "203-0000031-0000001")?.notes).toBeUndefined();
    } finally {
      packer.destroy();
      viewer.destroy();
    }
  });

  it("keeps shared settings the owner's: a packer's device that writes them is closed and nothing of it kept", async () => {
    const stub = room("packer-settings");
    const owner = connect(stub, { role: "owner", userId: "owner" });
    const packer = connect(stub, { role: "packer", userId: "packer" });
    try {
      await Promise.all([synced(owner), synced(packer)]);
      writeSetting(owner.doc, "dispatchCutoff", "16:00");
      await waitFor(
        () => readSetting(packer.doc, "dispatchCutoff") === "16:00",
        "the owner's setting at the packer",
      );
      await stub.importOrders([order("203-0000032-0000001")]);
      await waitFor(() => readOrder(packer.doc, "203-0000032-0000001") !== undefined, "the order");
      // A note and a settings change in one transaction: refused whole.
      packer.doc.transact(() => {
        setWork(packer.doc, "203-0000032-0000001", { notes: "packer's note" });
        writeSetting(packer.doc, "dispatchCutoff", "11:00");
      });
      expect(await packer.refused).toEqual({
        code: 4403,
        reason: "a packer may not change the dispatch cut-off (settings/dispatchCutoff): it is the owner's",
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(readSetting(owner.doc, "dispatchCutoff")).toBe("16:00");
      const roomDoc = new Y.Doc();
      Y.applyUpdate(roomDoc, await stub.state());
      expect(readSetting(roomDoc, "dispatchCutoff")).toBe("16:00");
      expect(readOrder(roomDoc, "203-0000032-0000001")?.notes).toBeUndefined();
      // The owner's device keeps working.
      writeSetting(owner.doc, "dispatchCutoff", "15:30");
      const after = new Y.Doc();
      await waitFor(() => owner.provider.wsconnected, "the owner still connected");
      await new Promise((r) => setTimeout(r, 50));
      Y.applyUpdate(after, await stub.state());
      expect(readSetting(after, "dispatchCutoff")).toBe("15:30");
    } finally {
      owner.destroy();
      packer.destroy();
    }
  });

  it("closes the sockets of a revoked session with 4401", async () => {
    const stub = room("revoke");
    const keep = connect(stub, { userId: "keep" });
    const gone = connect(stub, { userId: "gone" });
    try {
      await Promise.all([synced(keep), synced(gone)]);
      expect(await stub.closeSessionsOf("gone")).toBe(1);
      expect((await gone.refused).code).toBe(4401);
      expect(keep.provider.wsconnected).toBe(true);
      expect(await stub.connectionCount()).toBe(1);
    } finally {
      keep.destroy();
      gone.destroy();
    }
  });
});
