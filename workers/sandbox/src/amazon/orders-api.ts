// Orders API 2026-01-01 in the sandbox: searchOrders and getOrder, with the query rules the model
// states (exactly one of createdAfter/lastUpdatedAfter, the two-minute lag, 1–100 per page, tokens
// that require the same filters) and personal data by the roles the calling app holds (roles.ts):
// Orders API 2026-01-01 needs no Restricted Data Token.

import { hashSeed } from "./random.ts";
import { amazonErrors, amazonJson, invalidInput, iso } from "./responses.ts";
import { type AppRole, renderAddress, renderBuyer } from "./roles.ts";
import type { OrderRow, SellerStore } from "./store.ts";
import { FULFILLMENT_STATUSES, INCLUDED_DATA, type IncludedData, UK_MARKETPLACE_ID } from "./wire.ts";

const TWO_MINUTES = 2 * 60_000;
const TOKEN_LIFETIME = 24 * 3_600_000;

/** Array parameters arrive comma-separated (Swagger's csv) or repeated. */
function list(params: URLSearchParams, name: string): string[] | undefined {
  const all = params.getAll(name);
  if (all.length === 0) return undefined;
  return all
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function parseTime(params: URLSearchParams, name: string): number | undefined | "invalid" {
  const v = params.get(name);
  if (v === null) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) return "invalid";
  const t = Date.parse(v);
  return Number.isNaN(t) ? "invalid" : t;
}

export function parseIncluded(params: URLSearchParams): Set<IncludedData> | string {
  const values = list(params, "includedData") ?? [];
  for (const v of values) if (!(INCLUDED_DATA as readonly string[]).includes(v)) return v;
  return new Set(values as IncludedData[]);
}

/** The order as Amazon would send it, with only the datasets asked for. */
export function renderOrder(
  row: OrderRow,
  included: Set<IncludedData>,
  roles: readonly AppRole[],
  now: number,
) {
  const o = row.order;
  const cancelRequested =
    row.cancelRequestMs !== null &&
    row.cancelRequestMs <= now &&
    ["UNSHIPPED", "PARTIALLY_SHIPPED", "PENDING"].includes(o.fulfillment.fulfillmentStatus);
  const out: Record<string, unknown> = {
    orderId: o.orderId,
    createdTime: o.createdTime,
    lastUpdatedTime: iso(row.updatedMs),
    programs: o.programs,
    salesChannel: o.salesChannel,
  };
  if (included.has("BUYER")) out.buyer = renderBuyer(o, roles);
  if (included.has("RECIPIENT")) out.recipient = { deliveryAddress: renderAddress(o, roles, now) };
  if (included.has("PROCEEDS")) out.proceeds = o.proceeds;
  if (included.has("FULFILLMENT")) out.fulfillment = o.fulfillment;
  out.orderItems = o.orderItems.map((item) => {
    const i: Record<string, unknown> = {
      orderItemId: item.orderItemId,
      quantityOrdered: item.quantityOrdered,
      product: item.product,
    };
    if (included.has("PROCEEDS") && item.proceeds) i.proceeds = item.proceeds;
    if (included.has("FULFILLMENT") && item.fulfillment) i.fulfillment = item.fulfillment;
    if (included.has("CANCELLATION")) {
      const c = item.cancellation ?? (cancelRequested ? {} : undefined);
      if (c) {
        i.cancellation = cancelRequested
          ? { ...c, cancellationRequest: { requester: "BUYER", cancelReason: "No longer needed" } }
          : c;
      }
    }
    return i;
  });
  if (included.has("PACKAGES")) out.packages = o.packages;
  return out;
}

interface SearchFilter {
  by: "created" | "updated";
  after: number;
  before: number;
  statuses?: string[];
  marketplaces?: string[];
  fulfilledBy?: string[];
}

function filterHash(f: Omit<SearchFilter, "before"> & { beforeParam: string | null }): number {
  return hashSeed(JSON.stringify(f));
}

