export { packingSlipsZpl, pickListZpl } from "./documents.ts";
export { DESIGN, fieldData, ZplFormat } from "./format.ts";
export { type Bitmap1, zplGraphicField, zplGraphicLabel } from "./graphic.ts";
export { toZpl, toZplBatch, toZplPlaced, type ZplLabelPlacement } from "./label.ts";
export { bitmapToPng, cropBitmap } from "./png.ts";
export {
  checkPrinterProfile,
  DEFAULT_PROFILE,
  LABEL_STOCKS,
  type LabelStock,
  PRINTER_DPIS,
  PRINTER_LANGUAGES,
  type PrinterDpi,
  type PrinterLanguage,
  type PrinterProfile,
  stockDots,
  stockPoints,
} from "./profile.ts";
export { expandGraphicData, rasterizeZpl } from "./raster.ts";
export { TEST_PRINT_BARCODE, zplTestPrint } from "./test-print.ts";
