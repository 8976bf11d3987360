// The shared print queue through a real room in workerd: two tablets claim the same labels at
// the same moment; the room confirms each label for exactly one of them, and both tablets agree.
import { claimLabels, claimVerdict, type LabelRef } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { connect, room, synced, waitFor } from "./sync-helpers.ts";

const labels: LabelRef[] = Array.from({ length: 20 }, (_, i) => ({
  orderId: `203-0000000-00001${String(i + 10)}`,
  trackingNumber: `GQ0000001${String(i + 10)}GB`,
}));

describe("the print queue in the room", { timeout: 60_000 }, () => {
  it("two tablets claiming the same 20 labels at once: each label is confirmed for one of them", async () => {
    const stub = room("print-claims");
    const a = connect(stub, { userId: "packer-a" });
    const b = connect(stub, { userId: "packer-b" });
    try {
      await Promise.all([synced(a), synced(b)]);
      const job = (jobId: string, device: string) => ({ jobId, device, by: device, reprint: false });
      // Neither has seen the other's claims when it makes its own.
      claimLabels(a.doc, job("A", "Bench 1"), labels, Date.now());
      claimLabels(b.doc, job("B", "Bench 2"), labels, Date.now());
      const decided = () =>
        labels.every(
          (l) =>
            claimVerdict(a.doc, "A", l) !== "waiting" &&
            claimVerdict(b.doc, "B", l) !== "waiting" &&
            claimVerdict(a.doc, "A", l) === claimVerdict(b.doc, "A", l),
        );
      await waitFor(decided, "the room to decide every claim");
      for (const l of labels) {
        const mine = [claimVerdict(a.doc, "A", l), claimVerdict(b.doc, "B", l)].filter((v) => v === "mine");
        expect(mine, l.orderId).toHaveLength(1);
      }
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it("a tablet cannot confirm its own claim: the room decides", async () => {
    const stub = room("print-claims-forged");
    const a = connect(stub, { userId: "packer-a" });
    const b = connect(stub, { userId: "packer-b" });
    try {
      await Promise.all([synced(a), synced(b)]);
      claimLabels(
        a.doc,
        { jobId: "A", device: "Bench 1", by: "a", reprint: false },
        labels.slice(0, 1),
        Date.now(),
      );
      await waitFor(() => claimVerdict(b.doc, "A", labels[0]!) === "mine", "the room's confirmation");
      // B writes a "confirmed" claim of its own over A's: the room puts A's back.
      b.doc.getMap("printQueue").set(`label/${labels[0]!.orderId}/${labels[0]!.trackingNumber}`, {
        jobId: "B",
        state: "claimed",
        device: "Bench 2",
        by: "b",
        at: Date.now(),
        confirmed: true,
      });
      await waitFor(() => claimVerdict(b.doc, "A", labels[0]!) === "mine", "the room to put A's claim back");
      expect(claimVerdict(a.doc, "B", labels[0]!)).toBe("theirs");
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});
