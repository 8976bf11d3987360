import { DurableObject } from "cloudflare:workers";
import type { SandboxEnv } from "../env.ts";

/** One sandbox selling partner: its orders, tokens and rate-limit buckets. */
export class AmazonSellerState extends DurableObject<SandboxEnv> {}
