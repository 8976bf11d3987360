// How SP-API and Login with Amazon failures become ConsignErrors a seller can act on.

import { ConsignError, type ErrorCode, type FieldError } from "@consign/domain";
import type { z } from "zod";
import type { AmazonError } from "./schemas.ts";

/** A ConsignError that also carries what Amazon said (HTTP status and its error list). */
export class SpApiError extends ConsignError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly httpStatus: number | undefined,
    readonly amazonErrors: AmazonError[] = [],
    fields: FieldError[] = [],
    retryAfterSeconds?: number,
    /** Amazon's x-amzn-RequestId of the answer, for Amazon's support (also in the message). */
    readonly requestId?: string,
  ) {
    super(code, message, fields, retryAfterSeconds);
  }
}

export const CREDENTIALS_REFUSED_MESSAGE = "Amazon refused the credentials: reconnect";

export function credentialsRefused(detail: string, httpStatus?: number, requestId?: string): SpApiError {
  return new SpApiError(
    "amazon_credentials_refused",
    `${CREDENTIALS_REFUSED_MESSAGE} (${detail}). Open Settings → Amazon and connect again.`,
    httpStatus,
    [],
    [],
    undefined,
    requestId,
  );
}

/** A malformed answer: says which fields were wrong, so nothing half-parsed goes further. */
export function malformed(what: string, issues: z.core.$ZodIssue[] | string, requestId?: string): SpApiError {
  const fields: FieldError[] =
    typeof issues === "string"
      ? [{ path: "", message: issues }]
      : issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = fields[0];
  const summary = first ? `${first.path || "body"}: ${first.message}` : "unreadable";
  return new SpApiError(
    "upstream_malformed",
    `Amazon sent a ${what} answer Consign could not read (${summary}); nothing from it was used.${requestId ? ` [request id ${requestId}]` : ""}`,
    undefined,
    [],
    fields,
    undefined,
    requestId,
  );
}

/** True when an SP-API 401/403 says the access token itself is bad or expired (worth one refresh). */
export function isTokenProblem(status: number, errors: AmazonError[]): boolean {
  if (status === 401) return true;
  if (status !== 403) return false;
  return errors.some((e) =>
    /unauthori[sz]ed|expired|invalid/i.test(`${e.code} ${e.message} ${e.details ?? ""}`),
  );
}

export function describeAmazonErrors(errors: AmazonError[]): string {
  if (errors.length === 0) return "no reason given";
  return errors.map((e) => (e.details ? `${e.message} (${e.details})` : e.message)).join("; ");
}

/** A successful answer's body, parsed whole with its schema or refused whole (never half-read). */
export function parseAnswer<T>(
  schema: z.ZodType<T> | undefined,
  what: string,
  text: string,
  requestId?: string,
): T {
  if (!schema) return undefined as T;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(what, `the body is not JSON (${text.slice(0, 60)})`, requestId);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw malformed(what, parsed.error.issues, requestId);
  return parsed.data;
}
