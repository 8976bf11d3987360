// The attack suite: a token or key of seller A opens nothing of seller B, whatever the path,
// body or room name says; forged, expired and revoked tokens are refused with a reason.

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { makeOrder } from "@consign/domain/testing";
import { readOrder, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { issueAccessToken } from "../src/auth/tokens.ts";
import type { SellerRoom } from "../src/room/SellerRoom.ts";
import { firstCloseCode, syncClient, until } from "./edge-socket.ts";
import { call, json, signUp } from "./helpers.ts";

async function putOrder(sellerId: string, orderId: string) {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId)) as DurableObjectStub<SellerRoom>;
  await runInDurableObject(stub, (instance) => {
    const core = (instance as unknown as { core: { sync: { transact(fn: (d: never) => void): void } } }).core;
    core.sync.transact((d) => upsertOrders(d, [makeOrder({ orderId })], "test"));
  });
}

describe("tenant isolation", () => {
  it("seller A's token cannot read or change seller B's orders through any path or body", async () => {
    const a = await signUp("tenant-a");
    const b = await signUp("tenant-b");
    await putOrder(b.sellerId, "202-0000000-0000001");
    expect((await call("/api/v1/orders/202-0000000-0000001", { token: b.accessToken })).status).toBe(200);
    expect((await call("/api/v1/orders/202-0000000-0000001", { token: a.accessToken })).status).toBe(404);
    const list = await json<{ orders: unknown[] }>(await call("/api/v1/orders", { token: a.accessToken }));
    expect(list.orders).toEqual([]);
    const dispatch = await call("/api/v1/dispatch", {
      token: a.accessToken,
      body: { orderIds: ["202-0000000-0000001"], sellerId: b.sellerId },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    // Nothing dispatched: 409, naming the order as not this seller's.
    expect(dispatch.status).toBe(409);
    const refused = await json<{ error: { fields: { path: string }[] } }>(dispatch);
    expect(refused.error.fields.map((f) => f.path)).toEqual(["orderIds.0"]);
    const stillB = await json<{ state: string }>(
      await call("/api/v1/orders/202-0000000-0000001", { token: b.accessToken }),
    );
    expect(stillB.state).toBe("new");
    const team = await json<{ members: { email: string }[] }>(
      await call("/api/v1/team", { token: a.accessToken }),
    );
    expect(team.members.map((m) => m.email)).not.toContain(b.user.email);
  });

  it("seller A's API key cannot read seller B's orders", async () => {
    const a = await signUp("key-a");
    const b = await signUp("key-b");
    await putOrder(b.sellerId, "203-0000000-0000001");
    const created = await json<{ key: string }>(
      await call("/api/v1/team/api-keys", { token: a.accessToken, body: { name: "ERP", scope: "write" } }),
    );
    expect((await call("/api/v1/orders/203-0000000-0000001", { token: created.key })).status).toBe(404);
  });

  it("a sync socket for another seller's room is closed with 4403, and the path cannot pick the room", async () => {
    const a = await signUp("room-a");
    const b = await signUp("room-b");
    const refused = await firstCloseCode(`ws://edge.test/sync/${b.sellerId}?token=${a.accessToken}`);
    expect(refused.code).toBe(4403);
    await putOrder(a.sellerId, "204-0000000-0000001");
    const client = syncClient(a.sellerId, a.accessToken);
    await until(() => client.provider.synced, "sync");
    expect(readOrder(client.doc, "204-0000000-0000001")?.orderId).toBe("204-0000000-0000001");
    client.destroy();
  });

  it("refuses forged, expired and missing tokens with 401 and a reason; sockets get 4401", async () => {
    const a = await signUp("forge");
    const [head, body, sig] = [a.accessToken.slice(0, 5), ...a.accessToken.slice(5).split(".")];
    const claims = JSON.parse(atob(body!.replace(/-/g, "+").replace(/_/g, "/")));
    const forgedBody = btoa(JSON.stringify({ ...claims, role: "owner", sid: "sel_someone_else" }))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    const forged = `${head}${forgedBody}.${sig}`;
    const res = await call("/api/v1/orders", { token: forged });
    expect(res.status).toBe(401);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/signature/);
    const expired = await issueAccessToken(
      env.TOKEN_SECRET,
      {
        ...claims,
        sellerId: a.sellerId,
        userId: a.user.id,
        role: "owner",
        sessionId: a.sessionId,
        name: "x",
      },
      Date.now() - 3_600_000,
    );
    const old = await call("/api/v1/orders", { token: expired.accessToken });
    expect(old.status).toBe(401);
    expect((await json<{ error: { code: string } }>(old)).error.code).toBe("token_expired");
    expect((await call("/api/v1/orders")).status).toBe(401);
    expect((await firstCloseCode(`ws://edge.test/sync/${a.sellerId}?token=${forged}`)).code).toBe(4401);
    expect(
      (await firstCloseCode(`ws://edge.test/sync/${a.sellerId}?token=${expired.accessToken}`)).code,
    ).toBe(4401);
  });

  it("a device signed out is closed at once (4401) and cannot reconnect", async () => {
    const a = await signUp("signedout");
    const client = syncClient(a.sellerId, a.accessToken);
    await until(() => client.provider.synced, "sync");
    const closed = new Promise<number>((resolve) =>
      client.provider.on("connection-close", (e: CloseEvent | null) => resolve(e?.code ?? 0)),
    );
    expect((await call("/auth/signout", { method: "POST", token: a.sessionToken })).status).toBe(200);
    expect(await closed).toBe(4401);
    client.destroy();
    expect((await firstCloseCode(`ws://edge.test/sync/${a.sellerId}?token=${a.accessToken}`)).code).toBe(
      4401,
    );
  });
});
