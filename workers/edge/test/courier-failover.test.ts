import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCourierSet } from "../src/labels/couriers.ts";
import {
  counters,
  credentialsFor,
  fast,
  inSellerRoom,
  setFaults,
  shipmentFor,
} from "../src/labels/testing.ts";
import { CourierFailover } from "../src/room/failover.ts";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, startRun } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  service: { courier: string; serviceCode: string; reason?: string } | null;
  shipments: { courier: string; trackingNumber: string; voidedAt: string | null }[];
}

async function runLabels(sellerId: string, token: string, orderIds: string[]) {
  const { runId, orderIds: sent } = await startRun(token, orderIds);
  await drainAlarms(
    sellerId,
    async () =>
      (await json<{ state: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }))).state ===
      "finished",
    60_000,
  );
  const view = await json<{ orders: { orderId: string; status: string; error: string | null }[] }>(
    await call(`/api/v1/labels/runs/${runId}`, { token }),
  );
  return { ...view, sent };
}

/** Orders a label can be bought for now (buyers' cancellation requests arrive as the day goes on). */
async function labellable(token: string, used: Set<string>, n: number): Promise<string[]> {
  const page = await json<{ orders: ApiOrder[] }>(
    await call("/api/v1/orders?state=new&limit=100", { token }),
  );
  const ids = page.orders
    .filter((o) => !o.cancellationRequested && !used.has(o.orderId))
    .slice(0, n)
    .map((o) => o.orderId);
  expect(ids).toHaveLength(n);
  return ids;
}

