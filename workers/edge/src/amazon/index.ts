// Amazon at the edge: engines the SellerRoom wires to its storage, alarms and Yjs document.
export {
  ConfirmationQueue,
  type ConfirmationRecord,
  type ConfirmationResult,
  type DispatchToConfirm,
  type QueueOptions,
} from "./confirmation-queue.ts";
export {
  buildConsentUrl,
  CALLBACK_PATH,
  type ConnectEnv,
  completeConnection,
  redirectUri,
  verifyState,
} from "./connect.ts";
export {
  Importer,
  type ImporterOptions,
  type ImportPhase,
  type ImportStatus,
  INCLUDED,
  type RunResult,
} from "./importer.ts";
export {
  type AmazonConnection,
  type ClientSettings,
  CredentialVault,
  clientSettingsFromEnv,
} from "./vault.ts";
