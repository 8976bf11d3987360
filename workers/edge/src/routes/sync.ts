// The sync WebSocket: /sync/{sellerId}?token=… (the y-websocket client's URL shape), and the first
// screen a new device paints while the socket brings the whole document: GET
// /sync/{sellerId}/first-screen with the same access token as 'Authorization: Bearer …'.
// The room is chosen by the verified token's seller, never by the path: the path must agree.
import { ConsignError, ErrorCode } from "@consign/domain";
import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import type { Identity } from "../auth/identity.ts";
import { allowed, identify } from "../auth/middleware.ts";
import { unwrap } from "../http/result.ts";
import { IDENTITY_HEADER } from "../room/SellerRoom.ts";
import { roomOf } from "../stubs.ts";
import { access } from "./guard.ts";

/** Browsers never see an HTTP status on a refused upgrade: accept, then close with a typed code. */
function refuse(code: 4401 | 4403, reason: string): Response {
  const pair = new WebSocketPair();
  pair[1].accept();
  pair[1].close(code, reason.slice(0, 120));
  return new Response(null, { status: 101, webSocket: pair[0] });
}

export const syncRoutes = new Hono<AppEnv>()
  // Whoever may open the socket (read) gets it: the same people get the whole document from the room.
  .get("/:sellerId/first-screen", access("read"), async (c) => {
    const identity = c.get("identity");
    if (identity.sellerId !== c.req.param("sellerId"))
      throw new ConsignError(ErrorCode.Forbidden, "This token belongs to another seller.");
    const screen = unwrap(await roomOf(c.env, identity.sellerId).firstScreen(identity.sellerId));
    c.header("Cache-Control", "no-store");
    return c.json(screen);
  })
  .get("/:sellerId", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      return c.json(
        { error: { code: "bad_request", message: "Connect with a WebSocket.", fields: [] } },
        426,
      );
    }
    let identity: Identity;
    try {
      identity = await identify(c.env, c.req.query("token"));
      if (!allowed(identity, "read"))
        throw new ConsignError(ErrorCode.Forbidden, "No access to this seller.");
      unwrap(await roomOf(c.env, identity.sellerId).assertActive(identity));
    } catch (e) {
      if (e instanceof ConsignError) return refuse(e.status === 403 ? 4403 : 4401, e.message);
      throw e;
    }
    if (identity.sellerId !== c.req.param("sellerId")) {
      return refuse(4403, "This token belongs to another seller.");
    }
    const headers = new Headers(c.req.raw.headers);
    headers.set(IDENTITY_HEADER, JSON.stringify(identity));
    return roomOf(c.env, identity.sellerId).fetch(new Request(c.req.raw.url, { headers }));
  });
