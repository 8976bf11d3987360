export { type Code128, code128Checksum, encodeCode128 } from "./barcode/code128.ts";
export { type DataMatrix, encodeDataMatrix } from "./barcode/datamatrix.ts";
export { reedSolomon } from "./barcode/reed-solomon.ts";
export { type CustomsFormInput, renderCustomsForms } from "./customs-form.ts";
export {
  COURIER_NAMES,
  checkLabelData,
  type LabelData,
  labelDataFromOrder,
  serviceName,
} from "./label-data.ts";
export type { LabelLayout } from "./layout/sheets.ts";
export { defaultDataMatrix, type MailmarkInput, mailmarkPayload } from "./mailmark.ts";
export { type MergeOptions, mergePdfs, pdfPageCount } from "./merge.ts";
export { type DocumentOptions, renderPackingSlips } from "./packing-slip.ts";
export { buildPickList, type PickListLine, renderPickList } from "./pick-list.ts";
export {
  type LabelChunk,
  type LabelChunkOptions,
  type LabelRenderOptions,
  LabelRun,
  renderLabelChunks,
  renderLabels,
} from "./render-labels.ts";
export { A4_SIZE, LABEL_SIZE, labelsOnSheets, labelsPerSheet, wholeSheets } from "./sheets-pdf.ts";
export { toWinAnsi } from "./text/winansi.ts";
export { type LabelsWorkerApi, labelsWorkerApi } from "./worker-api.ts";
export * from "./zpl/index.ts";
