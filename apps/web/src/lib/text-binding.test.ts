import { makeOrder } from "@consign/domain/testing";
import { initialiseGeneration, readOrder, setWork, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bindText, type TextAreaLike, transformCaret } from "./text-binding.ts";

const ID = "203-1111111-0000001";

function area(): TextAreaLike & { sel: [number, number] } {
  const a = {
    value: "",
    sel: [0, 0] as [number, number],
    get selectionStart() {
      return a.sel[0];
    },
    get selectionEnd() {
      return a.sel[1];
    },
    setSelectionRange(s: number, e: number) {
      a.sel = [s, e];
    },
  };
  return a;
}

/**
 * Two tablets on one order, their documents connected both ways (as through the room). Layout 1: the
 * room made the order's notes text at import; layout 2: no text until someone types (top-level text).
 */
function tablets(layout: 1 | 2 = 1) {
  const room = new Y.Doc();
  if (layout === 2) initialiseGeneration(room, "g1");
  upsertOrders(room, [makeOrder({ orderId: ID })], "import");
  const a = new Y.Doc();
  const b = new Y.Doc();
  Y.applyUpdate(a, Y.encodeStateAsUpdate(room));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(room));
  const updates: number[] = [];
  const queued: [Y.Doc, Uint8Array][] = [];
  const link = { paused: false, updates, a, b };
  const send = (to: Y.Doc) => (u: Uint8Array, origin: unknown) => {
    if (origin === "remote") return;
    updates.push(u.byteLength);
    if (link.paused) queued.push([to, u]);
    else Y.applyUpdate(to, u, "remote");
  };
  a.on("update", send(b));
  b.on("update", send(a));
  return {
    ...link,
    pause: () => {
      link.paused = true;
    },
    /** Delivers what was held back (the network comes back). */
    resume: () => {
      link.paused = false;
      for (const [to, u] of queued.splice(0)) Y.applyUpdate(to, u, "remote");
    },
  };
}

describe.each([1, 2] as const)("a note bound to its textarea (document layout %i)", (layout) => {
  it("moves the caret past text inserted or deleted before it, not after it", () => {
    expect(transformCaret(5, [{ insert: "abc" }])).toBe(8);
    expect(transformCaret(5, [{ retain: 5 }, { insert: "abc" }])).toBe(5);
    expect(transformCaret(5, [{ retain: 7 }, { insert: "abc" }])).toBe(5);
    expect(transformCaret(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
    expect(transformCaret(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
    expect(transformCaret(5, [{ retain: 2 }, { delete: 1 }, { insert: "xyz" }])).toBe(7);
  });

  it("shows a colleague's note at once, and focus and blur without typing erase nothing (the erased-note bug)", () => {
    const { a, b, updates } = tablets(layout);
    const owner = area();
    const packer = area();
    const ownerBinding = bindText({ doc: a, orderId: ID, field: "notes", area: owner, focused: () => true });
    const packerBinding = bindText({
      doc: b,
      orderId: ID,
      field: "notes",
      area: packer,
      focused: () => false,
    });
    owner.value = "Leave with neighbour at 12";
    ownerBinding.input();
    expect(packer.value).toBe("Leave with neighbour at 12");
    const before = updates.length;
    // The packer taps into Notes and out again: no input event, nothing written.
    expect(packerBinding.takeEdited()).toBe(false);
    expect(updates.length).toBe(before);
    expect(readOrder(a, ID)?.notes).toBe("Leave with neighbour at 12");
    ownerBinding.destroy();
    packerBinding.destroy();
  });

  it("keeps both people's words when they type at once, and the caret where its owner was typing", () => {
    const link = tablets(layout);
    const { a, b } = link;
    setWork(a, ID, { notes: "Fragile." });
    const owner = area();
    const packer = area();
    expect(readOrder(b, ID)?.notes).toBe("Fragile.");
    const ob = bindText({ doc: a, orderId: ID, field: "notes", area: owner, focused: () => true });
    const pb = bindText({ doc: b, orderId: ID, field: "notes", area: packer, focused: () => true });
    // The owner types at the end; the packer at the start.
    owner.value = "Fragile. Call first.";
    owner.sel = [20, 20];
    packer.value = "Glass! Fragile.";
    packer.sel = [6, 6];
    // Both type before either's edit reaches the other.
    link.pause();
    ob.input();
    pb.input();
    link.resume();
    expect(owner.value).toBe("Glass! Fragile. Call first.");
    expect(packer.value).toBe("Glass! Fragile. Call first.");
    // The owner's caret stays after "first." (moved on by the packer's 7 characters before it).
    expect(owner.sel).toEqual([27, 27]);
    // The packer's caret stays after "Glass!".
    expect(packer.sel).toEqual([6, 6]);
    ob.destroy();
    pb.destroy();
  });

  it("keeps both tablets' words when each types the order's first note offline, in both textareas", () => {
    const link = tablets(layout);
    const { a, b } = link;
    const owner = area();
    const packer = area();
    const ob = bindText({ doc: a, orderId: ID, field: "notes", area: owner, focused: () => true });
    const pb = bindText({ doc: b, orderId: ID, field: "notes", area: packer, focused: () => false });
    link.pause();
    for (const ch of "Call first.") {
      owner.value += ch;
      owner.sel = [owner.value.length, owner.value.length];
      ob.input();
    }
    packer.value = "Glass!";
    pb.input();
    link.resume();
    expect(owner.value).toBe(packer.value);
    expect(owner.value).toContain("Call first.");
    expect(owner.value).toContain("Glass!");
    expect(readOrder(a, ID)?.notes).toBe(owner.value);
    ob.destroy();
    pb.destroy();
  });

  // Plain-string notes exist only in layout 1 documents (a renewal into layout 2 carries them as text).
  if (layout === 1)
    it("turns an older order's plain-string note into text on the first edit, without losing it", () => {
      const doc = new Y.Doc();
      upsertOrders(doc, [makeOrder({ orderId: ID })], "import");
      doc.getMap("work").set(`${ID}/notes`, "old note");
      const t = area();
      const binding = bindText({ doc, orderId: ID, field: "notes", area: t, focused: () => true });
      expect(t.value).toBe("old note");
      t.value = "old note, checked";
      binding.input();
      expect(doc.getMap("work").get(`${ID}/notes`)).toBeInstanceOf(Y.Text);
      expect(readOrder(doc, ID)?.notes).toBe("old note, checked");
      expect(binding.takeEdited()).toBe(true);
      expect(binding.takeEdited()).toBe(false);
      binding.destroy();
    });
});
