// The SP-API client: fetch is injected; the base URL and the credentials are all that differ
// between the sandbox and Amazon. Every call goes through the usage-plan limiter, retries 429 and
// 5xx with exponential backoff and jitter, refreshes the access token once when Amazon says it
// is expired, and parses the answer with a schema before anything else sees it (transport.ts,
// shared with the health client).

import type { z } from "zod";
import { UsagePlanLimiter } from "./limiter.ts";
import { AccessTokenCache, type FetchFn } from "./lwa.ts";
import {
  type AmazonError,
  type ApiOrder,
  type FulfillmentStatus,
  GetOrderResponseSchema,
  RestrictedDataTokenResponseSchema,
  SearchOrdersResponseSchema,
} from "./schemas.ts";
import { callSpApi, type RetryPolicy, type Transport } from "./transport.ts";
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

export type { RetryPolicy } from "./transport.ts";

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
  /** Abandon an answer (SP-API or Login with Amazon) that takes longer than this (then retried when safe). */
  timeoutMs?: number;
  userAgent?: string;
  /** Retries and failures, one line each, with Amazon's request id. */
  log?: (line: string) => void;
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

// Orders API 2026-01-01 gives personal data (BUYER, RECIPIENT) by the roles the app is approved for,
// with the ordinary access token: Amazon refuses a Restricted Data Token for these paths ("Application
// do not have access to some or all requested resource"), so the client never asks for one there.
// `restricted` stays for the operations Amazon still guards with an RDT.
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
  idempotent?: boolean;
  duplicateIsSuccess?: (errors: AmazonError[]) => boolean;
}

/** Amazon's answer to a confirmation of a package it already holds. */
export const ALREADY_FULFILLED = /already fulfilled|already (been )?(confirmed|shipped)/i;

export function createSpApiClient(options: SpApiClientOptions): SpApiClient {
  const clock = options.clock ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const retry: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, ...options.retry };
  const limiter = new UsagePlanLimiter(scaledPlans(options.rateScale, options.usagePlans));
  const accessTokens = new AccessTokenCache(
    {
      ...options,
      sleep,
      random,
      retry: { ...retry, maxAttempts: Math.min(retry.maxAttempts, 3) },
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
    clock,
  );
  const rdtCache = new Map<string, { token: string; expiresAt: number }>();

  async function restrictedToken(resources: RestrictedResource[]): Promise<string> {
    const key = JSON.stringify(resources);
    const cached = rdtCache.get(key);
    if (cached && clock() < cached.expiresAt - 60_000) return cached.token;
    // Its life counted from when it was asked for (as the access token's, lwa.ts).
    const askedAt = clock();
    const rdt = await client.createRestrictedDataToken(resources);
    rdtCache.set(key, { token: rdt.restrictedDataToken, expiresAt: askedAt + rdt.expiresIn * 1000 });
    return rdt.restrictedDataToken;
  }

  const transport: Transport<SpApiOperation> = {
    fetch: options.fetch,
    baseUrl: options.baseUrl,
    clock,
    sleep,
    random,
    retry,
    timeoutMs: options.timeoutMs,
    userAgent: options.userAgent,
    plan: limiter,
    log: options.log,
  };

  function call<T>(c: Call<T>, opts: CallOptions = {}): Promise<T> {
    const restricted = c.restricted;
    return callSpApi(transport, {
      ...c,
      maxAttempts: opts.maxAttempts,
      token: restricted
        ? (refused) => {
            if (refused !== undefined) rdtCache.delete(JSON.stringify(restricted));
            return restrictedToken(restricted);
          }
        : (refused) => {
            if (refused !== undefined) accessTokens.invalidate(refused);
            return accessTokens.get();
          },
    });
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
          // Sent again after a dropped answer: Amazon refuses the duplicate as "already fulfilled",
          // which then means the earlier attempt landed.
          idempotent: true,
          duplicateIsSuccess: (errors) => errors.some((e) => ALREADY_FULFILLED.test(e.message)),
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
          idempotent: true,
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
          idempotent: true,
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
