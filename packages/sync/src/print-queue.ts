// The team's print queue, in the live document, so every tablet sees what is printed and no
// two tablets print the same label by accident: the room decides who prints a label.
//
//   printQueue  `job/${jobId}`                        → PrintJob (which orders, which printer, who, when)
//               `label/${orderId}/${trackingNumber}`  → LabelPrint (claimed, printed or failed; by whom)
//
// A label is one order's label with one tracking number: a voided and re-bought label is a new
// label and prints again. Before a device sends a label to its printer it claims it (a label
// printed, or freshly claimed by another device, is skipped unless the job is an explicit
// reprint), then waits for the room's word: the room sees every device's claims in one order
// (`arbitratePrintClaims`, run on each device update) and confirms the first claim of a label,
// putting back the earlier claim or print over any later one. A device prints only the labels
// whose claim the room confirmed, so two tablets claiming the same label at the same moment, or
// one of them offline, never both print it. A claim left by a device that went away lapses
// after `CLAIM_TTL_MS`.

import type * as Y from "yjs";
import { jsonEqual } from "./equal.ts";
import { MAP } from "./schema.ts";

export const printQueueMap = (doc: Y.Doc) => doc.getMap<unknown>(MAP.printQueue);

/**
 * How long a device waits for the room to confirm its claims before saying it may be offline
 * (generous: a room busy buying a few hundred labels answers late, not never).
 */
export const CLAIM_CONFIRM_MS = 45_000;
/** A claim older than this, never marked printed or failed, is taken to be abandoned. */
export const CLAIM_TTL_MS = 120_000;

export interface PrintJob {
  jobId: string;
  orderIds: string[];
  /** The printer's name as the device shows it, e.g. "Zebra ZD421 (USB)". */
  printer: string;
  /** The device that prints this job (its session's device name). */
  device: string;
  /** Who asked for it. */
  by: string;
  createdAt: number;
  /** An explicit reprint: labels already printed are printed again. */
  reprint: boolean;
}

export type LabelPrintState = "claimed" | "printed" | "failed";

export interface LabelPrint {
  jobId: string;
  state: LabelPrintState;
  device: string;
  by: string;
  at: number;
  /** Why it failed, in words ("Printer unplugged"). */
  error?: string;
  /** A claim for an explicit reprint (may claim a label already printed). */
  reprint?: boolean;
  /** Set by the room alone: this claim is the one that prints the label. */
  confirmed?: boolean;
}

export interface LabelRef {
  orderId: string;
  trackingNumber: string;
}

export const labelKey = (l: LabelRef) => `label/${l.orderId}/${l.trackingNumber}`;
const jobKey = (jobId: string) => `job/${jobId}`;

export function writePrintJob(doc: Y.Doc, job: PrintJob, origin?: unknown): void {
  const map = printQueueMap(doc);
  if (jsonEqual(map.get(jobKey(job.jobId)), job)) return;
  doc.transact(() => map.set(jobKey(job.jobId), job), origin);
}

export function readPrintJob(doc: Y.Doc, jobId: string): PrintJob | undefined {
  return printQueueMap(doc).get(jobKey(jobId)) as PrintJob | undefined;
}

