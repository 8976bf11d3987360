import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, startRun } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  items: { sku: string }[];
  shipments: {
    id: string;
    trackingNumber: string;
    voidedAt: string | null;
    manifest: { number: string } | null;
  }[];
}
interface ApiManifest {
  id: string;
  manifestNumber: number | null;
  state: string;
  labels: number;
  labelIds: string[];
  documentReady: boolean;
  automatic: boolean;
  requestedBy: string;
  error: string | null;
}

/** A connected seller with Royal Mail for every order and `n` labels bought through a run. */
async function sellerWithLabels(tag: string, n: number) {
  const { owner, token } = await connectedSeller(tag, { orders: 30, unshipped: 20, historyDays: 2 });
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
  await call("/api/v1/rules", {
    token,
    method: "PUT",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: {
      rules: [
        { id: "all", when: {}, use: { courier: "royal-mail", serviceCode: "TPS48", format: "small-parcel" } },
      ],
    },
  });
  const key = `day-${crypto.randomUUID()}`;
  await call("/api/v1/couriers/royal-mail", { token, method: "PUT", body: { apiKey: key } });
  const run = await startRun(
    token,
    page.orders.slice(0, n).map((o) => o.orderId),
  );
  const chosen = run.orderIds;
  let finished: { state: string; totals: { boughtNow: number }; orders: unknown[] } | undefined;
  await drainAlarms(
    owner.sellerId,
    async () => {
      finished = await json(await call(`/api/v1/labels/runs/${run.runId}`, { token }));
      return finished?.state === "finished";
    },
    60_000,
  );
  // Every chosen order got its label, or the run's own word on the one that did not (fresh16 of session 12 once
  // closed a manifest of 4 where 5 were expected, as fresh13 of session 11 once read an order with no label
  // after its run finished in api-client-journey: the same unexplained miss).
  expect(finished?.totals.boughtNow, JSON.stringify(finished?.orders)).toBe(chosen.length);
  return { owner, token, chosen, key };
}

describe("the end of the day through the API", { timeout: 90_000 }, () => {
  it("closes the day: voided before, on the manifest, refused a void after with the manifest named", async () => {
    const { token, chosen } = await sellerWithLabels("eod-api", 6);
    const voidIt = (orderId: string) =>
      call(`/api/v1/orders/${orderId}/void-label`, {
        token,
        method: "POST",
        headers: { "Idempotency-Key": crypto.randomUUID() },
      });
    expect((await voidIt(chosen[0]!)).status).toBe(200);

    const closed = await call("/api/v1/manifests", {
      token,
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(closed.status, await closed.clone().text()).toBe(201);
    const manifest = await json<ApiManifest>(closed);
    expect(manifest).toMatchObject({
      state: "completed",
      labels: chosen.length - 1,
      documentReady: true,
      automatic: false,
    });

    const pdf = await call(`/api/v1/manifests/${manifest.id}/document`, { token });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = new TextDecoder().decode(await pdf.arrayBuffer());
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text).toContain(`Manifest ${manifest.manifestNumber}`);

    const order = await json<ApiOrder>(await call(`/api/v1/orders/${chosen[1]}`, { token }));
    expect(order.shipments.at(-1)?.manifest?.number).toBe(String(manifest.manifestNumber));
    const refused = await voidIt(chosen[1]!);
    expect(refused.status).toBe(409);
    const body = await json<{ error: { code: string; message: string } }>(refused);
    expect(body.error.code).toBe("illegal_transition");
    expect(body.error.message).toContain(`was handed to Royal Mail on manifest ${manifest.manifestNumber}`);
    expect(body.error.message).toContain("can no longer be voided");

    const list = await json<{ manifests: ApiManifest[] }>(await call("/api/v1/manifests", { token }));
    expect(list.manifests.map((m) => m.id)).toEqual([manifest.id]);

    // The day's spend: the Royal Mail labels bought today, one voided (not costed).
    const spend = await json<{
      labels: number;
      lines: { courier: string; labels: number; voided: number; costPence: number | null }[];
    }>(await call("/api/v1/spend", { token }));
    expect(spend.labels).toBe(chosen.length);
    expect(spend.lines).toEqual([
      expect.objectContaining({
        courier: "royal-mail",
        serviceCode: "TPS48",
        labels: chosen.length,
        voided: 1,
      }),
    ]);
    expect(spend.lines[0]?.costPence).toBeGreaterThan(0);
    expect((await call("/api/v1/spend?day=5-12-2026", { token })).status).toBe(400);
    const again = await call("/api/v1/manifests", {
      token,
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(again.status).toBe(409);
    expect((await json<{ error: { message: string } }>(again)).error.message).toContain(
      "nothing to hand over",
    );
  });

  it("closes the day by itself at the owner's time", async () => {
    const { owner, token, chosen } = await sellerWithLabels("eod-auto", 3);
    const bad = await call("/api/v1/settings/courier-day", {
      token,
      method: "PATCH",
      body: { autoCloseAt: "6pm" },
    });
    expect(bad.status).toBe(400);
    // The time it is now in the UK: the close is due today, and the next one is booked for tomorrow.
    const ukNow = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(Date.now());
    const set = await call("/api/v1/settings/courier-day", {
      token,
      method: "PATCH",
      body: { autoCloseAt: ukNow },
    });
    expect(set.status, await set.clone().text()).toBe(200);
    expect(await json(set)).toMatchObject({ autoCloseAt: ukNow, failover: true });
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    const booked = await runInDurableObject(stub, (_i, state) => {
      const row = state.storage.sql.exec("SELECT due_at FROM jobs WHERE name = 'endOfDay'").toArray()[0];
      state.storage.sql.exec("UPDATE jobs SET due_at = 0 WHERE name = 'endOfDay'");
      return Number(row?.due_at);
    });
    expect(booked).toBeGreaterThan(Date.now() + 20 * 3_600_000); // tomorrow at that time
    await runDurableObjectAlarm(stub);
    await drainAlarms(
      owner.sellerId,
      async () => {
        const list = await json<{ manifests: ApiManifest[] }>(await call("/api/v1/manifests", { token }));
        return list.manifests.length === 1;
      },
      60_000,
    );
    const list = await json<{ manifests: ApiManifest[] }>(await call("/api/v1/manifests", { token }));
    expect(list.manifests[0]).toMatchObject({
      state: "completed",
      labels: chosen.length,
      automatic: true,
      requestedBy: "Automatic end of day",
    });
  });
});