describe("courier failover", { timeout: 120_000 }, () => {
  it("Click & Drop down for the whole run: every order goes with the fallback, none bought twice when it returns", async () => {
    const { owner, token } = await connectedSeller("failover", { orders: 30, unshipped: 24, historyDays: 2 });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=100", { token }),
    );
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    await call("/api/v1/settings", {
      token,
      method: "PATCH",
      body: {
        sender: { name: "Despatch", line1: "1 Mill Lane", city: "Leeds", postcode: "LS1 1AA" },
        skuWeights: Object.fromEntries(skus.map((s) => [s, 300])),
      },
    });
    const rules = await call("/api/v1/rules", {
      token,
      method: "PUT",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: {
        rules: [
          {
            id: "rm",
            when: {},
            use: { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" },
          },
          { id: "evri", when: {}, use: { courier: "evri", serviceCode: "EVRI24" } },
        ],
      },
    });
    expect(rules.status, await rules.clone().text()).toBe(200);
    const key = `failover-${crypto.randomUUID()}`;
    await call("/api/v1/couriers/royal-mail", { token, method: "PUT", body: { apiKey: key } });
    await call("/api/v1/couriers/evri", {
      token,
      method: "PUT",
      body: { username: key, password: "pw", clientId: "CONSIGN", clientName: "Consign" },
    });
    await setFaults("royalmail", key, { down: true });

    const view = await runLabels(
      owner.sellerId,
      token,
      page.orders.slice(0, 8).map((o) => o.orderId),
    );
    const first = view.sent;
    expect(first.length).toBeGreaterThan(4);
    expect(view.orders.map((o) => o.status)).toEqual(first.map(() => "bought"));
    for (const id of first) {
      const o = await json<ApiOrder>(await call(`/api/v1/orders/${id}`, { token }));
      expect(o.shipments.filter((s) => s.voidedAt === null).map((s) => s.courier)).toEqual(["evri"]);
      expect(o.service?.reason).toBe("Royal Mail is not answering: sent with Evri Next Day instead");
    }
    expect((await counters("royalmail", key)).purchases).toBe(0);
    expect((await counters("evri", key)).purchases).toBe(first.length);
    const health = await json<{ couriers: { courier: string; down: boolean; reason: string | null }[] }>(
      await call("/api/v1/couriers/health", { token }),
    );
    expect(health.couriers.find((c) => c.courier === "royal-mail")).toMatchObject({
      down: true,
      reason: "Royal Mail is not answering",
    });

    // While Royal Mail is still down, the next run goes straight to Evri.
    const second = (await runLabels(owner.sellerId, token, await labellable(token, new Set(first), 3))).sent;
    const evri = first.length + second.length;
    expect((await counters("evri", key)).purchases).toBe(evri);

    // Royal Mail comes back: the room's probe finds it answering and nothing it bought.
    await setFaults("royalmail", key, {});
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("INSERT OR REPLACE INTO jobs VALUES ('failover', 0)");
    });
    await runDurableObjectAlarm(stub);
    // The probe is the alarm's job; the alarm returns after 250 ms while a job goes on, so wait for it.
    const probe = () =>
      runInDurableObject(stub, (_i, state) => {
        const f = new CourierFailover(state.storage.sql);
        return { down: f.isDown("royal-mail"), reconciled: f.reconciliations() };
      });
    let seen = await probe();
    for (const t0 = Date.now(); seen.down && Date.now() - t0 < 15_000; seen = await probe())
      await new Promise((r) => setTimeout(r, 50));
    expect(seen.down).toBe(false);
    expect(seen.reconciled.length).toBeGreaterThan(0);
    expect(seen.reconciled.every((r) => r.state === "nothing_bought")).toBe(true);
    const after = await json<{
      couriers: { courier: string; down: boolean }[];
      reconciled: { state: string }[];
    }>(await call("/api/v1/couriers/health", { token }));
    expect(after.couriers.every((c) => !c.down)).toBe(true);
    expect(after.reconciled.length).toBe(seen.reconciled.length);

    // And the next run uses Royal Mail again; still exactly one label per order.
    const third = (
      await runLabels(owner.sellerId, token, await labellable(token, new Set([...first, ...second]), 2))
    ).sent;
    expect((await counters("royalmail", key)).purchases).toBe(third.length);
    expect((await counters("evri", key)).purchases).toBe(evri);
  });

  it("a label the down courier did create is cancelled with it when it answers again", async () => {
    const account = crypto.randomUUID();
    const set = createCourierSet(env, credentialsFor(account), { rateLimits: fast });
    const rm = set.adapterFor("royal-mail");
    const key = `202-${crypto.randomUUID().slice(0, 7)}-0000001:1`;
    const request = shipmentFor(key.split(":")[0]!);
    // Royal Mail created it, but its answer never reached us (the room saw a timeout).
    const created = await rm.createShipment(request, { idempotencyKey: key });
    const result = await inSellerRoom(async (state) => {
      const f = new CourierFailover(state.storage.sql);
      for (let i = 0; i < 3; i++) f.record("royal-mail", "unanswered");
      const wasDown = f.isDown("royal-mail");
      f.keepForReconcile(key, "royal-mail", request.orderId, request);
      const next = await f.probe((c) => set.adapterFor(c));
      return { wasDown, next, reconciled: f.reconciliations(), down: f.isDown("royal-mail") };
    });
    expect(result.wasDown).toBe(true);
    expect(result.down).toBe(false);
    expect(result.next).toBeNull();
    expect(result.reconciled).toEqual([
      {
        labelKey: key,
        orderId: request.orderId,
        courier: "royal-mail",
        state: "cancelled",
        note: `Royal Mail had created ${created.trackingNumber} before it stopped answering; cancelled so only one label is paid for`,
      },
    ]);
    // Royal Mail no longer has it.
    expect(await rm.findShipment({ idempotencyKey: key })).toBeNull();
  });

  it("a storm of refusals marks a courier down; one label bought clears it", async () => {
    const seen = await inSellerRoom(async (state) => {
      const f = new CourierFailover(state.storage.sql);
      const marks = Array.from({ length: 20 }, () => f.record("dpd", "refused"));
      const down = f.states().find((s) => s.courier === "dpd");
      f.record("dpd", "bought");
      return {
        marks,
        down,
        after: f.isDown("dpd"),
        twoUnanswered: [f.record("evri", "unanswered"), f.record("evri", "unanswered"), f.isDown("evri")],
      };
    });
    expect(seen.marks.filter(Boolean)).toHaveLength(1);
    expect(seen.marks[19]).toBe(true);
    expect(seen.down).toMatchObject({ down: true, reason: "DPD refuses every label" });
    expect(seen.after).toBe(false);
    expect(seen.twoUnanswered).toEqual([false, false, false]);
  });
});
