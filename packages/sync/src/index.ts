// @consign/sync: the seller's live document (schema, typed reads and mutations), the bounded-
// document operations, and the y-websocket protocol helpers used by both the PWA and the room.

export { applyOrderAction } from "./actions.ts";
export { closedAt, removeOrders, selectForArchive } from "./archive.ts";
export { jsonEqual } from "./equal.ts";
export {
  CURRENT_LAYOUT,
  documentLayout,
  isStringsLayout,
  isWorkedOutInRecord,
  LAYOUT_KEY,
} from "./layout.ts";
export { type OrdersChange, observeOrders } from "./observe.ts";
export {
  hasOrder,
  listOrders,
  readOrder,
  setWork,
  type UpsertOptions,
  type UpsertResult,
  upsertOrders,
  writeOrder,
} from "./orders.ts";
export { type MemberRole, type PresenceState, readPresence } from "./presence.ts";
export {
  arbitratePrintClaims,
  CLAIM_CONFIRM_MS,
  CLAIM_TTL_MS,
  type ClaimResult,
  claimLabels,
  claimVerdict,
  type JobProgress,
  type LabelPrint,
  type LabelPrintState,
  type LabelRef,
  labelKey,
  listPrintJobs,
  type PrintJob,
  printJobProgress,
  printQueueMap,
  readLabelPrint,
  readPrintJob,
  recordLabelPrint,
  skipReason,
  writePrintJob,
} from "./print-queue.ts";
export * from "./protocol.ts";
export {
  type CarryResult,
  carryUnsyncedEdits,
  type DocumentHealth,
  documentGeneration,
  documentHealth,
  GENERATION_CHANGED,
  initialiseGeneration,
  rebaseDocument,
  shouldRebase,
} from "./rebase.ts";
export {
  cachedRecordCount,
  ROOM_RECORD_CACHE,
  readRecord,
  recordEntries,
  recordOf,
  setRecordCacheLimit,
  storeRecord,
} from "./records.ts";
export {
  createConsignDoc,
  isWorkField,
  MAP,
  metaMap,
  type OrderRecord,
  orderIdOfWorkKey,
  ordersMap,
  stockMap,
  WORK_FIELDS,
  type WorkField,
  type WorkFields,
  workDefaults,
  workKey,
  workMap,
} from "./schema.ts";
export {
  type LabelRunProgress,
  listRuns,
  readRun,
  readSetting,
  removeRuns,
  writeRun,
  writeSetting,
} from "./settings.ts";
export { splitUpdate } from "./split.ts";
export { splittingWebSocket } from "./splitting-socket.ts";
export { adjustStock, stockLevel, stockLevels } from "./stock.ts";
export {
  applyTextDiff,
  clearRootTexts,
  createOrderTexts,
  existingRootText,
  isTextField,
  orderText,
  plainValue,
  rootTexts,
  TEXT_FIELDS,
  type TextField,
  textOfRootName,
  textRootName,
  textSplice,
  textValue,
  writeTextField,
} from "./text.ts";
export { isPersonsChoice, isWorkedOutField, WORKED_OUT_FIELDS, type WorkedOutField } from "./worked-out.ts";
export {
  checkWrite,
  type DeviceWriter,
  type DeviceWriters,
  type KeyRule,
  mayWrite,
  ROOT_RULES,
  SETTING_RULES,
  TEXT_LIMITS,
  WORK_FIELD_RULES,
  type WriteRefusal,
  type WriteVerdict,
  writesAnything,
} from "./write-policy.ts";
