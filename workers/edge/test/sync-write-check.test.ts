// The room's write check: every update a device sends is checked key by key against
// @consign/sync's write policy before it is stored or broadcast. A refused update closes only
// that socket, with a typed code and a reason naming the key; nothing of it is kept.

import { orderText, readOrder, setWork, writeSetting } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order } from "./sync-fixtures.ts";
import { type Client, connect, room, stateOf, synced, waitFor } from "./sync-helpers.ts";

const ID = "203-0000040-0000001";

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function roomDoc(stub: ReturnType<typeof room>): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await stub.state());
  return doc;
}

/** A room with one imported order, an owner and a packer on it, both synced. */
async function setUp(
  name: string,
  other: Parameters<typeof connect>[1] = { role: "packer", userId: "packer" },
) {
  const stub = room(name);
  await stub.importOrders([order(ID)]);
  const owner = connect(stub, { role: "owner", userId: "owner" });
  const writer = connect(stub, other);
  await Promise.all([synced(owner), synced(writer)]);
  await waitFor(() => readOrder(writer.doc, ID) !== undefined, "the order at the writer");
  return { stub, owner, writer };
}

/** The writer was refused, the room and the owner hold nothing of it, and the owner still edits. */
async function nothingKept(stub: ReturnType<typeof room>, owner: Client, before: string) {
  await new Promise((r) => setTimeout(r, 50));
  expect(stateOf(await roomDoc(stub))).toBe(before);
  expect(stateOf(owner.doc)).toBe(before);
  setWork(owner.doc, ID, { notes: "owner still here" });
  await waitFor(() => owner.provider.wsconnected, "the owner connected");
  await eventually(
    async () => readOrder(await roomDoc(stub), ID)?.notes === "owner still here",
    "the owner's note",
  );
}

