// Listings Items 2021-08-01 patchListingsItem: JSON Patch on fulfillment_availability (the quantity
// a merchant-fulfilled listing offers). Answers 200 ACCEPTED, or 200 INVALID with issues (the
// `refuseSkus` fault switch makes Amazon refuse a SKU with a given message); malformed requests
// get 400 with an error list.

import { amazonErrors, amazonJson, invalidInput } from "../amazon/responses.ts";
import type { CallContext } from "./gate.ts";

const OPS = ["add", "replace", "merge", "delete"];

export async function patchListingsItem(
  ctx: CallContext,
  sellerId: string,
  sku: string,
  url: URL,
  body: unknown,
): Promise<Response> {
  if (sellerId !== ctx.sellerId) {
    return amazonErrors(
      403,
      "Unauthorized",
      "Access to requested resource is denied.",
      "The sellerId in the path is not the seller of this token.",
      ctx.rateLimit,
    );
  }
  const marketplaces = url.searchParams.get("marketplaceIds");
  if (!marketplaces) return invalidInput("Missing required parameter: marketplaceIds.", ctx.rateLimit);
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    productType?: unknown;
    patches?: unknown;
  };
  if (typeof b.productType !== "string" || b.productType === "") {
    return invalidInput("Request body is invalid: productType is required.", ctx.rateLimit);
  }
  if (!Array.isArray(b.patches) || b.patches.length === 0) {
    return invalidInput(
      "Request body is invalid: patches must list at least one JSON Patch operation.",
      ctx.rateLimit,
    );
  }
  const issues: {
    code: string;
    message: string;
    severity: "ERROR";
    attributeNames: string[];
    categories: string[];
  }[] = [];
  let quantity: number | null = null;
  for (const p of b.patches as { op?: unknown; path?: unknown; value?: unknown }[]) {
    if (
      typeof p !== "object" ||
      p === null ||
      typeof p.op !== "string" ||
      !OPS.includes(p.op) ||
      typeof p.path !== "string"
    ) {
      return invalidInput(
        "Request body is invalid: each patch needs op (add, replace, merge, delete) and path.",
        ctx.rateLimit,
      );
    }
    if (p.path !== "/attributes/fulfillment_availability") continue;
    const first = Array.isArray(p.value)
      ? (p.value[0] as { fulfillment_channel_code?: unknown; quantity?: unknown } | undefined)
      : undefined;
    if (p.op === "delete") continue;
    if (
      !first ||
      typeof first.quantity !== "number" ||
      !Number.isInteger(first.quantity) ||
      first.quantity < 0
    ) {
      issues.push({
        code: "4000001",
        message:
          "The value for 'quantity' in 'fulfillment_availability' must be a whole number of 0 or more.",
        severity: "ERROR",
        attributeNames: ["fulfillment_availability"],
        categories: ["INVALID_ATTRIBUTE"],
      });
    } else {
      quantity = first.quantity;
    }
  }
  const refusal = ctx.extra.faults.refuseSkus?.[sku];
  if (refusal !== undefined) {
    issues.push({
      code: "90111",
      message: refusal || `The SKU '${sku}' does not match any listing of this seller in the marketplace.`,
      severity: "ERROR",
      attributeNames: ["fulfillment_availability"],
      categories: ["INVALID_ATTRIBUTE"],
    });
  }
  const status = issues.length > 0 ? "INVALID" : "ACCEPTED";
  const log = ctx.extra.listings.get(sku) ?? [];
  log.push({
    sku,
    quantity,
    status,
    at: new Date(ctx.now).toISOString(),
    issues: issues.map((i) => i.message),
  });
  ctx.extra.listings.set(sku, log);
  // Amazon's offer follows the quantity accepted: buyers cannot order more than it (at 0, none).
  if (status === "ACCEPTED" && quantity !== null) await ctx.setListingQuantity(sku, quantity);
  return amazonJson(
    { sku, status, submissionId: crypto.randomUUID().replace(/-/g, ""), issues },
    ctx.rateLimit,
  );
}
