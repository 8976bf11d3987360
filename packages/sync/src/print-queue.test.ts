import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { removeOrders } from "./archive.ts";
import {
  CLAIM_TTL_MS,
  claimLabels,
  holdsClaim,
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

  it("two tablets claiming the same labels at once: once both have each other's claims, each label has one holder", () => {
    const a = createConsignDoc({ clientID: 1 });
    const b = createConsignDoc({ clientID: 2 });
    claimLabels(a, job("A", "Bench 1"), labels, 1_000);
    claimLabels(b, job("B", "Bench 2"), labels, 1_000);
    sync(a, b);
    for (const l of labels) {
      const holders = [holdsClaim(a, "A", l), holdsClaim(b, "B", l)].filter(Boolean);
      expect(holders).toHaveLength(1);
      // Both documents agree on the holder.
      expect(holdsClaim(a, "A", l)).toBe(holdsClaim(b, "A", l));
    }
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
