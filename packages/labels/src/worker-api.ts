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
import { toZpl, toZplBatch } from "./zpl/label.ts";

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
  /**
   * Renders `count` throwaway labels so the JIT has compiled the hot paths before the first real
   * print run: call it once when the worker starts (about 0.2 s of idle time on a busy 2-core
   * machine; afterwards the first 50 labels of a run come out in a few ms instead of ~100 ms).
   */
  warmUp(count = 200): void {
    const labels: LabelData[] = [];
    for (let i = 0; i < count; i++) {
      const digits = String(10_000_000 + i * 7919).slice(-8);
      const trackingNumber =
        i % 3 === 0 ? `GQ${digits}0GB` : i % 3 === 1 ? `H0${digits}A12345` : `155${digits}123`;
      labels.push({
        ...WARM_UP_LABEL,
        trackingNumber,
        orderId: `203-${digits.slice(1)}-${digits.slice(0, 7)}`,
      });
    }
    for (const _ of renderLabelChunks(labels, { first: 50 })) {
      // discard
    }
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
