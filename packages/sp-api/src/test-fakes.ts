// A fake clock and a scripted fetch for the client's unit tests (no network, no real time).

export function fakeTime(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let now = start;
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export type Handler = (req: Request) => Response | Promise<Response>;

/** A fetch that answers LWA itself and hands SP-API calls to `handler`, recording every call. */
export function scriptedFetch(handler: Handler, lwa?: Handler) {
  const calls: Request[] = [];
  let issued = 0;
  const fetchFn = async (input: string | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    calls.push(req.clone());
    if (req.url.endsWith("/auth/o2/token")) {
      if (lwa) return lwa(req);
      issued++;
      return Response.json({ access_token: `Atza|token-${issued}`, token_type: "bearer", expires_in: 3600 });
    }
    return handler(req);
  };
  return { fetch: fetchFn, calls, tokensIssued: () => issued };
}

export const BASE_OPTIONS = {
  lwaTokenUrl: "http://127.0.0.1:8788/auth/o2/token",
  baseUrl: "http://127.0.0.1:8788",
  clientId: "client",
  clientSecret: "secret",
  refreshToken: "Atzr|seller|token",
};

export const amazonError = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) =>
  new Response(JSON.stringify({ errors: [{ code, message, details: "" }] }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

export function apiOrder(id: string, overrides: Record<string, unknown> = {}) {
  return {
    orderId: id,
    createdTime: "2026-11-25T10:00:00Z",
    lastUpdatedTime: "2026-11-25T10:05:00Z",
    programs: ["PRIME"],
    salesChannel: { channelName: "AMAZON", marketplaceId: "A1F83G8C2ARO7P", marketplaceName: "Amazon.co.uk" },
    fulfillment: {
      fulfillmentStatus: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      fulfillmentServiceLevel: "NEXT_DAY",
      shipByWindow: { earliestDateTime: "2026-11-25T10:00:00Z", latestDateTime: "2026-11-25T23:59:59Z" },
      deliverByWindow: { earliestDateTime: "2026-11-26T00:00:00Z", latestDateTime: "2026-11-26T23:59:59Z" },
    },
    orderItems: [
      {
        orderItemId: "12345678901234",
        quantityOrdered: 2,
        product: {
          asin: "B0C4XJ2M1Q",
          title: "Enamel Camping Mug",
          sellerSku: "MUG-1",
          price: { unitPrice: { amount: "9.99", currencyCode: "GBP" } },
        },
      },
    ],
    ...overrides,
  };
}