export function listPrintJobs(doc: Y.Doc): PrintJob[] {
  const out: PrintJob[] = [];
  for (const [key, value] of printQueueMap(doc).entries())
    if (key.startsWith("job/")) out.push(value as PrintJob);
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

export function readLabelPrint(doc: Y.Doc, label: LabelRef): LabelPrint | undefined {
  return printQueueMap(doc).get(labelKey(label)) as LabelPrint | undefined;
}

/** Why a label would be skipped by `device` now, in words; undefined when it may be printed. */
export function skipReason(
  current: LabelPrint | undefined,
  device: string,
  now: number,
  reprint: boolean,
): string | undefined {
  if (!current || reprint) return undefined;
  if (current.state === "printed") return `Already printed by ${current.device} (${current.by})`;
  if (current.state === "claimed" && current.device !== device && now - current.at < CLAIM_TTL_MS)
    return `Being printed by ${current.device} (${current.by})`;
  return undefined;
}

export interface ClaimResult {
  claimed: LabelRef[];
  /** Labels left out, with the reason. */
  skipped: { label: LabelRef; reason: string }[];
}

/** Claims the labels this device may print now for `job`, in one transaction. */
export function claimLabels(
  doc: Y.Doc,
  job: Pick<PrintJob, "jobId" | "device" | "by" | "reprint">,
  labels: readonly LabelRef[],
  now: number,
  origin?: unknown,
): ClaimResult {
  const map = printQueueMap(doc);
  const result: ClaimResult = { claimed: [], skipped: [] };
  doc.transact(() => {
    for (const label of labels) {
      const current = map.get(labelKey(label)) as LabelPrint | undefined;
      const reason = skipReason(current, job.device, now, job.reprint);
      if (reason) {
        result.skipped.push({ label, reason });
        continue;
      }
      const claim: LabelPrint = {
        jobId: job.jobId,
        state: "claimed",
        device: job.device,
        by: job.by,
        at: now,
      };
      map.set(labelKey(label), claim);
      result.claimed.push(label);
    }
  }, origin);
  return result;
}

/**
 * The room's word on this job's claim of `label`: "mine" (confirmed: print it), "theirs" (the
 * room kept another device's claim or print) or "waiting" (not decided yet).
 */
export function claimVerdict(doc: Y.Doc, jobId: string, label: LabelRef): "mine" | "theirs" | "waiting" {
  const current = readLabelPrint(doc, label);
  if (current?.jobId !== jobId) return "theirs";
  if (current.state !== "claimed") return "theirs"; // recorded already (a stop, or another run)
  return current.confirmed ? "mine" : "waiting";
}

/** Why `earlier` keeps the label from `incoming`'s device, or undefined when it does not. */
function blocks(earlier: LabelPrint | undefined, incoming: LabelPrint, now: number): boolean {
  if (!earlier || earlier.device === incoming.device) return false;
  if (earlier.state === "printed") return !incoming.reprint;
  if (earlier.state === "claimed") return now - earlier.at < CLAIM_TTL_MS;
  return false; // failed: anyone may try again
}

/**
 * The room's decision on label keys a device just wrote (`previous`: each key's value before
 * that device's update). A claim is confirmed unless an earlier claim or print by another
 * device holds the label, which is then put back. Run by the room after each device update, in
 * the order the room received them; devices cannot confirm their own claims.
 */
export function arbitratePrintClaims(
  doc: Y.Doc,
  changed: ReadonlyMap<string, unknown>,
  now: number,
  origin?: unknown,
): number {
  const map = printQueueMap(doc);
  let decided = 0;
  doc.transact(() => {
    for (const [key, before] of changed) {
      if (!key.startsWith("label/")) continue;
      const current = map.get(key) as LabelPrint | undefined;
      if (current?.state !== "claimed") continue;
      const previous = before as LabelPrint | undefined;
      if (blocks(previous, current, now)) map.set(key, previous);
      else if (!current.confirmed) map.set(key, { ...current, confirmed: true });
      decided++;
    }
  }, origin);
  return decided;
}

/** Records the printer's answer for a label this job claimed. */
export function recordLabelPrint(
  doc: Y.Doc,
  jobId: string,
  label: LabelRef,
  outcome: { state: "printed" } | { state: "failed"; error: string },
  meta: { device: string; by: string; at: number },
  origin?: unknown,
): void {
  const value: LabelPrint = { jobId, state: outcome.state, device: meta.device, by: meta.by, at: meta.at };
  if (outcome.state === "failed") value.error = outcome.error;
  doc.transact(() => printQueueMap(doc).set(labelKey(label), value), origin);
}

export interface JobProgress {
  printed: number;
  failed: number;
  claimed: number;
  /** orderId → the job's latest word on it. */
  byOrder: Record<string, LabelPrint>;
}

/** What a job has printed so far (labels printed by a later job count for that job). */
export function printJobProgress(doc: Y.Doc, jobId: string): JobProgress {
  const progress: JobProgress = { printed: 0, failed: 0, claimed: 0, byOrder: {} };
  for (const [key, value] of printQueueMap(doc).entries()) {
    if (!key.startsWith("label/")) continue;
    const print = value as LabelPrint;
    if (print.jobId !== jobId) continue;
    const orderId = key.slice(6, key.lastIndexOf("/"));
    progress.byOrder[orderId] = print;
    progress[print.state]++;
  }
  return progress;
}
