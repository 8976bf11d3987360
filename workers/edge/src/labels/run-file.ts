// One PDF of many labels: a whole label run (GET /api/v1/labels/runs/{runId}/labels.pdf) or any
// orders (GET /api/v1/documents/labels.pdf, a print part at a time): every label in the order
// given, each as the courier issued it or, where the courier sent none, drawn by @consign/labels
// from the shipment. Orders without a label are named, not silently left out, so an integrator can
// tell the file is short. The room collects the documents; the Worker answering merges them.
import { type Address, activeShipment, type Order } from "@consign/domain";
import { labelDataFromOrder, mergePdfs, renderLabels } from "@consign/labels";

/**
 * Why an order's label is not in a file, for a program to act on: `no_label` (the room holds no
 * active label for it: none bought, or voided; asking again changes nothing until one is bought),
 * `not_live` (not in the live list: unknown, or archived), `unreadable` (the stored document is not
 * a PDF), `failed` (it could not be read or drawn just now: asking again may give it).
 */
export type MissingCode = "no_label" | "not_live" | "unreadable" | "failed";
export interface MissingLabel {
  orderId: string;
  reason: string;
  code: MissingCode;
}

export interface RunFile {
  pdf: Uint8Array;
  /** Orders whose label is in the file, in order. */
  included: string[];
  /** Orders of the run without a label in the file, with why. */
  missing: MissingLabel[];
}

/** Each order's label document, unmerged, in the order given; orders without one named with why. */
export interface LabelDocuments {
  documents: { orderId: string; pdf: Uint8Array }[];
  missing: MissingLabel[];
}

export interface LabelSource {
  order(orderId: string): Order | undefined;
  courierPdf(orderId: string): Promise<Uint8Array | undefined>;
  sender: Address | undefined;
}

/**
 * Every label of these orders as the courier issued it or, where the courier sent none, drawn by
 * @consign/labels from the shipment. Not merged: the room hands them over and the Worker that
 * answers merges them, so a big file never holds the seller's room (one thread) while it is made.
 */
export async function collectLabels(orderIds: readonly string[], deps: LabelSource): Promise<LabelDocuments> {
  const documents: LabelDocuments["documents"] = [];
  const missing: LabelDocuments["missing"] = [];
  for (const orderId of orderIds) {
    const order = deps.order(orderId);
    if (!order || !activeShipment(order)) {
      missing.push(
        order
          ? { orderId, reason: "no label bought (or it was voided)", code: "no_label" }
          : { orderId, reason: "not in the live list", code: "not_live" },
      );
      continue;
    }
    try {
      const courier = await deps.courierPdf(orderId);
      if (courier) documents.push({ orderId, pdf: courier });
      else if (deps.sender)
        documents.push({
          orderId,
          pdf: renderLabels([labelDataFromOrder(order, deps.sender)], { layout: "4x6" }),
        });
      else throw new Error("no courier document and no sender address to draw the label with");
    } catch (e) {
      missing.push({ orderId, reason: (e as Error).message, code: "failed" });
    }
  }
  return { documents, missing };
}

/**
 * The documents merged into one PDF in their order. A document that is not a readable PDF is
 * left out and named in `missing` (the others are still merged), never a file short without saying.
 */
export async function mergeLabels(collected: LabelDocuments): Promise<RunFile> {
  const missing = [...collected.missing];
  try {
    return {
      pdf: collected.documents.length
        ? await mergePdfs(collected.documents.map((d) => d.pdf))
        : new Uint8Array(),
      included: collected.documents.map((d) => d.orderId),
      missing,
    };
  } catch {
    // One unreadable document: find it by merging one at a time, and merge the readable ones.
    const readable: { orderId: string; pdf: Uint8Array }[] = [];
    for (const d of collected.documents) {
      try {
        await mergePdfs([d.pdf]);
        readable.push(d);
      } catch {
        missing.push({
          orderId: d.orderId,
          reason: "the stored label is not a readable PDF: download it from the courier again",
          code: "unreadable",
        });
      }
    }
    return {
      pdf: readable.length ? await mergePdfs(readable.map((d) => d.pdf)) : new Uint8Array(),
      included: readable.map((d) => d.orderId),
      missing,
    };
  }
}
