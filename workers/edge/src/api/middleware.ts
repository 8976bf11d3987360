// What runs before every /api/v1 operation: access check, rate limit, and for POSTs the
// Idempotency-Key. Attached per route (never with `use("*")`), so nothing here touches
// /api/v1/team, which lives beside this router under the same prefix.
import { ConsignError, ErrorCode } from "@consign/domain";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app.ts";
import { sha256 } from "../auth/crypto.ts";
import type { Identity } from "../auth/identity.ts";
import { requireAccess } from "../auth/middleware.ts";
import type { Capability } from "../auth/permissions.ts";
import { errorBody } from "../http/errors.ts";
import { unwrap } from "../http/result.ts";
import type { SellerBackend } from "./backend.ts";

export type BackendForEnv = (env: AppEnv["Bindings"], sellerId: string) => SellerBackend;

export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** The rate-limit bucket of a caller: one per API key, one per device session. */
export function rateKeyOf(identity: Identity): string {
  return identity.kind === "api-key" ? `key:${identity.sessionId}` : `session:${identity.sessionId}`;
}

/** How many requests one call counts as against the rate limit (1 unless the route says more). */
export type RateCost = (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => number;

export function rateLimit(backendFor: BackendForEnv, cost?: RateCost): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = c.get("identity");
    const decision = unwrap(
      await backendFor(c.env, identity.sellerId).consumeRate(rateKeyOf(identity), Date.now(), cost?.(c) ?? 1),
    );
    c.header("RateLimit-Limit", String(decision.limit));
    c.header("RateLimit-Remaining", String(decision.remaining));
    if (!decision.allowed) {
      const who = identity.kind === "api-key" ? "this API key" : "this device";
      throw new ConsignError(
        ErrorCode.RateLimited,
        `Too many requests from ${who}: try again in ${decision.retryAfterSeconds} s.`,
        [],
        decision.retryAfterSeconds,
      );
    }
    await next();
  };
}

/** Answers saved for replay: what the operation decided. Malformed requests, throttling and our own failures are not kept, so the caller can retry them with the same key. */
function worthKeeping(status: number): boolean {
  return status < 500 && status !== 400 && status !== 415 && status !== 429;
}

/** Methods that change something: every one of them takes an Idempotency-Key. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export function idempotency(backendFor: BackendForEnv): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || READS.has(c.req.method)) return next();
    if (key.length === 0 || key.length > 255) {
      const fields = [{ path: IDEMPOTENCY_HEADER, message: "give 1 to 255 characters, e.g. a UUID" }];
      return c.json(errorBody(ErrorCode.BadRequest, "The Idempotency-Key header is not valid.", fields), 400);
    }
    const identity = c.get("identity");
    const backend = backendFor(c.env, identity.sellerId);
    // The same caller: a person across their devices, or one API key.
    const scope = identity.userId;
    const fingerprint = await sha256(
      `${c.req.method} ${new URL(c.req.url).pathname}\n${canonicalBody(await c.req.text())}`,
    );
    const begun = unwrap(await backend.idempotencyBegin(scope, key, fingerprint, Date.now()));
    if (begun.outcome === "replay") {
      return new Response(begun.response.body, {
        status: begun.response.status,
        headers: { "Content-Type": begun.response.contentType, "Idempotent-Replayed": "true" },
      });
    }
    if (begun.outcome === "mismatch") {
      const fields = [{ path: IDEMPOTENCY_HEADER, message: "already used for a different request" }];
      const message =
        "This Idempotency-Key was already used with a different request (another path or body). Use a new key for a new request.";
      return c.json(errorBody(ErrorCode.BadRequest, message, fields), 422);
    }
    if (begun.outcome === "in_flight") {
      throw new ConsignError(
        ErrorCode.Conflict,
        "A request with this Idempotency-Key is still being handled: repeat it in a moment to get its answer.",
        [],
        1,
      );
    }
    try {
      await next();
    } catch (error) {
      unwrap(await backend.idempotencyRelease(scope, key));
      throw error;
    }
    const res = c.res;
    if (!worthKeeping(res.status)) {
      unwrap(await backend.idempotencyRelease(scope, key));
      return;
    }
    const saved = {
      status: res.status,
      contentType: res.headers.get("Content-Type") ?? "application/json",
      body: await res.clone().text(),
    };
    unwrap(await backend.idempotencyComplete(scope, key, saved));
  };
}

/**
 * JSON with object keys sorted and no insignificant whitespace: a pretty-printed copy of the same
 * request, or one with its keys in another order, is the same request. Numbers go through
 * JSON.parse, so 1.0 and 1 are the same too.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The body as compared for Idempotency-Key: canonical JSON when it parses, else the bytes as sent. */
export function canonicalBody(text: string): string {
  if (text.trim() === "") return "";
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/**
 * The middleware chain of an operation: access, rate limit, and for every method that changes
 * something (POST, PUT, PATCH, DELETE) the Idempotency-Key. `idempotent` is kept for the routes
 * that say so; every write is idempotent whether it says so or not.
 */
export function guard(
  backendFor: BackendForEnv,
  capability: Capability,
  options: { idempotent?: boolean; cost?: RateCost } = {},
): MiddlewareHandler<AppEnv>[] {
  return [requireAccess(capability), rateLimit(backendFor, options.cost), idempotency(backendFor)];
}