export function searchOrders(
  store: SellerStore,
  url: URL,
  roles: readonly AppRole[],
  now: number,
  rateLimit: string,
): Response {
  const p = url.searchParams;
  const bad = (m: string) => invalidInput(m, rateLimit);
  const createdAfter = parseTime(p, "createdAfter");
  const createdBefore = parseTime(p, "createdBefore");
  const updatedAfter = parseTime(p, "lastUpdatedAfter");
  const updatedBefore = parseTime(p, "lastUpdatedBefore");
  for (const [name, v] of [
    ["createdAfter", createdAfter],
    ["createdBefore", createdBefore],
    ["lastUpdatedAfter", updatedAfter],
    ["lastUpdatedBefore", updatedBefore],
  ] as const) {
    if (v === "invalid") return bad(`${name} is not a valid ISO 8601 date-time.`);
  }
  if ((createdAfter === undefined) === (updatedAfter === undefined)) {
    return bad("Exactly one of createdAfter and lastUpdatedAfter must be provided.");
  }
  const byCreated = createdAfter !== undefined;
  if (byCreated && (updatedAfter !== undefined || updatedBefore !== undefined)) {
    return bad(
      "If createdAfter is provided, neither lastUpdatedAfter nor lastUpdatedBefore may be provided.",
    );
  }
  if (!byCreated && createdBefore !== undefined) {
    return bad("If lastUpdatedAfter is provided, neither createdAfter nor createdBefore may be provided.");
  }
  const after = (byCreated ? createdAfter : updatedAfter) as number;
  const beforeParam = (byCreated ? createdBefore : updatedBefore) as number | undefined;
  const beforeName = byCreated ? "createdBefore" : "lastUpdatedBefore";
  if (beforeParam !== undefined) {
    if (beforeParam < after)
      return bad(
        `${beforeName} must be equal to or after ${byCreated ? "createdAfter" : "lastUpdatedAfter"}.`,
      );
    if (beforeParam > now - TWO_MINUTES)
      return bad(`${beforeName} must be at least two minutes before the time of the request.`);
  }
  const statuses = list(p, "fulfillmentStatuses");
  const unknownStatus = statuses?.find((s) => !(FULFILLMENT_STATUSES as string[]).includes(s));
  if (unknownStatus) return bad(`${unknownStatus} is not a valid fulfillmentStatuses value.`);
  const fulfilledBy = list(p, "fulfilledBy");
  const unknownBy = fulfilledBy?.find((s) => s !== "MERCHANT" && s !== "AMAZON");
  if (unknownBy) return bad(`${unknownBy} is not a valid fulfilledBy value.`);
  const marketplaces = list(p, "marketplaceIds");
  if (marketplaces && marketplaces.length > 50) return bad("marketplaceIds accepts at most 50 values.");
  const included = parseIncluded(p);
  if (typeof included === "string") return unknownIncluded(included, rateLimit);
  const maxRaw = p.get("maxResultsPerPage");
  const max = maxRaw === null ? 100 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1 || max > 100)
    return bad("maxResultsPerPage must be between 1 and 100.");

  const fingerprint = filterHash({
    by: byCreated ? "created" : "updated",
    after,
    beforeParam: p.get(beforeName),
    ...(statuses ? { statuses } : {}),
    ...(marketplaces ? { marketplaces } : {}),
    ...(fulfilledBy ? { fulfilledBy } : {}),
  });
  let before = beforeParam ?? now - TWO_MINUTES;
  let cursor: { t: number; id: string } | undefined;
  const tokenText = p.get("paginationToken");
  if (tokenText) {
    const token = decodeToken(tokenText);
    if (!token) return bad("The paginationToken is not valid.");
    if (token.f !== fingerprint) {
      return bad(
        "The paginationToken was issued for different parameters: send the same filters as the first request.",
      );
    }
    if (token.e < now) return bad("The paginationToken has expired (tokens last 24 hours).");
    before = token.b;
    cursor = { t: token.t, id: token.id };
  }
  const empty =
    (marketplaces && !marketplaces.includes(UK_MARKETPLACE_ID)) ||
    (fulfilledBy && !fulfilledBy.includes("MERCHANT"));
  const rows = empty
    ? []
    : store.searchOrders({
        by: byCreated ? "created" : "updated",
        after,
        before,
        now,
        ...(statuses ? { statuses } : {}),
        ...(cursor ? { cursor } : {}),
        limit: max + 1,
      });
  const page = rows.slice(0, max);
  const last = page[page.length - 1];
  const body: Record<string, unknown> = { orders: page.map((r) => renderOrder(r, included, roles, now)) };
  if (rows.length > max && last) {
    body.pagination = {
      nextToken: encodeToken({
        f: fingerprint,
        b: before,
        t: byCreated ? last.createdMs : last.updatedMs,
        id: last.order.orderId,
        e: now + TOKEN_LIFETIME,
      }),
    };
  }
  body[byCreated ? "createdBefore" : "lastUpdatedBefore"] = iso(before);
  return amazonJson(body, rateLimit);
}

export function getOrder(
  store: SellerStore,
  orderId: string,
  url: URL,
  roles: readonly AppRole[],
  now: number,
  rateLimit: string,
): Response {
  const included = parseIncluded(url.searchParams);
  if (typeof included === "string") return unknownIncluded(included, rateLimit);
  const row = store.getOrder(orderId, now);
  if (!row) return amazonErrors(404, "NotFound", `Order ${orderId} was not found.`, "", rateLimit);
  return amazonJson({ order: renderOrder(row, included, roles, now) }, rateLimit);
}

/** Amazon's answer to a dataset it does not know: its general InvalidInput, naming the value. */
function unknownIncluded(value: string, rateLimit: string): Response {
  return invalidInput(
    "The input you have submitted is not valid. Please check your input and try again.",
    rateLimit,
    `includedData: ${value} is not one of ${INCLUDED_DATA.join(", ")}.`,
  );
}

interface PageToken {
  f: number;
  b: number;
  t: number;
  id: string;
  e: number;
}

function encodeToken(t: PageToken): string {
  return btoa(JSON.stringify(t)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeToken(text: string): PageToken | undefined {
  try {
    const t = JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/"))) as PageToken;
    if (
      typeof t.f !== "number" ||
      typeof t.b !== "number" ||
      typeof t.t !== "number" ||
      typeof t.id !== "string"
    ) {
      return undefined;
    }
    return t;
  } catch {
    return undefined;
  }
}
