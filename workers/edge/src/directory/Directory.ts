import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

/** Sellers, people, memberships, sessions, invites and API-key hashes (one instance). */
export class Directory extends DurableObject<Env> {}
