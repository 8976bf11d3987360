// Everything the labels web worker offers, as one plain object for comlink:
//   Comlink.expose(labelsWorkerApi)            (in the worker)
//   const labels = Comlink.wrap<LabelsWorkerApi>(worker)   (in the app)
// Results are Uint8Arrays; wrap them in Comlink.transfer(pdf, [pdf.buffer]) to avoid a copy.
// `renderLabelsInParts` calls back once per complete PDF part (pass Comlink.proxy(callback)),
// so the first labels can go to the printer while the rest are being made.
import type { Address, Order } from "@consign/domain";
import { type LabelData, labelDataFromOrder } from "./label-data.ts";
import { mergePdfs } from "./merge.ts";
import { renderPackingSlips } from "./packing-slip.ts";
import { buildPickList, renderPickList } from "./pick-list.ts";
import { type LabelChunk, type LabelChunkOptions, renderLabelChunks, renderLabels } from "./render-labels.ts";
import { toZpl, toZplBatch } from "./zpl.ts";

const WARM_UP_ADDRESS: Address = {
  name: "Consign",
  line1: "1 High Street",
  city: "Leeds",
  postcode: "LS1 1AA",
  countryCode: "GB",
};
const WARM_UP_LABEL: LabelData = {
  sender: WARM_UP_ADDRESS,
  recipient: WARM_UP_ADDRESS,
  serviceName: "Tracked 24",
  courierName: "Royal Mail",
  trackingNumber: "GQ660548056GB",
  orderId: "000-0000000-0000000",
};

export const labelsWorkerApi = {
  /** Renders one throwaway label so the first real print run starts with compiled code. */
  warmUp(): void {
    renderLabels([WARM_UP_LABEL]);
  },
  renderLabels,
  async renderLabelsInParts(
    labels: LabelData[],
    options: LabelChunkOptions,
    onPart: (part: LabelChunk) => void | Promise<void>,
  ): Promise<number> {
    let parts = 0;
    for (const part of renderLabelChunks(labels, options)) {
      await onPart(part);
      parts++;
    }
    return parts;
  },
  labelsFromOrders(orders: Order[], sender: Address): LabelData[] {
    return orders.map((o) => labelDataFromOrder(o, sender));
  },
  renderPackingSlips,
  renderPickList,
  buildPickList,
  toZpl,
  toZplBatch,
  mergePdfs,
};

export type LabelsWorkerApi = typeof labelsWorkerApi;
