// One run of labels straight to this tablet's printer, through the team's print queue:
// claim a batch of labels in the live document, wait for the room to confirm the claims (it
// confirms each label for one device only, so a tablet claiming the same labels at the same
// moment gets none of them), make the ZPL in the labels worker, then for each label: ask the printer if it can print (out of labels,
// paused, head open stop the run before a label is lost), send it, and only when the printer
// has taken it record it printed and mark the order printed (which is what confirm-on-print
// waits for). A stop leaves the labels not sent as failed, so Resume picks up exactly those.
// The queue is the document's wherever it lives (./print-claims.ts): on this page, or in the document worker.

import { activeShipment, type Order } from "@consign/domain";
import { CLAIM_CONFIRM_MS, type LabelRef, type PrintJob } from "@consign/sync";
import type * as Y from "yjs";
import { printQueueOf } from "./print-claims.ts";
import { PrinterError } from "./usb-printer.ts";

export interface LabelPrinter {
  readonly name: string;
  /** Throws a PrinterError in words when the printer cannot print now. */
  ready(): Promise<void>;
  send(zpl: string): Promise<void>;
}

export type ZplMaker = (orders: Order[]) => Promise<{
  labels: { orderId: string; trackingNumber: string; zpl: string }[];
  errors: Record<string, string>;
}>;

export interface DirectPrintProgress {
  total: number;
  printed: number;
  /** orderId → why it was left out (already printed, another tablet has it). */
  skipped: Record<string, string>;
  /** orderId → why it did not print. */
  failed: Record<string, string>;
  /** What the tablet is doing, in words. */
  doing: string;
}

export interface DirectPrintResult extends DirectPrintProgress {
  /** Set when the run stopped before the end: what to do, in words. */
  stopped?: string;
}

export interface DirectPrintDeps {
  doc: Y.Doc;
  printer: LabelPrinter;
  makeZpl: ZplMaker;
  device: string;
  by: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (p: DirectPrintProgress) => void;
  /** True while the run should go on (a Stop button makes it false). */
  keepGoing?: () => boolean;
  batchSize?: number;
  /** How long to wait for the room's confirmation (default CLAIM_CONFIRM_MS). */
  confirmWithinMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runDirectPrint(
  job: Omit<PrintJob, "orderIds" | "device" | "by" | "createdAt" | "printer">,
  orders: readonly Order[],
  deps: DirectPrintDeps,
): Promise<DirectPrintResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const keepGoing = deps.keepGoing ?? (() => true);
  const { printer, device, by } = deps;
  const queue = printQueueOf(deps.doc);
  const full: PrintJob = {
    ...job,
    orderIds: orders.map((o) => o.orderId),
    printer: printer.name,
    device,
    by,
    createdAt: now(),
  };
  await queue.writeJob(full);
  const progress: DirectPrintResult = {
    total: orders.length,
    printed: 0,
    skipped: {},
    failed: {},
    doing: "",
  };
  const report = (doing: string) => {
    progress.doing = doing;
    deps.onProgress?.({ ...progress, skipped: { ...progress.skipped }, failed: { ...progress.failed } });
  };
  const meta = () => ({ device, by, at: now() });
  const fail = (ref: LabelRef, error: string) => {
    queue.record({ jobId: job.jobId, label: ref, outcome: { state: "failed", error }, meta: meta() });
    progress.failed[ref.orderId] = error;
  };

  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const refs: LabelRef[] = [];
  for (const o of orders) {
    const shipment = activeShipment(o);
    if (shipment) refs.push({ orderId: o.orderId, trackingNumber: shipment.trackingNumber });
    else progress.skipped[o.orderId] = "No label bought yet (or it was voided)";
  }

  const size = deps.batchSize ?? 10;
  for (let at = 0; at < refs.length; at += size) {
    report(`Printing on ${printer.name}: ${progress.printed} of ${progress.total} labels`);
    const claim = await queue.claim(full, refs.slice(at, at + size), now());
    for (const s of claim.skipped) progress.skipped[s.label.orderId] = s.reason;
    if (claim.claimed.length === 0) continue;
    report(`Waiting for the print queue to confirm ${claim.claimed.length} labels…`);
    const waitUntil = now() + (deps.confirmWithinMs ?? CLAIM_CONFIRM_MS);
    let verdicts = await queue.verdicts(job.jobId, claim.claimed);
    while (verdicts.includes("waiting") && now() < waitUntil) {
      await sleep(25);
      verdicts = await queue.verdicts(job.jobId, claim.claimed);
    }
    if (verdicts.includes("waiting")) {
      progress.stopped =
        "The print queue did not confirm these labels: this tablet may be offline. Check its connection, then Resume (nothing was printed twice).";
      report(progress.stopped);
      return progress;
    }
    const held = claim.claimed.filter((ref, i) => {
      if (verdicts[i] === "mine") return true;
      progress.skipped[ref.orderId] = "Printed by another tablet";
      return false;
    });
    const batch = await deps.makeZpl(held.map((r) => byId.get(r.orderId) as Order));
    const zplOf = new Map(batch.labels.map((l) => [l.orderId, l.zpl]));
    for (let i = 0; i < held.length; i++) {
      const ref = held[i] as LabelRef;
      const zpl = zplOf.get(ref.orderId);
      if (!zpl) {
        fail(ref, batch.errors[ref.orderId] ?? "No label could be made for this order.");
        continue;
      }
      let stop: string | undefined;
      if (!keepGoing()) stop = "Stopped. Resume prints the labels not printed yet.";
      else {
        try {
          await printer.ready();
          await printer.send(zpl);
        } catch (err) {
          stop = err instanceof PrinterError ? err.message : `The printer failed: ${(err as Error).message}`;
        }
      }
      if (stop) {
        // Everything this run still holds is left for Resume (failed labels are claimable again).
        const rest = [...held.slice(i), ...refs.slice(at + size)];
        const restVerdicts = await queue.verdicts(job.jobId, rest);
        rest.forEach((r, k) => {
          if (r === ref || restVerdicts[k] === "mine") fail(r, stop);
        });
        progress.stopped = stop;
        report(stop);
        return progress;
      }
      queue.record({ jobId: job.jobId, label: ref, outcome: { state: "printed" }, meta: meta() });
      progress.printed++;
      report(`Printing on ${printer.name}: ${progress.printed} of ${progress.total} labels`);
    }
  }
  const left = Object.keys(progress.skipped).length;
  const failed = Object.keys(progress.failed).length;
  report(
    `Printed ${progress.printed} label${progress.printed === 1 ? "" : "s"} on ${printer.name}` +
      (left ? ` · ${left} left out` : "") +
      (failed ? ` · ${failed} failed` : ""),
  );
  return progress;
}
