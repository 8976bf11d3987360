import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env.ts";

/** Placeholder: replaced by the sync engineer's test room. */
export class SyncTestRoom extends DurableObject<Env> {}
