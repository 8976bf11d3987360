// The seller's connections and settings as the PWA uses them: Amazon (status, connect, the
// consent callback), couriers (write-only credentials), settings, and the archive of older orders.

import { ConsignError, type CourierId, ErrorCode } from "@consign/domain";
import { Hono } from "hono";
import { z } from "zod";
import { CALLBACK_PATH, verifyState } from "../amazon/index.ts";
import { setUpOrderChange, tearDownOrderChange } from "../amazon/notifications.ts";
import { archiveMonthView } from "../api/archive-month.ts";
import { monthParams, reviewRequestsChangeSchema, stockBodySchema } from "../api/schemas/admin.ts";
import type { AppEnv } from "../app.ts";
import { unwrap } from "../http/result.ts";
import { valid } from "../http/validate.ts";
import { COURIER_IDS } from "../room/courier-vault.ts";
import { settingsPatchSchema } from "../room/settings.ts";
import { roomOf } from "../stubs.ts";
import { access } from "./guard.ts";

const courierParam = z.object({ courier: z.enum(COURIER_IDS as [CourierId, ...CourierId[]]) });
// The request schemas are the ones the OpenAPI document describes (src/api/routes/admin.ts).
const stockBody = stockBodySchema;
const reviewBody = reviewRequestsChangeSchema;
const monthParam = monthParams;

export const sellerRoutes = new Hono<AppEnv>()
  .get("/amazon/status", access("read"), async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).amazonStatus()));
  })
  .post("/amazon/connect", access("manage"), async (c) => {
    const sellerId = c.get("identity").sellerId;
    return c.json({ url: unwrap(await roomOf(c.env, sellerId).amazonConsentUrl(sellerId)) });
  })
  .delete("/amazon", access("manage"), async (c) => {
    const sellerId = c.get("identity").sellerId;
    const gone = unwrap(await roomOf(c.env, sellerId).amazonDisconnect());
    // Amazon stops sending this seller's ORDER_CHANGE (its subscription deleted); routing stops now.
    const liveUpdates = await tearDownOrderChange(c.env, sellerId, gone);
    return c.json({ connected: false as const, liveUpdates });
  })
  .get("/couriers", access("read"), async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).courierStatus()));
  })
  .put("/couriers/:courier", access("manage"), valid("param", courierParam), async (c) => {
    const { courier } = c.req.valid("param");
    const body = await c.req.json().catch(() => {
      throw new ConsignError(ErrorCode.BadRequest, "Send the credentials as a JSON object.");
    });
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).setCourier(courier, body)));
  })
  // The room's clock: the app's dispatch clock counts on it, as the API's shipBy.risk does.
  .get("/clock", access("read"), async (c) => {
    const { now } = unwrap(await roomOf(c.env, c.get("identity").sellerId).clockNow());
    return c.json({ now: new Date(now).toISOString(), nowMs: now, timeZone: "Europe/London" });
  })
  .get("/settings", access("read"), async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).getSettings()));
  })
  .patch("/settings", access("manage"), valid("json", settingsPatchSchema), async (c) => {
    const identity = c.get("identity");
    return c.json(
      unwrap(await roomOf(c.env, identity.sellerId).patchSettings(identity, c.req.valid("json"))),
    );
  })
  .get("/health/official", access("read"), async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).officialHealth()));
  })
  .get("/stock", access("read"), async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).stock()));
  })
  .post("/stock/adjustments", access("work"), valid("json", stockBody), async (c) => {
    const identity = c.get("identity");
    unwrap(await roomOf(c.env, identity.sellerId).adjustStock(identity, c.req.valid("json").changes));
    return c.json(unwrap(await roomOf(c.env, identity.sellerId).stock()));
  })
  .get("/settings/review-requests", access("read"), async (c) => {
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).reviewRequests()));
  })
  .put("/settings/review-requests", access("manage"), valid("json", reviewBody), async (c) => {
    const on = c.req.valid("json").enabled;
    return c.json(unwrap(await roomOf(c.env, c.get("identity").sellerId).setReviewRequests(on)));
  })
  .get("/archive", access("read"), async (c) => {
    return c.json({ months: unwrap(await roomOf(c.env, c.get("identity").sellerId).archiveMonths()) });
  })
  .get("/archive/:month", access("read"), valid("param", monthParam), async (c) => {
    // The same order shape as GET /orders (archived orders are also in GET /orders?include=archived).
    const { month } = c.req.valid("param");
    return c.json(await archiveMonthView(roomOf(c.env, c.get("identity").sellerId), month, Date.now()));
  })
  .get("/archive/:month/documents", access("read"), valid("param", monthParam), async (c) => {
    // The PWA's offline copy for its local search: the orders as the live document holds them.
    const { month } = c.req.valid("param");
    return c.json({
      month,
      orders: unwrap(await roomOf(c.env, c.get("identity").sellerId).archiveMonth(month)),
    });
  });

/** Seller Central sends the seller back here after consent; the signed state names our seller. */
export const connectRoutes = new Hono<AppEnv>().get(CALLBACK_PATH.replace("/connect", ""), async (c) => {
  const back = (query: string) => c.redirect(`/settings?${query}`, 302);
  try {
    const state = c.req.query("state") ?? "";
    const { sellerId } = await verifyState(c.env, state, Date.now());
    const code = c.req.query("spapi_oauth_code") ?? "";
    const partner = c.req.query("selling_partner_id") ?? "";
    unwrap(await roomOf(c.env, sellerId).amazonFinishConnect(code, partner));
    // Live updates: Amazon's ORDER_CHANGE through SQS (the backup poll runs whatever happens here).
    await setUpOrderChange(c.env, sellerId, partner);
    return back("amazon=connected");
  } catch (e) {
    const message = e instanceof ConsignError ? e.message : "Connecting Amazon failed: try again.";
    if (!(e instanceof ConsignError)) console.error("amazon connect failed", e);
    return back(`amazon=error&message=${encodeURIComponent(message)}`);
  }
});
