// The seam between the app and the seller's Yjs document: @consign/sync owns the schema and the typed
// reads and writes; the app goes through here so a schema change touches one file.

export {
  applyOrderAction,
  type LabelRunProgress,
  listOrders,
  listRuns,
  MAP,
  observeOrders,
  readOrder,
  readSetting,
  setWork,
  writeOrder,
  writeSetting,
} from "@consign/sync";
