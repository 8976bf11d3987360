// No request body may be larger than any request needs. The schemas bound every field (400 naming
// it), but a body is read whole before a schema sees it: a 10 MB body would be parsed, held and
// maybe stored before anything refused it. This refuses it first, with 413 and what to do instead.
import { ErrorCode } from "@consign/domain";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorBody } from "./errors.ts";

/**
 * 1 MiB: the largest legitimate body (1,000 shipping rules, 10,000 SKU weights, a label run of
 * 1,000 orders) is well under half of it; Cloudflare's own limit is 100 MB.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export function requestBodyLimit(maxSize = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        errorBody(
          ErrorCode.PayloadTooLarge,
          `The request body is larger than ${Math.round(maxSize / 1024)} KB, the most one request may send. Send fewer items per request (split the list into smaller requests).`,
        ),
        413,
      ),
  });
}
