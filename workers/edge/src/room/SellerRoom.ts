import { DurableObject } from "cloudflare:workers";
import type { Identity } from "../auth/identity.ts";
import type { Env } from "../env.ts";
import { capture, type Result } from "../http/result.ts";
import { Revocations } from "./revocations.ts";

export const IDENTITY_HEADER = "x-consign-identity";

/**
 * One per seller: the Yjs room, the update log and snapshot, the archive, the label ledger,
 * the dispatch confirmation queue, the encrypted credentials and the alarms that drive them.
 * A thin adapter: the logic lives in packages and in the modules beside this file.
 */
export class SellerRoom extends DurableObject<Env> {
  private readonly revocations: Revocations;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.revocations = new Revocations(ctx.storage.sql);
  }

  async ping(): Promise<{ at: number }> {
    return { at: Date.now() };
  }

  assertActive(identity: Identity): Promise<Result<true>> {
    return capture(() => {
      this.revocations.check(identity);
      return true as const;
    });
  }

  async revokeSessions(sessionIds: string[]): Promise<void> {
    const now = Date.now();
    for (const id of sessionIds) this.revocations.revokeSession(id, now);
    this.closeSockets((who) => sessionIds.includes(who.sessionId), 4401, "This device was signed out");
  }

  async revokeUser(userId: string, at: number, why: string): Promise<void> {
    this.revocations.revokeUser(userId, at);
    this.closeSockets((who) => who.userId === userId, 4401, `Access ended: ${why}`);
  }

  override async fetch(request: Request): Promise<Response> {
    const identity = readIdentity(request);
    if (!identity) return new Response("Missing identity", { status: 400 });
    return new Response("Sync is not wired yet", { status: 501 });
  }

  private closeSockets(match: (who: Identity) => boolean, code: number, reason: string): void {
    for (const ws of this.ctx.getWebSockets()) {
      const who = (ws.deserializeAttachment() as { identity?: Identity } | null)?.identity;
      if (who && match(who)) ws.close(code, reason);
    }
  }
}

export function readIdentity(request: Request): Identity | null {
  const raw = request.headers.get(IDENTITY_HEADER);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Identity;
  } catch {
    return null;
  }
}
