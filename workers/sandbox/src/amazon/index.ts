import { Hono } from "hono";
import type { SandboxEnv } from "../env.ts";

/** Login with Amazon, Seller Central consent and the SP-API operations. */
export const amazon = new Hono<{ Bindings: SandboxEnv }>();
