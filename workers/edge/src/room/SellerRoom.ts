import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

/**
 * One per seller: the Yjs room, the update log and snapshot, the archive, the label ledger,
 * the dispatch confirmation queue, the encrypted credentials and the alarms that drive them.
 * A thin adapter: the logic lives in packages and in the modules beside this file.
 */
export class SellerRoom extends DurableObject<Env> {
  async ping(): Promise<{ sellerId: string | null; at: number }> {
    const sellerId = (await this.ctx.storage.get<string>("sellerId")) ?? null;
    return { sellerId, at: Date.now() };
  }
}
