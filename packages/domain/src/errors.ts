// One closed set of error codes shared by the PWA, the edge Worker and the packages.
// Each maps to an HTTP status and a message a person can act on.

export const ErrorCode = {
  BadRequest: "bad_request",
  Unauthenticated: "unauthenticated",
  TokenExpired: "token_expired",
  Forbidden: "forbidden",
  NotFound: "not_found",
  Conflict: "conflict",
  /** Something that existed is no longer kept (e.g. a change-feed cursor past its window). */
  Gone: "gone",
  IllegalTransition: "illegal_transition",
  RateLimited: "rate_limited",
  /** A request body larger than any request needs (413). */
  PayloadTooLarge: "payload_too_large",
  UpstreamUnavailable: "upstream_unavailable",
  UpstreamRejected: "upstream_rejected",
  UpstreamMalformed: "upstream_malformed",
  AmazonNotConnected: "amazon_not_connected",
  AmazonCredentialsRefused: "amazon_credentials_refused",
  CourierNotConnected: "courier_not_connected",
  Internal: "internal",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  illegal_transition: 409,
  rate_limited: 429,
  payload_too_large: 413,
  upstream_unavailable: 502,
  upstream_rejected: 502,
  upstream_malformed: 502,
  amazon_not_connected: 409,
  amazon_credentials_refused: 409,
  courier_not_connected: 409,
  internal: 500,
};

export interface FieldError {
  path: string;
  message: string;
}

/** An expected failure: carries a code from the closed set and a message for a person. */
export class ConsignError extends Error {
  override readonly name = "ConsignError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
  get status(): number {
    return errorStatus[this.code];
  }
  toJSON() {
    return { error: { code: this.code, message: this.message, fields: this.fields } };
  }
}
