// The SP-API client: fetch is injected; the base URL and the credentials are all that differ
// between the sandbox and Amazon. Every call goes through the usage-plan limiter, retries 429 and
// 5xx with exponential backoff and jitter, refreshes the access token once when Amazon says it
// is expired, and parses the answer with a schema before anything else sees it.

import type { z } from "zod";
import {
  credentialsRefused,
  describeAmazonErrors,
  isTokenProblem,
  parseAnswer,
  SpApiError,
} from "./errors.ts";
import { UsagePlanLimiter } from "./limiter.ts";
import { AccessTokenCache, type FetchFn } from "./lwa.ts";
import {
  type AmazonError,
  type ApiOrder,
  ErrorListSchema,
  type FulfillmentStatus,
  GetOrderResponseSchema,
  RestrictedDataTokenResponseSchema,
  SearchOrdersResponseSchema,
} from "./schemas.ts";
import { type SpApiOperation, scaledPlans, type UsagePlan } from "./usage-plans.ts";

export type IncludedData =
  | "BUYER"
  | "RECIPIENT"
  | "PROCEEDS"
  | "EXPENSE"
  | "PROMOTION"
  | "CANCELLATION"
  | "FULFILLMENT"
  | "PACKAGES"
  | "TAX"
  | "PAYMENT"
  | "FULFILLMENT_ORDERS";

export interface SearchOrdersQuery {
  marketplaceIds?: string[];
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  fulfillmentStatuses?: FulfillmentStatus[];
  fulfilledBy?: ("MERCHANT" | "AMAZON")[];
  maxResultsPerPage?: number;
  paginationToken?: string;
  includedData?: IncludedData[];
}

export interface SearchOrdersPage {
  orders: ApiOrder[];
  nextToken?: string;
  createdBefore?: string;
  lastUpdatedBefore?: string;
}

export interface ConfirmShipmentInput {
  marketplaceId: string;
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    shipDate: string;
    orderItems: { orderItemId: string; quantity: number }[];
  };
}

export interface UpdateShipmentStatusInput {
  marketplaceId: string;
  shipmentStatus: "ReadyForPickup" | "PickedUp" | "RefusedPickup";
  orderItems?: { orderItemId: string; quantity: number }[];
}

export interface RestrictedResource {
  method: "GET" | "PUT" | "POST" | "DELETE";
  path: string;
  dataElements?: string[];
}

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SpApiClientOptions {
  fetch: FetchFn;
  lwaTokenUrl: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Multiplies every usage plan's rate (only for a sandbox seller given the same `rateScale`). */
  rateScale?: number;
  usagePlans?: Partial<Record<SpApiOperation, UsagePlan>>;
  retry?: Partial<RetryPolicy>;
  /** Abandon an answer that takes longer than this (then retried like a 5xx). */
  timeoutMs?: number;
  userAgent?: string;
}

export interface CallOptions {
  /** Overrides the client's retry attempts for this call (the confirmation queue keeps its own). */
  maxAttempts?: number;
}

export interface SpApiClient {
  searchOrders(query: SearchOrdersQuery, opts?: CallOptions): Promise<SearchOrdersPage>;
  /** Every page of a search, following `nextToken` until the last page. */
  searchOrdersPages(query: SearchOrdersQuery, opts?: CallOptions): AsyncIterable<SearchOrdersPage>;
  getOrder(orderId: string, includedData?: IncludedData[], opts?: CallOptions): Promise<ApiOrder>;
  confirmShipment(orderId: string, input: ConfirmShipmentInput, opts?: CallOptions): Promise<void>;
  updateShipmentStatus(orderId: string, input: UpdateShipmentStatusInput, opts?: CallOptions): Promise<void>;
  createRestrictedDataToken(
    resources: RestrictedResource[],
    opts?: CallOptions,
  ): Promise<{ restrictedDataToken: string; expiresIn: number }>;
  /** Milliseconds until `op` may be called without waiting (for alarm scheduling). */
  waitTime(op: SpApiOperation): number;
  /**
   * A current LWA access token for other Amazon APIs of the same seller (Buy Shipping, Reports…).
   * Pass the token Amazon just refused to have it dropped and a fresh one fetched.
   */
  accessToken(refused?: string): Promise<string>;
}

