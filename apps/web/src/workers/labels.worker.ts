// The labels web worker: PDF and ZPL work stays off the main thread (and out of the initial bundle).
// Offers @consign/labels' worker API plus `composePrintRun`, which fetches each part's labels from the
// edge as one file (an order it leaves out on its own), puts them on the printer's sheets as
// print-ready parts (the first part small, so printing can start at once) and can be cancelled.

import type { Address, Order } from "@consign/domain";
import {
  type CustomsFormInput,
  type LabelLayout,
  labelDataFromOrder,
  labelsWorkerApi,
  mergePdfs,
  renderCustomsForms,
} from "@consign/labels";
import { expose, transfer } from "comlink";
import { labelsOnSheets, wholeSheets } from "../lib/print-sheets.ts";
import {
  type AssembledPart,
  assemblePart,
  DEFAULT_FETCH_POLICY,
  fetchLabelsFile,
  fetchOneLabel,
  inOrder,
  type LabelFetchPolicy,
  planParts,
  RateGate,
  realDeps,
} from "./print-run.ts";
import { printerApi } from "./printer-zpl.ts";

export interface PrintRunItem {
  orderId: string;
  order: Order;
  /** A parcel that leaves the domestic post: its CN22/CN23 is printed right after its label. */
  customs?: CustomsFormInput;
}
export interface PrintRunOptions {
  sender: Address;
  layout: LabelLayout;
  /** Labels in the first part (default 10), then parts of `chunkSize` (default 50). */
  first?: number;
  chunkSize?: number;
  /** Numbering of the first label (a retry of the missing labels continues after the parts made). */
  startAt?: number;
  /** How labels are fetched (concurrency, retries); the defaults keep within a device's rate limit. */
  fetchPolicy?: Partial<LabelFetchPolicy>;
}
export interface PrintProgress {
  /** Labels looked at so far (held + failed). */
  done: number;
  total: number;
  /** Labels the print file holds so far: the only ones any part contains. */
  held: number;
  /** orderId → why its label could not be added (it is in no part). */
  errors: Record<string, string>;
}
export interface PrintPart {
  pdf: Uint8Array;
  from: number;
  count: number;
  orderIds: string[];
}

const cancelled = new Set<string>();

/** The label, followed by its CN22/CN23 page when the parcel needs one. */
async function labelWithCustoms(
  item: PrintRunItem,
  getToken: () => Promise<string>,
  gate: RateGate,
  policy: LabelFetchPolicy,
): Promise<Uint8Array> {
  const init = async (): Promise<RequestInit> => ({
    headers: { authorization: `Bearer ${await getToken()}`, accept: "application/pdf" },
  });
  const label = await fetchOneLabel(item.orderId, init, realDeps, policy, gate);
  if (!item.customs) return label;
  return mergePdfs([label, renderCustomsForms([item.customs])]);
}

const api = {
  ...labelsWorkerApi,
  ...printerApi,

  cancel(jobId: string): void {
    cancelled.add(jobId);
  },

  async composePrintRun(
    jobId: string,
    items: PrintRunItem[],
    opts: PrintRunOptions,
    getToken: () => Promise<string>,
    onProgress: (p: PrintProgress) => void,
    onPart: (part: PrintPart) => void,
  ): Promise<"finished" | "cancelled"> {
    // Parts end on a whole sheet (A4 label stock is not wasted between parts).
    const first = wholeSheets(opts.first ?? 10, opts.layout);
    const chunk = wholeSheets(opts.chunkSize ?? 50, opts.layout);
    const startAt = opts.startAt ?? 0;
    const errors: Record<string, string> = {};
    let from = startAt;
    let done = 0;
    const policy = { ...DEFAULT_FETCH_POLICY, ...opts.fetchPolicy };
    const gate = new RateGate(realDeps);
    const init = async (): Promise<RequestInit> => ({
      headers: { authorization: `Bearer ${await getToken()}`, accept: "application/pdf" },
    });
    // Each part's file is asked for while the one before is put on sheets and handed over.
    const finished = await inOrder(
      planParts(items.length, first, chunk),
      policy.partsInFlight,
      async (range): Promise<AssembledPart> => {
        if (cancelled.has(jobId)) throw new Error("cancelled");
        const part = await assemblePart(
          items.slice(range.from, range.to),
          {
            file: (ids) => fetchLabelsFile(ids, init, realDeps, policy, gate),
            one: (item) => labelWithCustoms(item, getToken, gate, policy),
            merge: (documents) => mergePdfs(documents),
            alone: (item) => item.customs !== undefined,
          },
          policy.concurrency,
        );
        return part.pdf ? { ...part, pdf: await labelsOnSheets(part.pdf, opts.layout) } : part;
      },
      (range, result) => {
        // Cancelled: a part already made is still handed over (the packer can print it); no more.
        if (cancelled.has(jobId) && result.status === "rejected") return false;
        if (result.status === "fulfilled") {
          const part = result.value;
          Object.assign(errors, part.errors);
          if (part.pdf && part.orderIds.length) {
            onPart(
              transfer({ pdf: part.pdf, from, count: part.orderIds.length, orderIds: part.orderIds }, [
                part.pdf.buffer as ArrayBuffer,
              ]),
            );
            from += part.orderIds.length;
          }
        } else {
          const why = (result.reason as Error).message;
          for (const item of items.slice(range.from, range.to)) errors[item.orderId] = why;
        }
        done += range.to - range.from;
        onProgress({ done, total: items.length, held: from - startAt, errors });
        return !cancelled.has(jobId);
      },
    );
    if (!finished) {
      // Parts already handed over stay printable; nothing half-made is counted.
      cancelled.delete(jobId);
      return "cancelled";
    }
    return "finished";
  },

  pickList(orders: Order[]): Uint8Array {
    const pdf = labelsWorkerApi.renderPickList(orders);
    return transfer(pdf, [pdf.buffer as ArrayBuffer]);
  },

  packingSlips(orders: Order[], sellerName?: string): Uint8Array {
    const pdf = labelsWorkerApi.renderPackingSlips(orders, sellerName ? { sellerName } : {});
    return transfer(pdf, [pdf.buffer as ArrayBuffer]);
  },

  zplFor(orders: Order[], sender: Address): { zpl: string; errors: Record<string, string> } {
    const errors: Record<string, string> = {};
    const labels = [];
    for (const o of orders) {
      try {
        labels.push(labelDataFromOrder(o, sender));
      } catch (err) {
        errors[o.orderId] = (err as Error).message;
      }
    }
    return { zpl: labels.length ? labelsWorkerApi.toZplBatch(labels) : "", errors };
  },
};

export type LabelsWorker = typeof api;
expose(api);
