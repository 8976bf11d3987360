import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  decodeAwarenessUpdate,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2Messages,
  encodeUpdateMessages,
  parseClientMessage,
  splitOutgoingMessage,
} from "./protocol.ts";

function message(...parts: ((e: encoding.Encoder) => void)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) p(e);
  return encoding.toUint8Array(e);
}

describe("the y-websocket protocol, room side", () => {
  it("reads a device's step 1 and update", () => {
    const doc = new Y.Doc();
    doc.getMap("work").set("a/notes", "x");
    const step1 = parseClientMessage(encodeSyncStep1(doc));
    expect(step1.ok && step1.message.kind).toBe("syncStep1");
    const update = Y.encodeStateAsUpdate(doc);
    const parsed = parseClientMessage(
      message(
        (e) => encoding.writeVarUint(e, 0),
        (e) => encoding.writeVarUint(e, 2),
        (e) => encoding.writeVarUint8Array(e, update),
      ),
    );
    expect(parsed).toEqual({ ok: true, message: { kind: "update", update } });
  });

  it.each([
    ["empty", new Uint8Array([])],
    ["truncated varint", new Uint8Array([0x80])],
    ["length past the end", new Uint8Array([0, 1, 9, 0])],
    ["trailing bytes", new Uint8Array([3, 0])],
    ["bad update", new Uint8Array([0, 2, 3, 5, 0xff, 0xff])],
    [
      "awareness not JSON",
      message(
        (e) => encoding.writeVarUint(e, 1),
        (e) => encoding.writeVarUint8Array(e, new Uint8Array([1, 1, 1, 2, 0x7b, 0x7b])),
      ),
    ],
  ])("refuses %s without throwing", (_what, bytes) => {
    const result = parseClientMessage(bytes);
    expect(result.ok).toBe(false);
  });

  it("round-trips awareness entries", () => {
    const entries = [
      { clientID: 7, clock: 3, state: { user: { id: "u", name: "Sam", role: "packer" }, orderId: "203-1" } },
      { clientID: 9, clock: 1, state: null },
    ];
    expect(decodeAwarenessUpdate(encodeAwarenessUpdate(entries))).toEqual(entries);
  });

  it("splits a large step 2 so that only its last part says step 2", () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 2000; i++) doc.getMap("orders").set(`o${i}`, { title: "x".repeat(100), i });
    const parts = encodeSyncStep2Messages(doc, Y.encodeStateVector(new Y.Doc()), 50_000);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.every((p) => p.byteLength <= 50_000)).toBe(true);
    expect(parts.slice(0, -1).every((p) => p[1] === 2)).toBe(true);
    expect(parts.at(-1)?.[1]).toBe(1);
  });

  it("splits a device's large step 2 into parts that rebuild its document", () => {
    const device = new Y.Doc();
    for (let i = 0; i < 2000; i++) device.getMap("orders").set(`o${i}`, { title: "x".repeat(100), i });
    device.getMap("orders").delete("o7");
    const whole = encodeSyncStep2Messages(device, Y.encodeStateVector(new Y.Doc()), 10_000_000);
    expect(whole).toHaveLength(1);
    const parts = splitOutgoingMessage(whole[0] as Uint8Array, 50_000);
    expect(parts.length).toBeGreaterThan(4);
    expect(parts.every((p) => p.byteLength <= 50_000)).toBe(true);
    expect(parts.at(-1)?.[1]).toBe(1);
    const room = new Y.Doc();
    for (const p of parts) {
      const parsed = parseClientMessage(p);
      if (!parsed.ok || (parsed.message.kind !== "update" && parsed.message.kind !== "syncStep2"))
        throw new Error("not an update");
      Y.applyUpdate(room, parsed.message.update);
    }
    expect(room.getMap("orders").toJSON()).toEqual(device.getMap("orders").toJSON());
    expect(room.getMap("orders").has("o7")).toBe(false);
  });

  it("leaves small messages and awareness as they are", () => {
    const doc = new Y.Doc();
    doc.getMap("orders").set("o1", { i: 1 });
    const small = encodeUpdateMessages(Y.encodeStateAsUpdate(doc))[0] as Uint8Array;
    expect(splitOutgoingMessage(small, 50_000)).toEqual([small]);
    const awareness = message(
      (e) => encoding.writeVarUint(e, 1),
      (e) => encoding.writeVarUint8Array(e, new Uint8Array(60_000)),
    );
    expect(splitOutgoingMessage(awareness, 50_000)).toEqual([awareness]);
  });
});
