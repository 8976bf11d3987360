import { Hono } from "hono";
import type { Env } from "./env.ts";

export type AppEnv = { Bindings: Env };

export function createApp() {
  const app = new Hono<AppEnv>();
  app.get("/health", async (c) => {
    const room = c.env.SELLER_ROOM.get(c.env.SELLER_ROOM.idFromName("health-check"));
    const ping = await room.ping();
    return c.json({ ok: true, service: "consign-edge", durableObject: { reachable: true, at: ping.at } });
  });
  return app;
}
