import { Hono } from "hono";
import type { SandboxEnv } from "../env.ts";

/** Royal Mail Click & Drop, Amazon Shipping v2, DPD UK and Evri sandboxes. */
export const couriers = new Hono<{ Bindings: SandboxEnv }>();
