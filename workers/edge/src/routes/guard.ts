// The same middleware chain as every /api/v1 operation (access, rate limit, Idempotency-Key on
// writes) for the routes written as plain Hono handlers: settings, stock, archive, Amazon, team.
import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import type { SellerBackend } from "../api/backend.ts";
import { type BackendForEnv, guard } from "../api/middleware.ts";
import type { Capability } from "../auth/permissions.ts";
import { roomOf } from "../stubs.ts";

/** The seller's room, which implements the API backend (rate buckets and idempotency keys live there). */
export const roomBackend: BackendForEnv = (env, sellerId) =>
  roomOf(env, sellerId) as unknown as SellerBackend;

import type { AppEnv } from "../app.ts";

export function access(capability: Capability): MiddlewareHandler<AppEnv> {
  return every(...guard(roomBackend, capability)) as MiddlewareHandler<AppEnv>;
}
