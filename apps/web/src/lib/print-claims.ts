// The team's print queue as a run straight to the printer (./direct-print.ts) sees it: a job written, labels
// claimed, the room's word on each claim, and the printer's answer for each label recorded (a printed label
// also marks its order printed, which is what confirm-on-print waits for). On a page that holds the document
// these are the document's own functions; on a page served by the document worker (./doc-link.ts) the same
// functions run there: the page asks (./doc-messages.ts "print", answered by "print-answer") and the printer's
// answers go as edits, kept until the worker says they are on the device (./edits.ts "labelPrint").

import {
  type ClaimResult,
  claimLabels,
  claimVerdict,
  type LabelRef,
  type PrintJob,
  recordLabelPrint,
  writePrintJob,
} from "@consign/sync";
import type * as Y from "yjs";
import { applyOrderAction } from "./doc.ts";

export type Verdict = ReturnType<typeof claimVerdict>;
export type ClaimingJob = Pick<PrintJob, "jobId" | "device" | "by" | "reprint">;

/** The printer's answer for one label a job claimed. */
export interface LabelOutcome {
  jobId: string;
  label: LabelRef;
  outcome: { state: "printed" } | { state: "failed"; error: string };
  meta: { device: string; by: string; at: number };
}

/** What a page asks the document worker about the print queue (answered with `PrintAnswer<ask>`). */
export type PrintAsk =
  | { op: "job"; job: PrintJob }
  | { op: "claim"; job: ClaimingJob; labels: LabelRef[]; now: number }
  | { op: "verdicts"; jobId: string; labels: LabelRef[] };

export interface PrintQueue {
  writeJob(job: PrintJob): Promise<void>;
  claim(job: ClaimingJob, labels: readonly LabelRef[], now: number): Promise<ClaimResult>;
  /** The room's word on each of this job's claims, in the order asked. */
  verdicts(jobId: string, labels: readonly LabelRef[]): Promise<Verdict[]>;
  /** Records the printer's answer (not waited for: it is on its way to the document, in order). */
  record(print: LabelOutcome): void;
}

/** Records a label's answer in `doc`; a printed label marks its order printed (if it still can be). */
export function recordOutcome(doc: Y.Doc, print: LabelOutcome): void {
  recordLabelPrint(doc, print.jobId, print.label, print.outcome, print.meta, "local");
  if (print.outcome.state !== "printed") return;
  try {
    applyOrderAction(
      doc,
      print.label.orderId,
      { type: "printed" },
      { at: print.meta.at, by: print.meta.by },
      "local",
    );
  } catch {
    // printed before, or moved on (dispatched): the label is printed all the same
  }
}

/** Answers a page's ask from the document (in the document worker, or on the page itself). */
export function answerPrintAsk(doc: Y.Doc, ask: PrintAsk): ClaimResult | Verdict[] | null {
  switch (ask.op) {
    case "job":
      writePrintJob(doc, ask.job, "local");
      return null;
    case "claim":
      return claimLabels(doc, ask.job, ask.labels, ask.now, "local");
    case "verdicts":
      return ask.labels.map((label) => claimVerdict(doc, ask.jobId, label));
  }
}

/** The print queue in a document this page holds. */
export function docPrintQueue(doc: Y.Doc): PrintQueue {
  return {
    writeJob: async (job) => void answerPrintAsk(doc, { op: "job", job }),
    claim: async (job, labels, now) =>
      answerPrintAsk(doc, { op: "claim", job, labels: [...labels], now }) as ClaimResult,
    verdicts: async (jobId, labels) =>
      answerPrintAsk(doc, { op: "verdicts", jobId, labels: [...labels] }) as Verdict[],
    record: (print) => recordOutcome(doc, print),
  };
}

/** The print queue of a document held by the document worker: `ask` goes there, `record` as an edit. */
export function remotePrintQueue(
  ask: (ask: PrintAsk) => Promise<unknown>,
  record: (print: LabelOutcome) => void,
): PrintQueue {
  return {
    writeJob: async (job) => void (await ask({ op: "job", job })),
    claim: async (job, labels, now) =>
      (await ask({ op: "claim", job, labels: [...labels], now })) as ClaimResult,
    verdicts: async (jobId, labels) =>
      (await ask({ op: "verdicts", jobId, labels: [...labels] })) as Verdict[],
    record,
  };
}

/** The pages' copies whose print queue is the document worker's (./doc-link.ts registers them). */
const remote = new WeakMap<Y.Doc, PrintQueue>();
export function printQueueRemotely(doc: Y.Doc, queue: PrintQueue): void {
  remote.set(doc, queue);
}

/** The print queue a run on this page uses for `doc`. */
export function printQueueOf(doc: Y.Doc): PrintQueue {
  return remote.get(doc) ?? docPrintQueue(doc);
}
