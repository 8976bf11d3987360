// Labels as ZPL for a thermal printer, in the labels worker. Always the courier's own label when
// the courier gave us one: its own ZPL where its API prints one (Amazon Shipping), sent as the
// courier wrote it; otherwise its PDF, rendered at the printer's dpi as a ZPL graphic. Consign's
// own label, as native ZPL, only for a shipment with no courier document stored. The formats we
// make carry a ^FX comment naming their order and tracking number, so a printer log (or a test)
// can tell which label is which.

import { type Address, activeShipment, type Order } from "@consign/domain";
import { type LabelData, labelDataFromOrder, type PrinterProfile, toZpl } from "@consign/labels";
import { pdfLabelsToZpl, pdfLabelToZpl, pdfTimings, readBackMode } from "./pdf-to-zpl.ts";
import { pdfsToBitmapsOnEveryCore } from "./render-pool.ts";

export interface PrinterLabel {
  orderId: string;
  trackingNumber: string;
  zpl: string;
  /**
   * "courier-zpl": the courier's own ZPL, unchanged; "courier": the courier's PDF drawn at the
   * printer's dpi; "consign": drawn by Consign (no courier document stored).
   */
  source: "courier-zpl" | "courier" | "consign";
}

export interface PrinterBatch {
  labels: PrinterLabel[];
  /** orderId → why no label could be made, in words. */
  errors: Record<string, string>;
}

const tag = (zpl: string, orderId: string, trackingNumber: string) =>
  zpl.replace("^XA\n", `^XA\n^FXConsign order ${orderId} label ${trackingNumber}^FS\n`);

/**
 * The courier's label for a printer with this profile: its own ZPL where its API gives one (the
 * edge asks the courier at the printer's dpi), otherwise its PDF; null when no courier document
 * is stored.
 */
async function courierLabel(
  orderId: string,
  token: string,
  profile: PrinterProfile,
): Promise<{ zpl: string } | { pdf: Uint8Array } | null> {
  const res = await fetch(`/api/v1/orders/${encodeURIComponent(orderId)}/label?printer=zpl${profile.dpi}`, {
    headers: { authorization: `Bearer ${token}`, accept: "application/zpl, application/pdf" },
  });
  if (res.ok) {
    if ((res.headers.get("content-type") ?? "").startsWith("application/zpl"))
      return { zpl: await res.text() };
    return { pdf: new Uint8Array(await res.arrayBuffer()) };
  }
  if (res.status === 404) {
    // No courier document: drawn by Consign only if the room says the order still has an active
    // label (this device's copy may not know yet that another tablet voided it).
    const room = await fetch(`/api/v1/documents/labels.pdf?orderIds=${encodeURIComponent(orderId)}`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/pdf" },
    });
    if (room.ok && room.headers.get("consign-labels-included") === "1") return null;
    if (!room.ok && room.status !== 404)
      throw new Error(
        `Could not ask Consign whether the label is still active (HTTP ${room.status}): try again.`,
      );
    let why = "no label bought (or it was voided): buy a label first";
    try {
      const body = (await room.json()) as { error?: { fields?: { message?: string }[] } };
      why = body.error?.fields?.[0]?.message ?? why;
    } catch {
      // keep the words above
    }
    throw new Error(`No label to print: ${why}.`);
  }
  let message = `the label server answered ${res.status}`;
  try {
    message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // keep the status
  }
  throw new Error(`Could not fetch the courier's label: ${message}.`);
}

export const printerApi = {
  /** ZPL for each order's active label, in the order given; failures named per order. */
  async zplForPrinter(
    orders: Order[],
    profile: PrinterProfile,
    sender: Address,
    getToken: () => Promise<string>,
  ): Promise<PrinterBatch> {
    const batch: PrinterBatch = { labels: [], errors: {} };
    const made: {
      order: Order;
      trackingNumber: string;
      doc: Awaited<ReturnType<typeof courierLabel>>;
    }[] = [];
    for (const order of orders) {
      try {
        const shipment = activeShipment(order);
        if (!shipment) throw new Error("No label bought yet (or it was voided): buy a label first.");
        made.push({
          order,
          trackingNumber: shipment.trackingNumber,
          doc: await courierLabel(order.orderId, await getToken(), profile),
        });
      } catch (err) {
        batch.errors[order.orderId] = (err as Error).message;
      }
    }
    // The batch's courier PDFs are drawn together (one document for pdf.js, fonts loaded once).
    const withPdf = made.flatMap((m) =>
      m.doc && "pdf" in m.doc ? [{ orderId: m.order.orderId, pdf: m.doc.pdf }] : [],
    );
    const drawn = await pdfLabelsToZpl(
      withPdf.map((m) => m.pdf),
      profile,
      pdfsToBitmapsOnEveryCore,
    );
    const drawnOf = new Map(withPdf.map((m, i) => [m.orderId, drawn[i]]));
    for (const { order, trackingNumber, doc } of made) {
      try {
        if (doc && "zpl" in doc) {
          // The courier's own ZPL goes to the printer as the courier wrote it.
          batch.labels.push({ orderId: order.orderId, trackingNumber, zpl: doc.zpl, source: "courier-zpl" });
          continue;
        }
        const courierZpl = drawnOf.get(order.orderId);
        if (courierZpl instanceof Error)
          throw new Error(
            `The courier's label could not be drawn for the printer (${courierZpl.message}): print it as PDF, or download it again.`,
          );
        const zpl = courierZpl ?? toZpl(labelDataFromOrder(order, sender), profile);
        batch.labels.push({
          orderId: order.orderId,
          trackingNumber,
          zpl: tag(zpl, order.orderId, trackingNumber),
          source: doc ? "courier" : "consign",
        });
      } catch (err) {
        batch.errors[order.orderId] = (err as Error).message;
      }
    }
    return batch;
  },

  /** A PDF label (bytes) as ZPL: the courier path on its own, for tests and the benchmark. */
  pdfLabelToZpl,

  /** Several PDF labels as ZPL, drawn as a run draws them (one document, pages in flight): for tests. */
  async pdfLabelsToZpl(pdfs: Uint8Array[], profile: PrinterProfile): Promise<string[]> {
    return (await pdfLabelsToZpl(pdfs, profile, pdfsToBitmapsOnEveryCore)).map((z) => {
      if (z instanceof Error) throw z;
      return z;
    });
  },

  /** Our own labels as ZPL bytes ready for the printer (the benchmark's measure). */
  ownLabelsToZplBytes(labels: LabelData[], profile: PrinterProfile): Uint8Array {
    const encoder = new TextEncoder();
    return encoder.encode(labels.map((l) => toZpl(l, profile)).join(""));
  },

  /** Where pdf.js time went, summed (the benchmark prints it). */
  pdfTimings(): typeof pdfTimings & { readBack: string } {
    return { ...pdfTimings, readBack: readBackMode() };
  },

  /**
   * Courier PDFs as ZPL bytes (the benchmark's measure), drawn in batches of ten as a run to the
   * printer draws them (runDirectPrint's batch size).
   */
  async pdfLabelsToZplBytes(pdfs: Uint8Array[], profile: PrinterProfile): Promise<Uint8Array> {
    const parts: string[] = [];
    for (let at = 0; at < pdfs.length; at += 10) {
      for (const z of await pdfLabelsToZpl(pdfs.slice(at, at + 10), profile, pdfsToBitmapsOnEveryCore)) {
        if (z instanceof Error) throw z;
        parts.push(z);
      }
    }
    return new TextEncoder().encode(parts.join(""));
  },
};
