// The barcode encoders alone (no PDF writer, no pdf-lib): for code that draws its own barcodes,
// such as the courier sandboxes' labels. `@consign/labels/barcode`.

export { defaultDataMatrix, type MailmarkInput, mailmarkPayload } from "../mailmark.ts";
export { type Code128, encodeCode128 } from "./code128.ts";
export { type DataMatrix, encodeDataMatrix } from "./datamatrix.ts";
