// Figures for the Amazon import and dispatch confirmations, on a simulated clock against an in-process
// SP-API that enforces the usage plans (token buckets) and answers each call after LATENCY_MS.
// Run: node_modules/.bin/tsx packages/sp-api/bench/import.bench.ts
// Baseline in the same run: the same work with a naive client (no limiter; on 429 wait 1 s and retry).

import { createSpApiClient, type SpApiClient, type SpApiOperation, USAGE_PLANS } from "../src/index.ts";

const LATENCY_MS = 250;
const DAY = 86_400_000;

function simulation(totalOrders: number, unshippedShare: number, naive: boolean) {
  let now = Date.UTC(2026, 10, 26, 9, 0, 0);
  const start = now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let calls = 0;
  let throttled = 0;
  const take = (op: SpApiOperation) => {
    const plan = USAGE_PLANS[op];
    const b = buckets.get(op) ?? { tokens: plan.burst, at: now };
    b.tokens = Math.min(plan.burst, b.tokens + ((now - b.at) / 1000) * plan.rate);
    b.at = now;
    buckets.set(op, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
  const orders = Array.from({ length: totalOrders }, (_, i) => ({
    orderId: `202-${String(1000000 + i)}-0000001`,
    createdTime: new Date(start - DAY * 89 + i * 1000).toISOString(),
    lastUpdatedTime: new Date(start - DAY * 89 + i * 1000).toISOString(),
    salesChannel: { channelName: "AMAZON", marketplaceId: "A1F83G8C2ARO7P" },
    fulfillment: { fulfillmentStatus: i >= totalOrders * (1 - unshippedShare) ? "UNSHIPPED" : "SHIPPED" },
    orderItems: [{ orderItemId: String(i), quantityOrdered: 1, product: { sellerSku: "SKU" } }],
  }));
  const fetchFn = async (input: string | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    now += LATENCY_MS;
    const url = new URL(req.url);
    if (url.pathname === "/auth/o2/token") return Response.json({ access_token: "Atza|x", expires_in: 3600 });
    calls++;
    const op: SpApiOperation = url.pathname.endsWith("restrictedDataToken")
      ? "createRestrictedDataToken"
      : url.pathname.endsWith("shipmentConfirmation")
        ? "confirmShipment"
        : "searchOrders";
    if (!take(op)) {
      throttled++;
      return Response.json(
        { errors: [{ code: "QuotaExceeded", message: "You exceeded your quota" }] },
        { status: 429 },
      );
    }
    if (op === "createRestrictedDataToken")
      return Response.json({ restrictedDataToken: "Atz.sprdt|x", expiresIn: 3600 });
    if (op === "confirmShipment") return new Response(null, { status: 204 });
    const statuses = url.searchParams.get("fulfillmentStatuses")?.split(",");
    const matching = orders.filter((o) => !statuses || statuses.includes(o.fulfillment.fulfillmentStatus));
    const offset = Number(url.searchParams.get("paginationToken") ?? 0);
    const size = Number(url.searchParams.get("maxResultsPerPage") ?? 100);
    const next = offset + size < matching.length ? String(offset + size) : undefined;
    return Response.json({
      orders: matching.slice(offset, offset + size),
      ...(next ? { pagination: { nextToken: next } } : {}),
    });
  };
  const client: SpApiClient = createSpApiClient({
    fetch: fetchFn,
    lwaTokenUrl: "http://sim/auth/o2/token",
    baseUrl: "http://sim",
    clientId: "c",
    clientSecret: "s",
    refreshToken: "Atzr|x",
    clock: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => 0.5,
    ...(naive
      ? {
          usagePlans: Object.fromEntries(Object.keys(USAGE_PLANS).map((k) => [k, { rate: 1e9, burst: 1e9 }])),
          retry: { maxAttempts: 100_000, baseDelayMs: 1000, maxDelayMs: 1000 },
        }
      : { retry: { maxAttempts: 100 } }),
  });
  return { client, clock: () => now - start, stats: () => ({ calls, throttled }) };
}

async function importRun(total: number, naive: boolean) {
  const sim = simulation(total, 0.06, naive);
  const createdAfter = new Date(Date.UTC(2026, 7, 28)).toISOString();
  let firstUnshippedAt = -1;
  for await (const page of sim.client.searchOrdersPages({
    createdAfter,
    fulfillmentStatuses: ["UNSHIPPED", "PARTIALLY_SHIPPED"],
    includedData: ["BUYER", "RECIPIENT", "FULFILLMENT"],
  })) {
    if (firstUnshippedAt < 0 && page.orders.length > 0) firstUnshippedAt = sim.clock();
  }
  const unshippedDone = sim.clock();
  let n = 0;
  for await (const page of sim.client.searchOrdersPages({
    createdAfter,
    includedData: ["BUYER", "RECIPIENT", "FULFILLMENT"],
  })) {
    n += page.orders.length;
  }
  return { firstUnshippedAt, unshippedDone, allDone: sim.clock(), n, ...sim.stats() };
}

async function confirmRun(count: number, naive: boolean) {
  const sim = simulation(10, 0, naive);
  const body = {
    marketplaceId: "A1F83G8C2ARO7P",
    packageDetail: {
      packageReferenceId: "1",
      carrierCode: "Royal Mail",
      trackingNumber: "GQ660548056GB",
      shipDate: "2026-11-26T09:00:00Z",
      orderItems: [{ orderItemId: "1", quantity: 1 }],
    },
  };
  for (let i = 0; i < count; i++) await sim.client.confirmShipment(`202-0000000-${i}`, body);
  const seconds = sim.clock() / 1000;
  return { seconds, perSecond: count / seconds, ...sim.stats() };
}

const fmt = (ms: number) =>
  ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;

console.log(
  `Simulated clock; ${LATENCY_MS} ms per call; usage plans from the models (searchOrders 0.0056/s burst 20, confirmShipment 2/s burst 10).`,
);
for (const total of [500, 5000]) {
  for (const naive of [false, true]) {
    const r = await importRun(total, naive);
    console.log(
      `${naive ? "naive   " : "consign "} import ${String(total).padStart(5)} orders: first unshipped orders after ${fmt(r.firstUnshippedAt)}, ` +
        `all unshipped after ${fmt(r.unshippedDone)}, all ${r.n} after ${fmt(r.allDone)}; ${r.calls} SP-API calls, ${r.throttled} answered 429`,
    );
  }
}
for (const naive of [false, true]) {
  const r = await confirmRun(200, naive);
  console.log(
    `${naive ? "naive   " : "consign "} 200 confirmations: ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(2)}/s (plan 2/s, burst 10); ${r.calls} calls, ${r.throttled} answered 429`,
  );
}
