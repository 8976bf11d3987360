// Helpers for the adapter tests: a fake courier that answers from a script and records calls.
import type { ShipmentRequest } from "./types.ts";

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type FakeAnswer = (call: RecordedCall) => Response | Promise<Response>;

export function fakeFetch(answer: FakeAnswer) {
  const calls: RecordedCall[] = [];
  const fetch = async (input: string, init: RequestInit = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const text = typeof init.body === "string" ? init.body : undefined;
    const call = {
      url: input,
      method: init.method ?? "GET",
      headers,
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    if (init.signal?.aborted) throw new DOMException("The operation timed out.", "TimeoutError");
    return answer(call);
  };
  return { fetch, calls };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

export const PDF_BYTES = new TextEncoder().encode("%PDF-1.4\n%test\n");
export const PDF_BASE64 = btoa(String.fromCharCode(...PDF_BYTES));

export const sampleRequest: ShipmentRequest = {
  orderId: "202-1234567-1234567",
  serviceCode: "TPN24",
  recipient: {
    name: "Ada Lovelace",
    line1: "10 Downing Street",
    city: "London",
    postcode: "sw1a2aa",
    countryCode: "GB",
  },
  sender: {
    name: "Despatch",
    companyName: "Acme Ltd",
    line1: "1 Warehouse Way",
    city: "Leeds",
    postcode: "LS1 1AA",
    countryCode: "GB",
  },
  package: { weightGrams: 450, lengthMm: 300, widthMm: 200, heightMm: 50 },
  contents: [{ sku: "MUG-1", description: "Mug", quantity: 1, unitValue: 9.99 }],
  orderDate: Date.UTC(2026, 10, 20),
  goodsValue: 9.99,
  shippingPaid: 2.5,
};

/**
 * A shipment a seller would send today, to a Leeds flat from a Hebden Bridge unit: for the journeys
 * and benchmarks that buy real labels from the sandboxes. `grams` picks large letter or parcel.
 */
export function shipmentFor(orderId: string, serviceCode: string, grams: number): ShipmentRequest {
  return {
    orderId,
    serviceCode,
    recipient: {
      name: "Priya Natarajan",
      line1: "Flat 12, The Old Granary",
      line2: "145 Riverside Road",
      city: "Leeds",
      postcode: "LS11 5QN",
      countryCode: "GB",
    },
    sender: {
      name: "Sam Packer",
      companyName: "Hebden Hobby Supplies Ltd",
      line1: "Unit 4, Canal Side",
      city: "Hebden Bridge",
      postcode: "HX7 8AD",
      countryCode: "GB",
    },
    package: { weightGrams: grams, format: grams <= 750 ? "large-letter" : "small-parcel" },
    contents: [{ sku: "MUG-1", description: "Mug", quantity: 1, unitValue: 9.5 }],
    orderDate: Date.now(),
    goodsValue: 9.5,
  };
}
