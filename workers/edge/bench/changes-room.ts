// The Durable Object that changes.bench.ts runs in workerd: the room's own change feed
// (OrderChanges over the Durable Object's SQLite), filled with N changes, read a page at a time as
// GET /api/v1/changes reads it, beside a naive reader (OFFSET paging) in the same object.
import { DurableObject } from "cloudflare:workers";
import { OrderChanges } from "../src/room/changes.ts";

const TYPES = ["order.created", "order.state_changed", "shipment.created", "order.dispatched"] as const;

export class BenchRoom extends DurableObject {
  private readonly changes = new OrderChanges(this.ctx.storage.sql);

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/fill") {
      const n = Number(url.searchParams.get("n"));
      for (let i = 0; i < n; i++) {
        const orderId = `202-${String(1_000_000 + (i % 5_000)).padStart(7, "0")}-0000001`;
        this.changes.record(TYPES[i % TYPES.length]!, orderId, 1_764_000_000_000 + i, {
          state: "printed",
          ...(i % 4 === 2 && { trackingNumber: `GQ${String(i).padStart(9, "0")}GB` }),
        });
      }
      return Response.json({ head: this.changes.head() });
    }
    const after = Number(url.searchParams.get("after"));
    const limit = Number(url.searchParams.get("limit"));
    const times = Number(url.searchParams.get("times") ?? 1);
    if (url.pathname === "/page") {
      // What the route sends: the page, each change in the API's shape. Made `times` times, so the
      // time per page stands out from the round trip.
      let text = "";
      for (let i = 0; i < times; i++) text = JSON.stringify(this.present(after, limit));
      return new Response(text, { headers: { "content-type": "application/json" } });
    }
    if (url.pathname === "/naive") {
      let text = "";
      for (let i = 0; i < times; i++) text = JSON.stringify(this.naive(after, limit));
      return new Response(text, { headers: { "content-type": "application/json" } });
    }
    return new Response("not found", { status: 404 });
  }

  private present(after: number, limit: number) {
    const page = this.changes.page(after, limit);
    return {
      changes: page.changes.map((c) => ({
        cursor: String(c.revision),
        revision: c.revision,
        type: c.type,
        orderId: c.orderId,
        occurredAt: new Date(c.at).toISOString(),
        state: c.detail.state,
        trackingNumber: c.detail.trackingNumber ?? null,
      })),
      nextCursor: String(page.next),
      hasMore: page.hasMore,
    };
  }

  private naive(after: number, limit: number) {
    const sql = this.ctx.storage.sql;
    {
      // The naive feed: every change read and parsed, then the ones after the cursor picked out.
      const rows = sql
        .exec<{ rev: number; type: string; order_id: string; at: number; detail: string }>(
          "SELECT rev, type, order_id, at, detail FROM order_changes ORDER BY at, rev",
        )
        .toArray()
        .map((r) => ({ ...r, detail: JSON.parse(r.detail) as { state: string; trackingNumber?: string } }));
      const page = rows.filter((r) => r.rev > after).slice(0, limit);
      return {
        changes: page.map((c) => ({
          cursor: String(c.rev),
          revision: c.rev,
          type: c.type,
          orderId: c.order_id,
          occurredAt: new Date(c.at).toISOString(),
          state: c.detail.state,
          trackingNumber: c.detail.trackingNumber ?? null,
        })),
        nextCursor: String(page.at(-1)?.rev ?? after),
        hasMore: rows.length > 0 && (page.at(-1)?.rev ?? 0) < rows[rows.length - 1]!.rev,
      };
    }
  }
}

export default {
  fetch(request: Request, env: { ROOM: DurableObjectNamespace<BenchRoom> }) {
    return env.ROOM.get(env.ROOM.idFromName("bench")).fetch(request);
  },
};
