export {
  type CallOptions,
  type ConfirmShipmentInput,
  createSpApiClient,
  type IncludedData,
  type RestrictedResource,
  type RetryPolicy,
  type SearchOrdersPage,
  type SearchOrdersQuery,
  type SpApiClient,
  type SpApiClientOptions,
  type UpdateShipmentStatusInput,
} from "./client.ts";
export { CREDENTIALS_REFUSED_MESSAGE, SpApiError } from "./errors.ts";
export * from "./extra/index.ts";
export * from "./feeds/index.ts";
export { TokenBucket, UsagePlanLimiter } from "./limiter.ts";
export {
  AccessTokenCache,
  exchangeAuthorizationCode,
  type FetchFn,
  type LwaOptions,
  type LwaTokens,
  requestGrantlessToken,
} from "./lwa.ts";
export { toOrder } from "./normalise.ts";
export {
  deleteOrderChangeSubscription,
  ensureOrderChangeSubscription,
  ensureSqsDestination,
  findOrderChangeSubscription,
  NOTIFICATIONS_SCOPE,
  type OrderChange,
  parseOrderChange,
} from "./notifications.ts";
export { type AmazonError, type ApiOrder, ApiOrderSchema, type FulfillmentStatus } from "./schemas.ts";
export { type SpApiOperation, scaledPlans, USAGE_PLANS, type UsagePlan } from "./usage-plans.ts";
