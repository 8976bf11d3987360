// One PDF for a whole label run (GET /api/v1/labels/runs/{runId}/labels.pdf): every label the run
// has (bought now or before), in the run's order, each as the courier issued it or, where the
// courier sent none, drawn by @consign/labels from the shipment. Orders without a label are named,
// not silently left out, so an integrator can tell the file is short.
import { type Address, activeShipment, type Order } from "@consign/domain";
import { labelDataFromOrder, mergePdfs, renderLabels } from "@consign/labels";

export interface RunFile {
  pdf: Uint8Array;
  /** Orders whose label is in the file, in order. */
  included: string[];
  /** Orders of the run without a label in the file, with why. */
  missing: { orderId: string; reason: string }[];
}

export async function runLabelsFile(
  orderIds: readonly string[],
  deps: {
    order(orderId: string): Order | undefined;
    courierPdf(orderId: string): Promise<Uint8Array | undefined>;
    sender: Address | undefined;
  },
): Promise<RunFile> {
  const parts: Uint8Array[] = [];
  const included: string[] = [];
  const missing: RunFile["missing"] = [];
  for (const orderId of orderIds) {
    const order = deps.order(orderId);
    if (!order || !activeShipment(order)) {
      missing.push({
        orderId,
        reason: order ? "no label bought (or it was voided)" : "not in the live list",
      });
      continue;
    }
    try {
      const courier = await deps.courierPdf(orderId);
      if (courier) parts.push(courier);
      else if (deps.sender)
        parts.push(renderLabels([labelDataFromOrder(order, deps.sender)], { layout: "4x6" }));
      else throw new Error("no courier document and no sender address to draw the label with");
      included.push(orderId);
    } catch (e) {
      missing.push({ orderId, reason: (e as Error).message });
    }
  }
  return { pdf: parts.length ? await mergePdfs(parts) : new Uint8Array(), included, missing };
}
