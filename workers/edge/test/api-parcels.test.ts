// PUT /api/v1/orders/{orderId}/parcels: a packer splits an order into parcels before its labels.
import { HOUR_MS } from "@consign/domain";
import { makeOrder } from "@consign/domain/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { apiHarness, type ErrorJson, sellerWithKeys } from "./api-harness.ts";

const { fakes, request } = apiHarness();
let a: Awaited<ReturnType<typeof sellerWithKeys>>;

const TWO_LINES = "202-3333333-0000001";
const LABELLED = "202-3333333-0000002";
const lines = [
  { orderItemId: "L1", sku: "MUG", asin: "A1", title: "Mug", quantityOrdered: 2, quantityShipped: 0 },
  { orderItemId: "L2", sku: "TEAPOT", asin: "A2", title: "Teapot", quantityOrdered: 1, quantityShipped: 0 },
];

beforeAll(async () => {
  a = await sellerWithKeys("parcels-a");
  fakes.for(a.owner.sellerId).add(
    makeOrder({ orderId: TWO_LINES, state: "ready", items: lines }),
    makeOrder({
      orderId: LABELLED,
      state: "label_bought",
      items: lines,
      shipments: [
        {
          id: `${LABELLED}:0`,
          courier: "royal-mail",
          serviceCode: "TPN24",
          trackingNumber: "GQ660548056GB",
          amazonCarrierCode: "Royal Mail",
          boughtAt: Date.now() - HOUR_MS,
        },
      ],
    }),
  );
});

const split = (orderId: string, body: unknown, key: string, token = a.writeKey) =>
  request(`/orders/${orderId}/parcels`, {
    method: "PUT",
    body,
    token,
    headers: { "Idempotency-Key": key },
  });

describe("splitting an order into parcels", () => {
  it("answers each parcel with its package reference and items", async () => {
    const res = await split(
      TWO_LINES,
      {
        parcels: [
          { items: [{ orderItemId: "L1", quantity: 2 }], package: { weightGrams: 700 } },
          { items: [{ orderItemId: "L2", quantity: 1 }] },
        ],
      },
      "split-1",
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      orderId: TWO_LINES,
      parcels: [
        {
          packageReferenceId: "1",
          items: [{ orderItemId: "L1", quantity: 2 }],
          package: { weightGrams: 700 },
        },
        { packageReferenceId: "2", items: [{ orderItemId: "L2", quantity: 1 }], package: null },
      ],
    });
  });

  it("refuses parcels that do not add up, naming what is missing", async () => {
    const res = await split(
      TWO_LINES,
      {
        parcels: [
          { items: [{ orderItemId: "L1", quantity: 1 }] },
          { items: [{ orderItemId: "L2", quantity: 1 }] },
        ],
      },
      "split-2",
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.fields).toEqual([{ path: "parcels", message: "1 unit of MUG in no parcel" }]);
  });

  it("refuses an empty parcel or a bad quantity at the door, naming the field", async () => {
    const res = await split(
      TWO_LINES,
      { parcels: [{ items: [] }, { items: [{ orderItemId: "L2", quantity: 0 }] }] },
      "split-3",
    );
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as ErrorJson).error.fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["parcels.0.items", "parcels.1.items.0.quantity"]));
  });

  it("refuses to split an order whose label is bought (409), and a read-only key (403)", async () => {
    const body = {
      parcels: [
        { items: [{ orderItemId: "L1", quantity: 2 }] },
        { items: [{ orderItemId: "L2", quantity: 1 }] },
      ],
    };
    const labelled = await split(LABELLED, body, "split-4");
    expect(labelled.status).toBe(409);
    expect(((await labelled.json()) as ErrorJson).error.message).toMatch(/void its labels before splitting/);
    expect((await split(TWO_LINES, body, "split-5", a.readKey)).status).toBe(403);
  });

  it("undoes a split with one parcel", async () => {
    const res = await split(
      TWO_LINES,
      {
        parcels: [
          {
            items: [
              { orderItemId: "L1", quantity: 2 },
              { orderItemId: "L2", quantity: 1 },
            ],
          },
        ],
      },
      "split-6",
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { parcels: unknown[] }).parcels).toHaveLength(1);
  });
});
