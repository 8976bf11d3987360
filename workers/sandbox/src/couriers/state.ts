import { DurableObject } from "cloudflare:workers";
import type { SandboxEnv } from "../env.ts";

/** One sandbox courier account: its shipments, idempotency keys and labels. */
export class CourierAccountState extends DurableObject<SandboxEnv> {}
