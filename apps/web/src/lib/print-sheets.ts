// The sheets a printer takes, shared with the API's run file (GET /labels/runs/{runId}/labels.pdf?layout=):
// one implementation, in @consign/labels (src/sheets-pdf.ts).
export { A4_SIZE, LABEL_SIZE, labelsOnSheets, labelsPerSheet, wholeSheets } from "@consign/labels";
