import { describe, expect, it } from "vitest";
import { PendingEdits } from "./pending-edits.ts";

function storage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    m,
  };
}

describe("edits kept until the worker has them on the device", () => {
  it("keeps each edit sent until it is confirmed, for the next page to send again, per seller", () => {
    const s = storage();
    const a = new PendingEdits("consign.pending-edits.v1:S1", s);
    a.add({ id: "e1", device: "Bench", edit: { kind: "hold", orderId: "A", by: "Sam" } });
    a.add({ id: "e2", edit: { kind: "release", orderId: "B", by: "Sam" } });
    // The page closed before the worker answered: the next page finds both.
    const next = new PendingEdits("consign.pending-edits.v1:S1", s);
    expect(next.all().map((p) => p.id)).toEqual(["e1", "e2"]);
    expect(new PendingEdits("consign.pending-edits.v1:S2", s).all()).toEqual([]);
    next.done("e1");
    expect(a.all().map((p) => p.id)).toEqual(["e2"]);
    next.done("e2");
    expect(s.m.size).toBe(0);
  });

  it("reads a damaged record as nothing kept", () => {
    const s = storage();
    s.setItem("k", "{not json");
    expect(new PendingEdits("k", s).all()).toEqual([]);
    s.setItem("k", '{"id":1}');
    expect(new PendingEdits("k", s).all()).toEqual([]);
  });
});
