import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { removeOrders } from "./archive.ts";
import {
  arbitratePrintClaims,
  CLAIM_TTL_MS,
  claimLabels,
  claimVerdict,
  type LabelPrint,
  listPrintJobs,
  type PrintJob,
  printJobProgress,
  printQueueMap,
  recordLabelPrint,
  writePrintJob,
} from "./print-queue.ts";
import { rebaseDocument } from "./rebase.ts";
import { createConsignDoc } from "./schema.ts";

const labels = [
  { orderId: "203-1", trackingNumber: "GQ000000001GB" },
  { orderId: "203-2", trackingNumber: "GQ000000002GB" },
  { orderId: "203-3", trackingNumber: "GQ000000003GB" },
];
const job = (jobId: string, device: string, reprint = false): PrintJob => ({
  jobId,
  orderIds: labels.map((l) => l.orderId),
  printer: "Zebra ZD421",
  device,
  by: device === "Bench 1" ? "Ana" : "Ben",
  createdAt: 1_000,
  reprint,
});

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe("the shared print queue", () => {
  it("a second tablet skips labels the first printed, saying who printed them", () => {
    const a = createConsignDoc();
    const b = createConsignDoc();
    const jobA = job("A", "Bench 1");
    writePrintJob(a, jobA);
    const claimA = claimLabels(a, jobA, labels, 2_000);
    expect(claimA.claimed).toHaveLength(3);
    for (const l of claimA.claimed)
      recordLabelPrint(a, "A", l, { state: "printed" }, { device: "Bench 1", by: "Ana", at: 2_100 });
    sync(a, b);
    const claimB = claimLabels(b, job("B", "Bench 2"), labels, 3_000);
    expect(claimB.claimed).toEqual([]);
    expect(claimB.skipped.map((s) => s.reason)).toEqual(Array(3).fill("Already printed by Bench 1 (Ana)"));
    expect(listPrintJobs(b).map((j) => j.jobId)).toEqual(["A"]);
  });

  it("an explicit reprint prints them again", () => {
    const a = createConsignDoc();
    for (const l of labels)
      recordLabelPrint(a, "A", l, { state: "printed" }, { device: "Bench 1", by: "Ana", at: 1 });
    expect(claimLabels(a, job("R", "Bench 2", true), labels, 5).claimed).toHaveLength(3);
  });

  it("two tablets claiming the same labels at once: the room confirms the first it hears, the other tablet gets none", () => {
    const room = createConsignDoc({ clientID: 100 });
    const a = createConsignDoc({ clientID: 1 });
    const b = createConsignDoc({ clientID: 2 });
    const changes = (doc: Y.Doc, update: Uint8Array) => {
      // What the room does with a device's update: note each label key's value before, apply, decide.
      const before = new Map<string, unknown>();
      const map = printQueueMap(doc);
      const observer = (e: Y.YMapEvent<unknown>) => {
        for (const [key, change] of e.changes.keys) before.set(key, change.oldValue);
      };
      map.observe(observer);
      Y.applyUpdate(doc, update, "device");
      map.unobserve(observer);
      arbitratePrintClaims(doc, before, 1_500, "room");
    };
    const updateOf = (doc: Y.Doc, fn: () => void) => {
      const sv = Y.encodeStateVector(room);
      fn();
      return Y.encodeStateAsUpdate(doc, sv);
    };
    // Both claim before either hears of the other; B's update reaches the room first.
    const fromA = updateOf(a, () => claimLabels(a, job("A", "Bench 1"), labels, 1_000));
    const fromB = updateOf(b, () => claimLabels(b, job("B", "Bench 2"), labels, 1_000));
    changes(room, fromB);
    changes(room, fromA);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(room));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(room));
    for (const l of labels) {
      expect(claimVerdict(b, "B", l)).toBe("mine");
      expect(claimVerdict(a, "A", l)).toBe("theirs");
    }
  });

  it("a device cannot confirm its own claim; the room puts a print back over a late claim", () => {
    const room = createConsignDoc();
    recordLabelPrint(room, "A", labels[0]!, { state: "printed" }, { device: "Bench 1", by: "Ana", at: 1 });
    const printed = printQueueMap(room).get("label/203-1/GQ000000001GB");
    const forged: LabelPrint = {
      jobId: "B",
      state: "claimed",
      device: "Bench 2",
      by: "Ben",
      at: 2,
      confirmed: true,
    };
    printQueueMap(room).set("label/203-1/GQ000000001GB", forged);
    arbitratePrintClaims(room, new Map([["label/203-1/GQ000000001GB", printed]]), 3);
    expect(claimVerdict(room, "B", labels[0]!)).toBe("theirs");
    expect(claimVerdict(room, "A", labels[0]!)).toBe("theirs"); // printed, not a claim
    expect((printQueueMap(room).get("label/203-1/GQ000000001GB") as LabelPrint).state).toBe("printed");
  });

  it("a label claimed by another tablet is left to it, until the claim lapses", () => {
    const a = createConsignDoc();
    claimLabels(a, job("A", "Bench 1"), labels.slice(0, 1), 1_000);
    expect(claimLabels(a, job("B", "Bench 2"), labels.slice(0, 1), 2_000).skipped[0]?.reason).toBe(
      "Being printed by Bench 1 (Ana)",
    );
    expect(
      claimLabels(a, job("B", "Bench 2"), labels.slice(0, 1), 1_000 + CLAIM_TTL_MS).claimed,
    ).toHaveLength(1);
  });

  it("a failed label (printer unplugged) is claimed again by the next run, and progress counts it", () => {
    const a = createConsignDoc();
    const j = job("A", "Bench 1");
    claimLabels(a, j, labels, 1);
    recordLabelPrint(a, "A", labels[0]!, { state: "printed" }, { device: "Bench 1", by: "Ana", at: 2 });
    recordLabelPrint(
      a,
      "A",
      labels[1]!,
      { state: "failed", error: "Printer unplugged" },
      { device: "Bench 1", by: "Ana", at: 3 },
    );
    expect(printJobProgress(a, "A")).toMatchObject({ printed: 1, failed: 1, claimed: 1 });
    expect(printJobProgress(a, "A").byOrder["203-2"]?.error).toBe("Printer unplugged");
    const again = claimLabels(a, { ...j, jobId: "A2" }, labels, 4);
    expect(again.claimed.map((l) => l.orderId)).toEqual(["203-2", "203-3"]);
  });

  it("survives a rebase, and goes with its orders when they are archived", () => {
    const a = createConsignDoc();
    writePrintJob(a, job("A", "Bench 1"));
    recordLabelPrint(a, "A", labels[0]!, { state: "printed" }, { device: "Bench 1", by: "Ana", at: 2 });
    const fresh = rebaseDocument(a, "g2");
    expect(printQueueMap(fresh).size).toBe(2);
    removeOrders(a, ["203-1", "203-2", "203-3"]);
    expect(printQueueMap(a).size).toBe(0);
  });
});
