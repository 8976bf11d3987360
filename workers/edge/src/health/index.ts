// Account health at the edge: engines the SellerRoom wires to its storage, alarms and orders.
export { type AccountHealthOptions, AccountHealthSync } from "./account-health-sync.ts";
export { type Comparison, compare, type OurRate } from "./compare.ts";
export { type DefectTargets, type Landed, landDefects } from "./land-defects.ts";
export {
  type ListingPushStatus,
  ListingsPush,
  type ListingsPushOptions,
  type PushState,
} from "./listings-push.ts";
export { OFFICIAL_FIGURES, type OfficialComparison, officialComparisons } from "./official.ts";
export { classifyTransactions, type DefectUpdate, RefundSync } from "./refund-sync.ts";
export {
  type SolicitationCandidate,
  type SolicitationState,
  Solicitations,
  type SolicitationsOptions,
} from "./solicitations.ts";
