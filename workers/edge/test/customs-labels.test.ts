// Customs in the room, in workerd against the Click & Drop sandbox: an order to Jersey is refused
// before any label is bought while its SKUs lack customs data (each SKU and field named), the
// sandbox itself refuses a Click & Drop order without the fields, and once the owner adds the data
// the label is bought with the customs lines (Consign prints the CN22 itself: packages/labels).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createRoyalMailAdapter } from "@consign/couriers";
import { ConsignError } from "@consign/domain";
import { writeOrder } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, makeLabelReady } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  cancellationRequested: boolean;
  items: { sku: string; title: string }[];
  shipments: { trackingNumber: string; voidedAt: string | null }[];
}
interface ApiError {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
}

const jersey = {
  name: "Ann Le Cornu",
  line1: "12 Bath Street",
  city: "St Helier",
  postcode: "JE2 4ST",
  countryCode: "GB",
};

const patch = (token: string, body: unknown) =>
  call("/api/v1/settings", {
    token,
    method: "PATCH",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body,
  });
const startRun = (token: string, orderIds: string[]) =>
  call("/api/v1/labels/runs", {
    token,
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: { orderIds },
  });

describe("customs on a label", { timeout: 90_000 }, () => {
  it("refuses a Jersey order without customs data, naming the SKU, then buys it once the data is there", async () => {
    const { owner, token } = await connectedSeller("customs", { orders: 12, unshipped: 10, historyDays: 1 });
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new&limit=100", { token }))
    ).orders.filter((o) => !o.cancellationRequested);
    const order = open[0]!;
    const skus = [...new Set(order.items.map((i) => i.sku))];
    const key = `customs-${crypto.randomUUID()}`;
    await makeLabelReady(token, skus, key);

    // Amazon's address for the order is in Jersey (a GB postcode, outside the UK's customs territory).
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    await runInDurableObject(stub, (instance) => {
      const core = (
        instance as unknown as { core: { sync: { transact(fn: (d: never) => void, o: string): void } } }
      ).core;
      core.sync.transact((d) => writeOrder(d, { orderId: order.orderId, recipient: jersey }), "import");
    });

    // Refused before anything is bought: each SKU named, and where to add its data.
    const refused = await startRun(token, [order.orderId]);
    expect(refused.status).toBe(409);
    const why = await json<ApiError>(refused);
    expect(why.error.message).toContain("nothing was bought");
    expect(why.error.fields[0]?.message).toContain("Parcels to the Channel Islands need customs data");
    for (const sku of skus) expect(why.error.fields[0]?.message).toContain(sku);
    expect(why.error.fields[0]?.message).toContain("Settings → Stock → Customs");

    // Click & Drop itself (the sandbox) refuses the parcel without the fields, naming each one.
    const rm = createRoyalMailAdapter(
      { baseUrl: "http://127.0.0.1:8788/royalmail/api/v1", apiKey: key },
      { fetch: (input, init) => fetch(input, init) },
    );
    const direct = await rm
      .createShipment(
        {
          orderId: order.orderId,
          serviceCode: "TPN24",
          recipient: jersey,
          sender: {
            name: "Despatch",
            line1: "1 Mill Lane",
            city: "Leeds",
            postcode: "LS1 1AA",
            countryCode: "GB",
          },
          package: { weightGrams: 350 },
          contents: [{ sku: skus[0]!, description: "Mug", quantity: 1, unitValue: 9.5 }],
          orderDate: Date.now(),
          goodsValue: 9.5,
        },
        { idempotencyKey: `${order.orderId}:direct` },
      )
      .catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(ConsignError);
    expect((direct as Error).message).toContain("customsCode");
    expect((direct as Error).message).toContain("originCountryCode");

    // A bad HS code is refused by the API with the field and how to fix it.
    const bad = await patch(token, {
      skuCustoms: { [skus[0]!]: { description: "Ceramic mug", hsCode: "69", originCountry: "GB" } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain("6 to 10 digits");

    // The owner adds the data: the label is bought, carrying it.
    const saved = await patch(token, {
      skuCustoms: Object.fromEntries(
        skus.map((s) => [
          s,
          { description: "Ceramic coffee mug", hsCode: "6912 00 23 10", originCountry: "gb" },
        ]),
      ),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await json<{ skuCustoms: Record<string, unknown> }>(saved)).skuCustoms[skus[0]!]).toEqual({
      description: "Ceramic coffee mug",
      hsCode: "6912002310",
      originCountry: "GB",
    });
    const started = await startRun(token, [order.orderId]);
    expect(started.status, await started.clone().text()).toBe(202);
    const { runId } = await json<{ runId: string }>(started);
    await drainAlarms(owner.sellerId, async () => {
      const view = await json<{ state: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }));
      return view.state === "finished";
    });
    const view = await json<{ totals: Record<string, number>; orders: { status: string; error?: string }[] }>(
      await call(`/api/v1/labels/runs/${runId}`, { token }),
    );
    expect(view.orders[0], JSON.stringify(view)).toMatchObject({ status: "bought" });
    // Click & Drop took it (it refuses a Jersey parcel without the fields, as above); the label is one page.
    const label = await call(`/api/v1/orders/${order.orderId}/label`, { token });
    expect(label.status).toBe(200);
    const text = new TextDecoder().decode(await label.arrayBuffer());
    expect(text).toContain("JE2 4ST");
    expect(text).not.toContain("CN22 customs declaration");
  });
});
