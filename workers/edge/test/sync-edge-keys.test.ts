// The report, through the real edge: a write-scoped API key opened /sync and changed an
// order's delivery postcode in the live document. Keys now read the live document only: the
// room closes the socket (4403) and the order read over HTTP is unchanged.

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { makeOrder } from "@consign/domain/testing";
import { readOrder, setWork, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import type { SellerRoom } from "../src/room/SellerRoom.ts";
import { syncClient, until } from "./edge-socket.ts";
import { call, json, signUp } from "./helpers.ts";

const ID = "205-0000000-0000001";

async function putOrder(sellerId: string) {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId)) as DurableObjectStub<SellerRoom>;
  await runInDurableObject(stub, (instance) => {
    const core = (instance as unknown as { core: { sync: { transact(fn: (d: never) => void): void } } }).core;
    core.sync.transact((d) => upsertOrders(d, [makeOrder({ orderId: ID })], "test"));
  });
}

describe("API keys on /sync", { timeout: 60_000 }, () => {
  it("a write key reads the live document but its edit closes the socket (4403) and changes nothing", async () => {
    const owner = await signUp("sync-key");
    await putOrder(owner.sellerId);
    const { key } = await json<{ key: string }>(
      await call("/api/v1/team/api-keys", {
        token: owner.accessToken,
        body: { name: "ERP", scope: "write" },
      }),
    );
    const before = await json<{ recipient?: unknown; shipTo?: unknown }>(
      await call(`/api/v1/orders/${ID}`, { token: key }),
    );
    const client = syncClient(owner.sellerId, key);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      client.provider.on("closed", (e: { code: number; reason: string }) => resolve(e)),
    );
    try {
      await until(() => client.provider.synced, "the key's socket to sync");
      expect(readOrder(client.doc, ID)?.orderId).toBe(ID);
      const record = client.doc.getMap("orders").get(ID) as { recipient?: Record<string, unknown> };
      client.doc
        .getMap("orders")
        .set(ID, { ...record, recipient: { ...record.recipient, postcode: "ZZ9 9ZZ" } });
      setWork(client.doc, ID, { notes: "from the ERP" });
      expect(await closed).toEqual({
        code: 4403,
        reason: "API keys only read the live document: change orders through /api/v1",
      });
      const after = await json<Record<string, unknown>>(await call(`/api/v1/orders/${ID}`, { token: key }));
      expect(JSON.stringify(after)).not.toContain("ZZ9 9ZZ");
      // Unchanged, revision and change time included (the ship-by bucket moves with the clock).
      expect({ ...after, shipBy: null }).toEqual({ ...before, shipBy: null });
    } finally {
      client.destroy();
    }
  });
});