describe("the room checks every write against the document's policy", { timeout: 60_000 }, () => {
  it("refuses a packer changing Amazon's delivery address (4403, naming the key), keeping nothing", async () => {
    const { stub, owner, writer } = await setUp("check-amazon-address");
    try {
      const before = stateOf(await roomDoc(stub));
      const record = writer.doc.getMap("orders").get(ID) as Record<string, unknown>;
      const recipient = { ...(record.recipient as object), postcode: "ZZ9 9ZZ" };
      writer.doc.getMap("orders").set(ID, { ...record, recipient });
      const closed = await writer.refused;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toContain(`orders/${ID}`);
      expect(closed.reason).toMatch(/a packer may not change Amazon's order/);
      await nothingKept(stub, owner, before);
      expect(readOrder(await roomDoc(stub), ID)?.recipient?.postcode).not.toBe("ZZ9 9ZZ");
    } finally {
      owner.destroy();
      writer.destroy();
    }
  });

  it("refuses a device writing the room's own fields (labels, confirmation)", async () => {
    const { stub, owner, writer } = await setUp("check-room-fields", { role: "owner", userId: "owner-2" });
    try {
      const before = stateOf(await roomDoc(stub));
      writer.doc.getMap("work").set(`${ID}/confirmation`, { state: "confirmed", attempts: 1 });
      const closed = await writer.refused;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toContain(`work/${ID}/confirmation`);
      await nothingKept(stub, owner, before);
    } finally {
      owner.destroy();
      writer.destroy();
    }
  });

  it.each([
    [
      "a new top-level map",
      (d: Y.Doc) => d.getMap("evil").set("x", 1),
      "evil/x",
      /"evil" is not part of the document/,
    ],
    [
      "an unknown working field",
      (d: Y.Doc) => d.getMap("work").set(`${ID}/bogus`, 1),
      `work/${ID}/bogus`,
      /not a key/,
    ],
    [
      "an unknown setting",
      (d: Y.Doc) => d.getMap("settings").set("theme", "dark"),
      "settings/theme",
      /not a key/,
    ],
    ["a list in a keyed map", (d: Y.Doc) => d.getArray("stock").push([1]), "stock/(list)", /holds keys/],
    [
      "a note that is not plain text",
      (d: Y.Doc) => {
        const t = orderText(d, ID, "notes")!;
        t.insertEmbed(0, { image: "x" });
      },
      `notes/${ID}`,
      /plain text/,
    ],
  ])("refuses %s with 4422, naming it", async (what, write, key, reason) => {
    const { stub, owner, writer } = await setUp(`check-unknown-${what}`, {
      role: "owner",
      userId: "owner-2",
    });
    try {
      const before = stateOf(await roomDoc(stub));
      write(writer.doc);
      const closed = await writer.refused;
      expect(closed.code).toBe(4422);
      expect(closed.reason).toContain(key);
      expect(closed.reason).toMatch(reason);
      await nothingKept(stub, owner, before);
    } finally {
      owner.destroy();
      writer.destroy();
    }
  });

  it("refuses a note over its limit (4413, naming the field and the limit); a note at the limit passes", async () => {
    const { stub, owner, writer } = await setUp("check-note-size");
    try {
      setWork(writer.doc, ID, { notes: "x".repeat(2_000) });
      await waitFor(() => readOrder(owner.doc, ID)?.notes?.length === 2_000, "the 2,000-character note");
      const before = stateOf(await roomDoc(stub));
      setWork(writer.doc, ID, { notes: "x".repeat(2_001) });
      const closed = await writer.refused;
      expect(closed).toEqual({
        code: 4413,
        reason: `notes/${ID} is 2001 characters; the order's notes may be at most 2000`,
      });
      await nothingKept(stub, owner, before);
    } finally {
      owner.destroy();
      writer.destroy();
    }
  });

  it("lets a packer write the team's fields and an owner the owner's settings", async () => {
    const { stub, owner, writer } = await setUp("check-allowed");
    try {
      setWork(writer.doc, ID, { notes: "fragile", package: { weightGrams: 500 } });
      writeSetting(owner.doc, "dispatchCutoff", "15:00");
      await eventually(async () => {
        const doc = await roomDoc(stub);
        return (
          readOrder(doc, ID)?.notes === "fragile" && doc.getMap("settings").get("dispatchCutoff") === "15:00"
        );
      }, "both edits at the room");
      expect(writer.provider.wsconnected && owner.provider.wsconnected).toBe(true);
    } finally {
      owner.destroy();
      writer.destroy();
    }
  });

  it("lets an API key read the live document but not write it, whatever its scope (4403)", async () => {
    const { stub, owner, writer } = await setUp("check-api-key", {
      role: "packer",
      userId: "key-1",
      kind: "api-key",
    });
    try {
      const before = stateOf(await roomDoc(stub));
      expect(readOrder(writer.doc, ID)).toBeDefined();
      setWork(writer.doc, ID, { notes: "from an ERP" });
      expect(await writer.refused).toEqual({
        code: 4403,
        reason: "API keys only read the live document: change orders through /api/v1",
      });
      await nothingKept(stub, owner, before);
    } finally {
      owner.destroy();
      writer.destroy();
    }
  });

  it("never sends a message above the split size: a server write of one value too big to split is refused, nothing kept", async () => {
    const stub = room("check-server-size");
    const device = connect(stub, { role: "owner", userId: "owner" });
    try {
      await synced(device);
      // The test room splits at 64 KB: a 40 KB value goes, a 100 KB one cannot be split.
      expect(await stub.serverWriteOfSize(40_000)).toBe("");
      expect(await stub.serverWriteOfSize(100_000)).toMatch(
        /A single value of \d+ bytes cannot be sent to the team's devices \(at most 64000 bytes in one message\)/,
      );
      await waitFor(
        () => (device.doc.getMap("settings").get("big") as string | undefined)?.length === 40_000,
        "the 40 KB value",
      );
      await new Promise((r) => setTimeout(r, 50));
      expect((device.doc.getMap("settings").get("big") as string).length).toBe(40_000);
      expect(((await roomDoc(stub)).getMap("settings").get("big") as string).length).toBe(40_000);
    } finally {
      device.destroy();
    }
  });
});
