// The embedded default for `npm start`: a demo seller with an owner and a packer. Only when the
// deployment says SEED_DEMO=true (never set it in production).
import { ConsignError, ErrorCode } from "@consign/domain";
import { Hono } from "hono";
import { setUpOrderChange } from "../amazon/notifications.ts";
import type { AppEnv } from "../app.ts";
import { unwrap } from "../http/result.ts";
import { directoryOf, roomOf } from "../stubs.ts";

export const devRoutes = new Hono<AppEnv>().post("/seed-demo", async (c) => {
  if (c.env.SEED_DEMO !== "true")
    throw new ConsignError(ErrorCode.NotFound, "Demo seeding is switched off here.");
  const demo = await directoryOf(c.env).seedDemo();
  const room = unwrap(await roomOf(c.env, demo.sellerId).seedDemo(demo.sellerId));
  // Live updates for the demo seller too (ORDER_CHANGE through the sandbox's queue).
  const amazon = unwrap(await roomOf(c.env, demo.sellerId).amazonStatus());
  if (amazon.sellingPartnerId) await setUpOrderChange(c.env, demo.sellerId, amazon.sellingPartnerId);
  return c.json({ ...demo, sellerName: "Demo Trading Ltd", ...room });
});
