import { describe, expect, it } from "vitest";
import { toOrder } from "./normalise.ts";
import { ApiOrderSchema } from "./schemas.ts";
import { apiOrder } from "./test-fakes.ts";

describe("toOrder", () => {
  it("turns a 2026-01-01 order into Consign's new order with no label and no confirmation", () => {
    const order = toOrder(
      ApiOrderSchema.parse(
        apiOrder("202-1234567-1234567", {
          buyer: { buyerName: "Isla Campbell" },
          recipient: {
            deliveryAddress: {
              name: "Isla Campbell",
              addressLine1: "12 Castle Street",
              city: "Inverness",
              districtOrCounty: "Highland",
              postalCode: "IV2 3AB",
              countryCode: "GB",
            },
          },
          proceeds: { grandTotal: { amount: "19.98", currencyCode: "GBP" } },
        }),
      ),
    );
    expect(order).toMatchObject({
      orderId: "202-1234567-1234567",
      marketplaceId: "A1F83G8C2ARO7P",
      amazonStatus: "UNSHIPPED",
      fulfilmentChannel: "MFN",
      shipServiceLevel: "NextDay",
      isPrime: true,
      latestShipDate: Date.parse("2026-11-25T23:59:59Z"),
      latestDeliveryDate: Date.parse("2026-11-26T23:59:59Z"),
      buyerName: "Isla Campbell",
      recipient: {
        name: "Isla Campbell",
        line1: "12 Castle Street",
        postcode: "IV2 3AB",
        county: "Highland",
      },
      orderTotal: { amount: "19.98", currencyCode: "GBP" },
      state: "new",
      labelRevision: 0,
      shipments: [],
      confirmation: { state: "none", attempts: 0 },
    });
    expect(order.items[0]).toMatchObject({ sku: "MUG-1", quantityOrdered: 2, quantityShipped: 0 });
  });

  it("keeps Amazon's IOSS number on the item, for the courier of an EU parcel", () => {
    const base = apiOrder("202-1-2");
    const order = toOrder(
      ApiOrderSchema.parse({
        ...base,
        orderItems: base.orderItems.map((i) => ({
          ...i,
          shipping: { internationalShipping: { iossNumber: "IM2760000742" } },
        })),
      }),
    );
    expect(order.items[0]?.iossNumber).toBe("IM2760000742");
    expect(toOrder(ApiOrderSchema.parse(base)).items[0]).not.toHaveProperty("iossNumber");
  });

  it("marks a buyer's cancellation request and keeps shipped and cancelled orders out of the packing queue", () => {
    const base = apiOrder("202-1-1");
    const requested = toOrder(
      ApiOrderSchema.parse({
        ...base,
        orderItems: base.orderItems.map((i) => ({
          ...i,
          cancellation: { cancellationRequest: { requester: "BUYER" } },
        })),
      }),
    );
    expect(requested.buyerCancellationRequested).toBe(true);
    expect(requested.state).toBe("new");
    const shipped = toOrder(
      ApiOrderSchema.parse({
        ...base,
        fulfillment: { ...base.fulfillment, fulfillmentStatus: "SHIPPED" },
        packages: [{ packageReferenceId: "1", shipTime: "2026-11-25T15:00:00Z" }],
      }),
    );
    expect(shipped).toMatchObject({
      state: "confirmed",
      confirmation: { state: "confirmed", confirmedAt: Date.parse("2026-11-25T15:00:00Z") },
    });
    const cancelled = toOrder(
      ApiOrderSchema.parse({ ...base, fulfillment: { ...base.fulfillment, fulfillmentStatus: "CANCELLED" } }),
    );
    expect(cancelled.state).toBe("cancelled");
  });

  it("keeps the carrier and tracking number of parcels sent before Consign, for the valid-tracking rate", () => {
    const base = apiOrder("202-1-2");
    const shipped = toOrder(
      ApiOrderSchema.parse({
        ...base,
        fulfillment: { ...base.fulfillment, fulfillmentStatus: "SHIPPED" },
        packages: [
          {
            packageReferenceId: "1",
            shipTime: "2026-11-25T15:00:00Z",
            carrier: "Royal Mail",
            trackingNumber: "GQ660548056GB",
          },
          {
            packageReferenceId: "2",
            shipTime: "2026-11-25T15:00:00Z",
            carrier: "Parcel Co",
            trackingNumber: "X1",
          },
        ],
      }),
    );
    expect(shipped.shipments).toEqual([
      expect.objectContaining({
        courier: "royal-mail",
        trackingNumber: "GQ660548056GB",
        amazonCarrierCode: "Royal Mail",
      }),
    ]);
  });

  it("leaves the address out when Amazon sent no name or street (no Restricted Data Token)", () => {
    const order = toOrder(
      ApiOrderSchema.parse(
        apiOrder("202-1-1", { recipient: { deliveryAddress: { postalCode: "M1 2AB", city: "Manchester" } } }),
      ),
    );
    expect(order.recipient).toBeUndefined();
  });
});