const PERSONAL_DATA: IncludedData[] = ["BUYER", "RECIPIENT"];
const ORDERS_PATH = "/orders/2026-01-01/orders";

interface Call<T> {
  op: SpApiOperation;
  method: "GET" | "POST";
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  schema?: z.ZodType<T>;
  /** Send a Restricted Data Token for these resources instead of the access token. */
  restricted?: RestrictedResource[];
  what: string;
}

export function createSpApiClient(options: SpApiClientOptions): SpApiClient {
  const clock = options.clock ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const retry: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, ...options.retry };
  const limiter = new UsagePlanLimiter(scaledPlans(options.rateScale, options.usagePlans));
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const accessTokens = new AccessTokenCache(options, clock);
  const rdtCache = new Map<string, { token: string; expiresAt: number }>();

  function backoff(attempt: number): number {
    const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + random() * (exp / 2));
  }

  async function restrictedToken(resources: RestrictedResource[]): Promise<string> {
    const key = JSON.stringify(resources);
    const cached = rdtCache.get(key);
    if (cached && clock() < cached.expiresAt - 60_000) return cached.token;
    const rdt = await client.createRestrictedDataToken(resources);
    rdtCache.set(key, { token: rdt.restrictedDataToken, expiresAt: clock() + rdt.expiresIn * 1000 });
    return rdt.restrictedDataToken;
  }

  async function call<T>(c: Call<T>, opts: CallOptions = {}): Promise<T> {
    const maxAttempts = opts.maxAttempts ?? retry.maxAttempts;
    let refreshed = false;
    let lastFailure = "";
    for (let attempt = 1; ; attempt++) {
      // Tokens first: a Login with Amazon or RDT round trip must not eat into this call's slot.
      const token = c.restricted ? await restrictedToken(c.restricted) : await accessTokens.get();
      const wait = limiter.reserve(c.op, clock());
      if (wait > 0) await sleep(wait);
      const url = `${baseUrl}${c.path}${c.query && [...c.query].length ? `?${c.query}` : ""}`;
      const headers: Record<string, string> = {
        "x-amz-access-token": token,
        "x-amz-date": new Date(clock()).toISOString().replace(/[-:]|\.\d{3}/g, ""),
        "user-agent": options.userAgent ?? "Consign/0.1 (Language=TypeScript)",
        accept: "application/json",
      };
      if (c.body !== undefined) headers["content-type"] = "application/json";
      let res: Response;
      let text: string;
      try {
        res = await options.fetch(url, {
          method: c.method,
          headers,
          ...(c.body !== undefined ? { body: JSON.stringify(c.body) } : {}),
          ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
        });
        text = await res.text();
      } catch (err) {
        lastFailure = `could not reach Amazon (${(err as Error).message})`;
        if (attempt >= maxAttempts) break;
        await sleep(backoff(attempt));
        continue;
      }

      if (res.ok) {
        return parseAnswer(c.schema, c.what, text);
      }

      const errors = parseErrors(text);
      const retryAfter = retryAfterMs(res.headers.get("retry-after"), clock());
      if (res.status === 429) {
        limiter.drain(c.op, clock());
        lastFailure = "Amazon kept answering 429 (too many requests)";
        if (attempt >= maxAttempts) {
          throw new SpApiError(
            "rate_limited",
            `Amazon is limiting ${c.what} calls; we will try again shortly.`,
            429,
            errors,
            [],
            Math.ceil((retryAfter ?? backoff(attempt)) / 1000),
          );
        }
        await sleep(Math.max(retryAfter ?? 0, backoff(attempt), limiter.waitTime(c.op, clock())));
        continue;
      }
      if (res.status >= 500) {
        lastFailure = `Amazon answered HTTP ${res.status} (${describeAmazonErrors(errors)})`;
        if (attempt >= maxAttempts) break;
        await sleep(Math.max(retryAfter ?? 0, backoff(attempt)));
        continue;
      }
      if (isTokenProblem(res.status, errors)) {
        if (!refreshed) {
          refreshed = true;
          if (c.restricted) rdtCache.delete(JSON.stringify(c.restricted));
          else accessTokens.invalidate(token);
          attempt--;
          continue;
        }
        throw credentialsRefused(describeAmazonErrors(errors), res.status);
      }
      throw new SpApiError(
        res.status === 404 ? "not_found" : "upstream_rejected",
        `Amazon refused ${c.what}: ${describeAmazonErrors(errors)}`,
        res.status,
        errors,
        errors.map((e) => ({ path: e.code, message: e.message })),
      );
    }
    throw new SpApiError(
      "upstream_unavailable",
      `Amazon is not answering ${c.what} calls right now: ${lastFailure}. We will try again.`,
      undefined,
    );
  }

  function ordersQuery(q: SearchOrdersQuery): URLSearchParams {
    const p = new URLSearchParams();
    const list = (name: string, v: string[] | undefined) => {
      if (v && v.length > 0) p.set(name, v.join(","));
    };
    list("marketplaceIds", q.marketplaceIds);
    for (const k of ["createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore"] as const) {
      const v = q[k];
      if (v) p.set(k, v);
    }
    list("fulfillmentStatuses", q.fulfillmentStatuses);
    list("fulfilledBy", q.fulfilledBy);
    if (q.maxResultsPerPage !== undefined) p.set("maxResultsPerPage", String(q.maxResultsPerPage));
    if (q.paginationToken) p.set("paginationToken", q.paginationToken);
    list("includedData", q.includedData);
    return p;
  }

  const wantsPersonalData = (included?: IncludedData[]) => !!included?.some((d) => PERSONAL_DATA.includes(d));

  const client: SpApiClient = {
    async searchOrders(query, opts) {
      const res = await call(
        {
          op: "searchOrders",
          method: "GET",
          path: ORDERS_PATH,
          query: ordersQuery(query),
          schema: SearchOrdersResponseSchema,
          what: "searchOrders",
          ...(wantsPersonalData(query.includedData)
            ? {
                restricted: [
                  { method: "GET", path: ORDERS_PATH, dataElements: ["buyerInfo", "shippingAddress"] },
                ] as RestrictedResource[],
              }
            : {}),
        },
        opts,
      );
      return {
        orders: res.orders,
        ...(res.pagination?.nextToken ? { nextToken: res.pagination.nextToken } : {}),
        ...(res.createdBefore ? { createdBefore: res.createdBefore } : {}),
        ...(res.lastUpdatedBefore ? { lastUpdatedBefore: res.lastUpdatedBefore } : {}),
      };
    },
    async *searchOrdersPages(query, opts) {
      let token: string | undefined = query.paginationToken;
      do {
        const page = await client.searchOrders(
          { ...query, ...(token ? { paginationToken: token } : {}) },
          opts,
        );
        yield page;
        token = page.nextToken;
      } while (token);
    },
    async getOrder(orderId, includedData, opts) {
      const path = `${ORDERS_PATH}/${encodeURIComponent(orderId)}`;
      const query = new URLSearchParams();
      if (includedData?.length) query.set("includedData", includedData.join(","));
      const res = await call(
        {
          op: "getOrder",
          method: "GET",
          path,
          query,
          schema: GetOrderResponseSchema,
          what: "getOrder",
          ...(wantsPersonalData(includedData)
            ? {
                restricted: [
                  { method: "GET", path, dataElements: ["buyerInfo", "shippingAddress"] },
                ] as RestrictedResource[],
              }
            : {}),
        },
        opts,
      );
      return res.order;
    },
    async confirmShipment(orderId, input, opts) {
      await call(
        {
          op: "confirmShipment",
          method: "POST",
          path: `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`,
          body: input,
          what: "the dispatch confirmation",
        },
        opts,
      );
    },
    async updateShipmentStatus(orderId, input, opts) {
      await call(
        {
          op: "updateShipmentStatus",
          method: "POST",
          path: `/orders/v0/orders/${encodeURIComponent(orderId)}/shipment`,
          body: input,
          what: "updateShipmentStatus",
        },
        opts,
      );
    },
    async createRestrictedDataToken(resources, opts) {
      return call(
        {
          op: "createRestrictedDataToken",
          method: "POST",
          path: "/tokens/2021-03-01/restrictedDataToken",
          body: { restrictedResources: resources },
          schema: RestrictedDataTokenResponseSchema,
          what: "createRestrictedDataToken",
        },
        opts,
      );
    },
    waitTime(op) {
      return limiter.waitTime(op, clock());
    },
    accessToken(refused) {
      if (refused !== undefined) accessTokens.invalidate(refused);
      return accessTokens.get();
    },
  };
  return client;
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
