// Feeds API 2021-06-30: the order acknowledgement feed that cancels merchant-fulfilled orders.
export {
  createFeedsClient,
  FEED_CONTENT_TYPE,
  FEEDS_USAGE_PLANS,
  type FeedOutcome,
  type FeedsClient,
  type FeedsClientOptions,
  type FeedsOperation,
  ORDER_ACKNOWLEDGEMENT_FEED,
  type SubmittedFeed,
} from "./client.ts";
export type { Feed, FeedDocument } from "./schemas.ts";
export {
  CANCEL_REASONS,
  type CancelReason,
  type OrderCancellation,
  orderAcknowledgementFeed,
  type ProcessingReport,
  type ProcessingResult,
  parseProcessingReport,
  parseXml,
  type XmlElement,
} from "./xml.ts";
