// One SP-API call with everything both clients need around it: a token first (so a Login with
// Amazon round trip does not eat into the call's slot), the usage plan's wait, the request with the
// headers Amazon expects, retries of 429 and 5xx with exponential backoff and jitter (Retry-After
// honoured), one fresh token when Amazon says the one sent is expired or unknown (not counted as an
// attempt), and the answer parsed with a schema before anything else sees it.
//
// A dropped connection or a timeout is retried only when sending the request again is safe: reads,
// and writes the call marks `idempotent` (confirmShipment is, because Amazon answers a duplicate
// with "already fulfilled", which `duplicateIsSuccess` turns into success once an earlier attempt may
// have landed). Each answer's x-amzn-RateLimit-Limit resets the operation's rate to the seller's real
// plan, and Amazon's x-amzn-RequestId rides on every error and log line.

import type { z } from "zod";
import {
  credentialsRefused,
  describeAmazonErrors,
  isTokenProblem,
  parseAnswer,
  SpApiError,
} from "./errors.ts";
import { TokenBucket } from "./limiter.ts";
import type { FetchFn } from "./lwa.ts";
import { type AmazonError, ErrorListSchema } from "./schemas.ts";
import type { UsagePlan } from "./usage-plans.ts";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What one client shares across its calls. */
export interface Transport<Op extends string> {
  fetch: FetchFn;
  baseUrl: string;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  retry: RetryPolicy;
  timeoutMs?: number | undefined;
  userAgent?: string | undefined;
  /** The usage plans: ms to wait before calling `op` (taking its slot), emptying after a 429, waiting time. */
  plan: {
    reserve(op: Op, now: number): number;
    drain(op: Op, now: number): void;
    waitTime(op: Op, now: number): number;
    /** Amazon said this seller's rate for `op` (x-amzn-RateLimit-Limit, requests per second). */
    adapt?(op: Op, rate: number, now: number): void;
  };
  /** One line per retry and failure, each with Amazon's request id when there is one. */
  log?: ((line: string) => void) | undefined;
}

/** What the client of one SP-API section (Feeds, Reports and Finances, …) is made with. */
export interface SectionClientOptions {
  fetch: FetchFn;
  baseUrl: string;
  /**
   * A current access token. Called with the token Amazon has just refused (expired, revoked or
   * unknown): forget that one and return a fresh one. A provider that returns the same token again
   * ends the call with "Amazon refused our credentials".
   */
  accessToken: (refused?: string) => Promise<string>;
  marketplaceId?: string;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Multiplies every plan's rate (only with a sandbox seller given the same rateScale). */
  rateScale?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Abandon an answer that takes longer than this (then retried like a lost connection). */
  timeoutMs?: number;
}

/**
 * The transport a section's client calls through: the options' defaults (system clock, 5 attempts
 * from 500 ms backing off to 30 s, the UK marketplace) and one token bucket per operation, filled at
 * its usage plan's rate. `adaptToAmazon` lets Amazon's x-amzn-RateLimit-Limit reset a plan's rate.
 */
export function sectionTransport<Op extends string>(
  options: SectionClientOptions,
  plans: Record<Op, UsagePlan>,
  { adaptToAmazon }: { adaptToAmazon: boolean },
): { transport: Transport<Op>; marketplaceId: string; waitTime: (op: Op) => number } {
  const clock = options.clock ?? (() => Date.now());
  const buckets = new Map<Op, TokenBucket>();
  const bucket = (op: Op) => {
    let b = buckets.get(op);
    if (!b) {
      const plan = plans[op];
      b = new TokenBucket({ rate: plan.rate * (options.rateScale ?? 1), burst: plan.burst });
      buckets.set(op, b);
    }
    return b;
  };
  const transport: Transport<Op> = {
    fetch: options.fetch,
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    clock,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: options.random ?? Math.random,
    retry: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, ...options.retry },
    timeoutMs: options.timeoutMs,
    plan: {
      reserve: (op, now) => bucket(op).reserve(now),
      drain: (op, now) => bucket(op).drain(now),
      waitTime: (op, now) => bucket(op).waitTime(now),
      ...(adaptToAmazon ? { adapt: (op: Op, rate: number, now: number) => bucket(op).adapt(rate, now) } : {}),
    },
  };
  return {
    transport,
    marketplaceId: options.marketplaceId ?? "A1F83G8C2ARO7P",
    waitTime: (op) => bucket(op).waitTime(clock()),
  };
}

export interface SpApiCall<Op extends string, T> {
  op: Op;
  method: "GET" | "POST" | "PATCH";
  path: string;
  query?: URLSearchParams | undefined;
  body?: unknown;
  schema?: z.ZodType<T> | undefined;
  /** Names the call in messages: "Amazon refused {what}". */
  what: string;
  /** The token to send; `refused` is the one Amazon has just refused (forget it, get a fresh one). */
  token: (refused?: string) => Promise<string>;
  maxAttempts?: number | undefined;
  /** Safe to send again after a dropped connection or a timeout (default: only GET and PATCH). */
  idempotent?: boolean | undefined;
  /**
   * Amazon's refusal of a request an earlier attempt of this call may already have delivered (its
   * connection dropped, it timed out, or Amazon answered 5xx): true means that earlier attempt landed.
   */
  duplicateIsSuccess?: ((errors: AmazonError[]) => boolean) | undefined;
}

