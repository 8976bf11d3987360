// A packer splits an order into two parcels in the order drawer, in Chromium against the whole
// stack: units that do not add up are named and cannot be saved; once saved the room holds two
// parcels; a label run then gives each parcel its own label and tracking number, shown per parcel.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type BuyableOrder,
  edgeApi,
  openOrderDrawer,
  openTablet,
  readyToBuy,
  screenshot,
  signInTablet,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");
/** The demo seller's sandbox courier accounts (workers/edge/src/room/demo.ts). */
const DEMO_ACCOUNTS: Record<string, [string, string]> = {
  "royal-mail": ["royalmail", "demo-click-and-drop-key"],
  dpd: ["dpd", "demo"],
  evri: ["evri", "demo"],
};
const demo = inject("demo");
const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

interface Order extends BuyableOrder {
  items: { orderItemId: string; sku: string; quantityOrdered: number }[];
  shipments: { courier: string; trackingNumber: string; voidedAt: string | null }[];
}

describe("splitting an order into parcels", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("parcels", { width: 1280, height: 800 });
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Parcels",
    });
  });
  afterAll(async () => {
    await tablet?.close();
  });

  it("splits an order in the drawer, and the run buys one label per parcel", async () => {
    const { page } = tablet;
    const { body } = await api<{ orders: Order[] }>("/api/v1/orders?state=new&limit=200");
    const order = readyToBuy(body.orders).find(
      (o) => o.items.reduce((n, i) => n + i.quantityOrdered, 0) >= 2,
    );
    expect(order, "a ready demo order of two or more units").toBeDefined();
    const id = order!.orderId;
    await openOrderDrawer(page, id);
    const parcels = page.getByTestId("parcels");
    await parcels.getByTestId("split-parcels").click();

    // Everything starts in parcel 1; moving one unit of the first line to parcel 2.
    const first = order!.items[0]!;
    const one = parcels.getByLabel(`${first.sku} in parcel 1`);
    const two = parcels.getByLabel(`${first.sku} in parcel 2`);
    // Too many units: named, and Save is off.
    await two.fill("1");
    await expect
      .poll(() => parcels.getByTestId("parcels-left").textContent())
      .toContain(`1 unit of ${first.sku} too many`);
    expect(await parcels.getByTestId("save-parcels").isDisabled()).toBe(true);
    await one.fill(String(first.quantityOrdered - 1));
    await expect
      .poll(() => parcels.getByTestId("parcels-left").textContent())
      .toBe("Every unit is in a parcel.");
    await parcels.getByTestId("save-parcels").click();
    await expect.poll(() => parcels.getByTestId("parcel").count(), { timeout: 20_000 }).toBe(2);
    await screenshot(page, "parcels-split");

    // Labels for the order through a run: one per parcel, each parcel showing its own tracking number.
    const run = await api<{ runId: string }>("/api/v1/labels/runs", {
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ orderIds: [id] }),
    });
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/labels/runs/${run.body.runId}`)).body.state, {
        timeout: 90_000,
        interval: 1000,
      })
      .toBe("finished");
    const labelled = await api<Order>(`/api/v1/orders/${encodeURIComponent(id)}`);
    const tracking = labelled.body.shipments.filter((s) => s.voidedAt === null).map((s) => s.trackingNumber);
    expect(new Set(tracking).size).toBe(2);
    for (const t of tracking) {
      await expect.poll(() => parcels.textContent(), { timeout: 20_000 }).toContain(t);
    }
    // Labelled: the split can no longer be changed from the drawer.
    expect(await parcels.getByTestId("split-parcels").count()).toBe(0);

    // Dispatched; the courier delivers parcel 1. The room's tracking poll (10 s after the dispatch
    // in the journeys' stack, a minute by default) records it, and the drawer shows each parcel
    // where its courier says it is.
    const dispatched = await api<{ queued: string[] }>("/api/v1/dispatch", {
      method: "POST",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ orderIds: [id] }),
    });
    expect(dispatched.body.queued).toEqual([id]);
    const active = labelled.body.shipments.filter((s) => s.voidedAt === null);
    const firstLabel = active[0]!;
    const [courier, account] = DEMO_ACCOUNTS[firstLabel.courier]!;
    const delivered = await fetch(
      `${sandboxUrl}/_sandbox/couriers/${courier}/accounts/${account}/deliver/${firstLabel.trackingNumber}`,
      { method: "POST" },
    );
    expect(delivered.status).toBe(200);
    const delivery = page.getByTestId("delivery");
    const parcel1 = delivery.locator("[data-testid=delivery-parcel][data-parcel='1']");
    const parcel2 = delivery.locator("[data-testid=delivery-parcel][data-parcel='2']");
    await expect.poll(() => parcel1.textContent(), { timeout: 150_000, interval: 2000 }).toMatch(/Delivered/);
    await expect.poll(() => parcel2.textContent(), { timeout: 30_000 }).not.toMatch(/Delivered/);
    await screenshot(page, "parcels-delivery");
  }, 360_000);
});
