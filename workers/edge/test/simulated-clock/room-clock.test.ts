// The seller's time is the room's, everywhere: GET /api/v1/clock answers the room's clock (the app
// counts its dispatch clock from it, lib/room-clock.ts), and a Royal Mail returns label is dated on
// it, not on the Worker's clock. With SIMULATED_CLOCK=true the room's time is moved days ahead.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX } from "../../src/labels/testing.ts";
import { call, json } from "../helpers.ts";
import { buyAndDispatch, connectedSeller, makeLabelReady, writeApi } from "../room-helpers.ts";

interface ApiOrder {
  orderId: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  recipient: { postcode: string } | null;
}

async function advance(sellerId: string, advanceMs: number): Promise<number> {
  const res = await exports.default.fetch("http://edge.test/_dev/clock", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sellerId, advanceMs }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { now: number }).now;
}

const DAY = 86_400_000;

describe("the seller's time is the room's", { timeout: 120_000 }, () => {
  it("GET /api/v1/clock answers the room's clock, days ahead of the Worker's once moved", async () => {
    const { owner, token } = await connectedSeller("room-clock", { orders: 2, unshipped: 1, historyDays: 1 });
    const before = await json<{ now: string; nowMs: number; timeZone: string }>(
      await call("/api/v1/clock", { token }),
    );
    expect(Math.abs(before.nowMs - Date.now())).toBeLessThan(60_000);
    expect(before.timeZone).toBe("Europe/London");
    const moved = await advance(owner.sellerId, 3 * DAY);
    const after = await json<{ now: string; nowMs: number }>(await call("/api/v1/clock", { token }));
    expect(after.nowMs).toBeGreaterThanOrEqual(moved);
    expect(after.nowMs - moved).toBeLessThan(60_000);
    expect(after.nowMs - Date.now()).toBeGreaterThan(3 * DAY - 60_000);
    expect(Date.parse(after.now)).toBe(after.nowMs);
  });

  it("a Royal Mail returns label is dated on the room's clock", async () => {
    const { owner, token } = await connectedSeller("room-clock-returns", {
      orders: 4,
      unshipped: 4,
      historyDays: 1,
    });
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new&limit=100", { token }))
    ).orders.filter((o) => !o.cancellationRequested && o.recipient);
    const sent = open[0]!;
    const rmKey = `rclock-${crypto.randomUUID()}`;
    await makeLabelReady(token, [...new Set(open.flatMap((o) => o.items.map((i) => i.sku)))], rmKey);
    await buyAndDispatch(token, owner.sellerId, sent.orderId);

    // Two days later on the seller's clock, the buyer sends it back.
    const roomNow = await advance(owner.sellerId, 2 * DAY);
    const made = await writeApi(token, `/api/v1/orders/${sent.orderId}/returns`, { courier: "royal-mail" });
    expect(made.status, await made.clone().text()).toBe(201);
    const res = await fetch(
      `${SANDBOX}/royalmail/api/v1/orders/"${encodeURIComponent(`${sent.orderId}:return:1`)}"`,
      { headers: { Authorization: `Bearer ${rmKey}` } },
    );
    expect(res.status).toBe(200);
    const [order] = (await res.json()) as { orderDate: string }[];
    const dated = Date.parse(order!.orderDate);
    expect(dated).toBeGreaterThanOrEqual(roomNow);
    expect(dated - roomNow).toBeLessThan(60_000);
    expect(dated - Date.now()).toBeGreaterThan(2 * DAY - 60_000);
  });
});