export async function callSpApi<Op extends string, T>(t: Transport<Op>, c: SpApiCall<Op, T>): Promise<T> {
  const maxAttempts = c.maxAttempts ?? t.retry.maxAttempts;
  const backoff = (attempt: number) => {
    const exp = Math.min(t.retry.maxDelayMs, t.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + t.random() * (exp / 2));
  };
  const baseUrl = t.baseUrl.replace(/\/+$/, "");
  let refused: string | undefined;
  let refreshed = false;
  let lastFailure = "";
  let lastRequestId: string | undefined;
  /** An earlier attempt may have reached Amazon (dropped, timed out or 5xx after sending). */
  let mayHaveLanded = false;
  const idempotent = c.idempotent ?? c.method !== "POST";
  const log = (line: string) => t.log?.(`${c.what}: ${line}`);
  for (let attempt = 1; ; attempt++) {
    const token = refused === undefined ? await c.token() : await c.token(refused);
    refused = undefined;
    const wait = t.plan.reserve(c.op, t.clock());
    if (wait > 0) await t.sleep(wait);
    const url = `${baseUrl}${c.path}${c.query && [...c.query].length ? `?${c.query}` : ""}`;
    const headers: Record<string, string> = {
      "x-amz-access-token": token,
      "x-amz-date": new Date(t.clock()).toISOString().replace(/[-:]|\.\d{3}/g, ""),
      "user-agent": t.userAgent ?? "Consign/0.1 (Language=TypeScript)",
      accept: "application/json",
    };
    if (c.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    let text: string;
    try {
      res = await t.fetch(url, {
        method: c.method,
        headers,
        ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
        ...(t.timeoutMs ? { signal: AbortSignal.timeout(t.timeoutMs) } : {}),
      });
      lastRequestId = res.headers.get("x-amzn-RequestId") ?? undefined;
      text = await res.text();
    } catch (err) {
      const timedOut =
        !!t.timeoutMs &&
        ((err as Error).name === "TimeoutError" ||
          (err as Error).name === "AbortError" ||
          /timed? ?out/i.test((err as Error).message));
      lastFailure = timedOut
        ? `no answer within ${Math.round((t.timeoutMs ?? 0) / 100) / 10} s`
        : `the connection dropped (${(err as Error).message})`;
      lastFailure += lastRequestId ? ` [request id ${lastRequestId}]` : "";
      mayHaveLanded = true;
      log(`attempt ${attempt} failed: ${lastFailure}`);
      if (!idempotent) {
        throw new SpApiError(
          "upstream_unavailable",
          `Amazon did not answer ${c.what} (${lastFailure}); it may or may not have been received, so it was not sent again.`,
          undefined,
          [],
          [],
          undefined,
          lastRequestId,
        );
      }
      if (attempt >= maxAttempts) break;
      await t.sleep(backoff(attempt));
      continue;
    }
    const limit = Number(res.headers.get("x-amzn-RateLimit-Limit"));
    if (t.plan.adapt && Number.isFinite(limit) && limit > 0) t.plan.adapt(c.op, limit, t.clock());
    const rid = lastRequestId ? ` [request id ${lastRequestId}]` : "";
    if (res.ok) return parseAnswer(c.schema, c.what, text, lastRequestId);

    const errors = parseErrors(text);
    const retryAfter = retryAfterMs(res.headers.get("retry-after"), t.clock());
    if (res.status === 429) {
      t.plan.drain(c.op, t.clock());
      lastFailure = `Amazon kept answering 429 (too many requests)${rid}`;
      log(`attempt ${attempt}: HTTP 429${rid}`);
      if (attempt >= maxAttempts) {
        throw new SpApiError(
          "rate_limited",
          `Amazon is limiting ${c.what} calls; we will try again shortly.${rid}`,
          429,
          errors,
          [],
          Math.ceil((retryAfter ?? backoff(attempt)) / 1000),
          lastRequestId,
        );
      }
      await t.sleep(Math.max(retryAfter ?? 0, backoff(attempt), t.plan.waitTime(c.op, t.clock())));
      continue;
    }
    if (res.status >= 500) {
      lastFailure = `Amazon answered HTTP ${res.status} (${describeAmazonErrors(errors)})${rid}`;
      mayHaveLanded = true;
      log(`attempt ${attempt}: ${lastFailure}`);
      if (attempt >= maxAttempts) break;
      await t.sleep(Math.max(retryAfter ?? 0, backoff(attempt)));
      continue;
    }
    if (isTokenProblem(res.status, errors)) {
      // One fresh token per call; asking for it does not use up an attempt.
      if (!refreshed) {
        refreshed = true;
        refused = token;
        attempt--;
        continue;
      }
      throw credentialsRefused(`${describeAmazonErrors(errors)}${rid}`, res.status, lastRequestId);
    }
    if (mayHaveLanded && c.duplicateIsSuccess?.(errors)) {
      log(`attempt ${attempt}: Amazon already had it from an earlier attempt${rid}`);
      return undefined as T;
    }
    log(`refused with HTTP ${res.status}: ${describeAmazonErrors(errors)}${rid}`);
    throw new SpApiError(
      res.status === 404 ? "not_found" : "upstream_rejected",
      `Amazon refused ${c.what}: ${describeAmazonErrors(errors)}${rid}`,
      res.status,
      errors,
      errors.map((e) => ({ path: e.code, message: e.message })),
      undefined,
      lastRequestId,
    );
  }
  throw new SpApiError(
    "upstream_unavailable",
    `Amazon is not answering ${c.what} calls right now: ${lastFailure}. We will try again.`,
    undefined,
    [],
    [],
    undefined,
    lastRequestId,
  );
}

function parseErrors(text: string): AmazonError[] {
  try {
    const parsed = ErrorListSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.errors : [];
  } catch {
    return [];
  }
}

function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
