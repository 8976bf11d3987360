// Account health, refunds, listing quantities and review requests: the SP-API calls and parsers.
export {
  type AccountHealthReport,
  AccountHealthReportSchema,
  type FeedbackRow,
  type OfficialHealth,
  type OfficialRate,
  parseAccountHealthReport,
  parseFeedbackReport,
} from "./account-health.ts";
export {
  createHealthClient,
  HEALTH_USAGE_PLANS,
  type HealthClient,
  type HealthClientOptions,
  type HealthOperation,
  type TransactionsQuery,
} from "./client.ts";
export type { ListingsSubmission, Report, ReportDocument, Transaction } from "./schemas.ts";
