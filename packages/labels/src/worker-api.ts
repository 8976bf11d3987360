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

export const labelsWorkerApi = {
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
