// The embedded default for `npm start`: a demo seller with an owner and a packer. Only when the
// deployment says SEED_DEMO=true (never set it in production).
import { ConsignError, ErrorCode } from "@consign/domain";
import { Hono } from "hono";
import { setUpOrderChange } from "../amazon/notifications.ts";
import type { AppEnv } from "../app.ts";
import { unwrap } from "../http/result.ts";
import { directoryOf, roomOf } from "../stubs.ts";

export const devRoutes = new Hono<AppEnv>()
  .post("/seed-demo", async (c) => {
    if (c.env.SEED_DEMO !== "true")
      throw new ConsignError(ErrorCode.NotFound, "Demo seeding is switched off here.");
    const demo = await directoryOf(c.env).seedDemo();
    const room = unwrap(await roomOf(c.env, demo.sellerId).seedDemo(demo.sellerId));
    // Live updates for the demo seller too (ORDER_CHANGE through the sandbox's queue).
    const amazon = unwrap(await roomOf(c.env, demo.sellerId).amazonStatus());
    if (amazon.sellingPartnerId) await setUpOrderChange(c.env, demo.sellerId, amazon.sellingPartnerId);
    return c.json({ ...demo, sellerName: "Demo Trading Ltd", ...room });
  })
  // The demo seller's live document starts a new generation now (as after archiving): the journey
  // of devices moving across, offline edits carried, tried by hand or by the browser tests.
  .post("/rebase", async (c) => {
    if (c.env.SEED_DEMO !== "true")
      throw new ConsignError(ErrorCode.NotFound, "Demo seeding is switched off here.");
    const demo = await directoryOf(c.env).seedDemo();
    return c.json(unwrap(await roomOf(c.env, demo.sellerId).rebaseDocument()));
  })
  // The month simulation's clock (room/clock.ts): moves one seller's room forward in time. Only
  // where SIMULATED_CLOCK=true (test/sim's local stack); everywhere else it does not exist.
  .post("/clock", async (c) => {
    if (c.env.SIMULATED_CLOCK !== "true")
      throw new ConsignError(ErrorCode.NotFound, "There is no simulated clock here.");
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = null;
    }
    const { sellerId, advanceMs } = (body ?? {}) as { sellerId?: unknown; advanceMs?: unknown };
    if (typeof sellerId !== "string" || !/^[A-Za-z0-9_-]{1,80}$/.test(sellerId))
      throw new ConsignError(ErrorCode.BadRequest, "sellerId: the seller whose room's clock moves.", [
        { path: "sellerId", message: "Give the seller's id." },
      ]);
    if (typeof advanceMs !== "number" || !Number.isInteger(advanceMs) || advanceMs < 0)
      throw new ConsignError(ErrorCode.BadRequest, "advanceMs: whole milliseconds, 0 or more.", [
        { path: "advanceMs", message: "The clock only moves forward." },
      ]);
    return c.json(unwrap(await roomOf(c.env, sellerId).advanceClock(advanceMs)));
  })
  // The month simulation's "room evicted mid-batch" (SIMULATED_CLOCK=true only, like /clock).
  .post("/evict", async (c) => {
    if (c.env.SIMULATED_CLOCK !== "true")
      throw new ConsignError(ErrorCode.NotFound, "There is no simulated clock here.");
    const body = (await c.req.json().catch(() => null)) as { sellerId?: unknown } | null;
    const sellerId = body?.sellerId;
    if (typeof sellerId !== "string" || !/^[A-Za-z0-9_-]{1,80}$/.test(sellerId))
      throw new ConsignError(ErrorCode.BadRequest, "sellerId: the seller whose room is evicted.", [
        { path: "sellerId", message: "Give the seller's id." },
      ]);
    return c.json(unwrap(await roomOf(c.env, sellerId).simulateEviction()));
  });
