// Finances API 2024-06-19 listTransactions: refunds, A-to-z Guarantee claims (and a claim reversal)
// and chargebacks for the seller's orders, posted between postedAfter and postedBefore, in pages
// joined by nextToken. Order payments ("Shipment") are left out to keep pages small: Consign only
// reads the money that flows back to buyers.

import { amazonErrors, amazonJson, invalidInput, iso } from "../amazon/responses.ts";
import { UK_MARKETPLACE_ID } from "../amazon/wire.ts";
import type { CallContext } from "./gate.ts";

interface Posted {
  transactionId: string;
  type: string;
  description: string;
  orderId: string;
  at: number;
  pence: number;
}

async function transactions(ctx: CallContext): Promise<Posted[]> {
  const e = await ctx.buyerEvents();
  const out: Posted[] = [];
  const tid = (kind: string, orderId: string) => `${kind}-${orderId.replace(/-/g, "")}`;
  for (const r of e.refunds)
    out.push({
      transactionId: tid("RF", r.orderId),
      type: "Refund",
      description: "Refund Order",
      orderId: r.orderId,
      at: r.at,
      pence: -r.amountPence,
    });
  for (const c of e.claims) {
    out.push({
      transactionId: tid("GC", c.orderId),
      type: "GuaranteeClaim",
      description: "A-to-z Guarantee Claim",
      orderId: c.orderId,
      at: c.at,
      pence: -c.amountPence,
    });
    if (c.reversedAt)
      out.push({
        transactionId: tid("GR", c.orderId),
        type: "GuaranteeClaim",
        description: "A-to-z Guarantee Claim Reversal",
        orderId: c.orderId,
        at: c.reversedAt,
        pence: c.amountPence,
      });
  }
  for (const c of e.chargebacks)
    out.push({
      transactionId: tid("CB", c.orderId),
      type: "Chargeback",
      description: "Chargeback Refund",
      orderId: c.orderId,
      at: c.at,
      pence: -c.amountPence,
    });
  return out.sort((a, b) => a.at - b.at || a.transactionId.localeCompare(b.transactionId));
}

function wire(ctx: CallContext, t: Posted) {
  const amount = { currencyCode: "GBP", currencyAmount: t.pence / 100 };
  return {
    sellingPartnerMetadata: {
      sellingPartnerId: ctx.sellerId,
      accountType: "Standard Orders",
      marketplaceId: UK_MARKETPLACE_ID,
    },
    relatedIdentifiers: [{ relatedIdentifierName: "ORDER_ID", relatedIdentifierValue: t.orderId }],
    transactionType: t.type,
    transactionId: t.transactionId,
    transactionStatus: "RELEASED",
    description: t.description,
    postedDate: iso(t.at),
    totalAmount: amount,
    marketplaceDetails: { marketplaceId: UK_MARKETPLACE_ID, marketplaceName: "Amazon.co.uk" },
    items: [],
    breakdowns: [{ breakdownType: "ProductCharges", breakdownAmount: amount }],
  };
}

export async function listTransactions(ctx: CallContext, url: URL): Promise<Response> {
  const q = url.searchParams;
  const parse = (name: string): number | undefined | null => {
    const v = q.get(name);
    if (v === null) return undefined;
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  };
  const after = parse("postedAfter");
  const before = parse("postedBefore");
  if (after === null || before === null)
    return invalidInput("Date values must be in ISO 8601 format.", ctx.rateLimit);
  const byOrder = q.get("relatedIdentifierName") === "ORDER_ID" ? q.get("relatedIdentifierValue") : null;
  if (after === undefined && !byOrder) {
    return invalidInput(
      "postedAfter is required unless an ORDER_ID related identifier is given.",
      ctx.rateLimit,
    );
  }
  // Amazon's default and latest end: two minutes before now.
  const end = Math.min(before ?? ctx.now - 120_000, ctx.now - 120_000);
  if (after !== undefined && after > end)
    return invalidInput(
      "postedAfter must be before postedBefore (and at least two minutes before now).",
      ctx.rateLimit,
    );
  const marketplace = q.get("marketplaceId");
  const matching = (await transactions(ctx)).filter(
    (t) =>
      (after === undefined || t.at >= after) &&
      t.at < end &&
      (!byOrder || t.orderId === byOrder) &&
      (!marketplace || marketplace === UK_MARKETPLACE_ID),
  );
  const pageSize = ctx.extra.faults.financesPageSize ?? 10;
  let offset = 0;
  const token = q.get("nextToken");
  if (token) {
    let decoded = "";
    try {
      decoded = atob(token);
    } catch {
      decoded = "";
    }
    const m = /^page:(\d+)$/.exec(decoded);
    if (!m) return amazonErrors(400, "InvalidInput", "Invalid nextToken.", "", ctx.rateLimit);
    offset = Number(m[1]);
  }
  const page = matching.slice(offset, offset + pageSize);
  const next = offset + pageSize < matching.length ? btoa(`page:${offset + pageSize}`) : undefined;
  return amazonJson(
    { payload: { transactions: page.map((t) => wire(ctx, t)), ...(next ? { nextToken: next } : {}) } },
    ctx.rateLimit,
  );
}
