import { Hono } from "hono";
import { createApiRouter, type SellerBackend } from "./api/index.ts";
import type { Identity } from "./auth/identity.ts";
import type { Env } from "./env.ts";
import { requestBodyLimit } from "./http/body-limit.ts";
import { notFound, onError } from "./http/errors.ts";
import { apiCors, securityHeaders } from "./http/security.ts";
import { authRoutes } from "./routes/auth.ts";
import { devRoutes } from "./routes/dev.ts";
import { connectRoutes, sellerRoutes } from "./routes/seller.ts";
import { syncRoutes } from "./routes/sync.ts";
import { teamRoutes } from "./routes/team.ts";
import { roomOf } from "./stubs.ts";

export type AppEnv = { Bindings: Env; Variables: { identity: Identity } };

export function createApp() {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use("*", securityHeaders());
  app.use("/api/v1/*", apiCors());
  app.use("/api/v1/*", requestBodyLimit());
  app.use("/auth/*", requestBodyLimit());

  app.get("/health", async (c) => {
    const ping = await roomOf(c.env, "health-check").ping();
    return c.json({ ok: true, service: "consign-edge", durableObject: { reachable: true, at: ping.at } });
  });
  app.route("/auth", authRoutes);
  app.route("/api/v1/team", teamRoutes);
  app.route("/api/v1", sellerRoutes);
  app.route(
    "/api/v1",
    createApiRouter((env, sellerId) => roomOf(env, sellerId) as unknown as SellerBackend),
  );
  app.route("/connect", connectRoutes);
  app.route("/sync", syncRoutes);
  app.route("/_dev", devRoutes);
  return app;
}
