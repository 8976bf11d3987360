// Issue 20's figure: labels bought per minute for a run of 1,000 orders against the courier
// sandboxes at the couriers' documented rate limits (Click & Drop, DPD and Evri about 5 calls a
// second each), with the rate limiters and adapters the room uses (src/labels/couriers.ts).
//   1. Royal Mail Click & Drop, one order per POST /orders (what a label run does today): the
//      baseline, beside (2) in the same run;
//   2. Click & Drop with several orders a call (POST /orders takes a list of items; K a call, the
//      label in the answer): the same wire, the same limiter, measured here because label runs do
//      not batch yet;
//   3. the 1,000 spread over Royal Mail, DPD and Evri at once, as a seller's rules would, each
//      label bought and its PDF fetched (what a label run and its print file need), counting the
//      calls each courier took per label: a courier's ceiling is its calls a second divided by that.
// The sandbox Worker runs in workerd (Miniflare, bundled by wrangler); the bench calls it in-process
// (dispatchFetch), so no port is used and only the limiters pace the calls.
// Run: node_modules/.bin/tsx workers/edge/bench/labels-per-minute.bench.ts [orders=1000] [perCall=25]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CourierAdapter, FetchFunction, ShipmentRequest } from "@consign/couriers";
import { ROYAL_MAIL_RATE_LIMIT } from "@consign/couriers";
import type { CourierId } from "@consign/domain";
import { createCourierSet } from "../src/labels/couriers.ts";
import { createRateLimiter, rateLimitedFetch } from "../src/labels/rate-limit.ts";

const ORDERS = Number(process.argv[2] ?? 1000);
const PER_CALL = Number(process.argv[3] ?? 25);
/** Label requests in flight at once per courier (the limiter, not this, sets the pace). */
const IN_FLIGHT = 8;
const here = dirname(fileURLToPath(import.meta.url));
const sandboxDir = join(here, "..", "..", "sandbox");
const out = mkdtempSync(join(tmpdir(), "consign-labels-bench-"));
const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
const { Miniflare } = fromWrangler("miniflare") as typeof import("miniflare");

execFileSync(join(here, "../../../node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
  cwd: sandboxDir,
  stdio: "ignore",
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
});
const mf = new Miniflare({
  modules: true,
  scriptPath: join(out, "index.js"),
  modulesRoot: out,
  compatibilityDate: "2026-04-20",
  compatibilityFlags: ["nodejs_compat"],
  durableObjects: {
    AMAZON_SELLER: { className: "AmazonSellerState", useSQLite: true },
    COURIER_ACCOUNT: { className: "CourierAccountState", useSQLite: true },
  },
  bindings: {
    SANDBOX_CLIENT_ID: "amzn1.application-oa2-client.consignsandbox",
    SANDBOX_CLIENT_SECRET: "sandbox-client-secret",
    SANDBOX_PUBLIC_URL: "http://sandbox.bench",
  },
});
const SANDBOX = "http://sandbox.bench";

/** Calls per courier, counted on the wire. */
const calls = new Map<string, number>();
const sandboxFetch: FetchFunction = async (input, init) => {
  const url = new URL(String(input));
  const courier = url.pathname.split("/")[1] ?? "";
  calls.set(courier, (calls.get(courier) ?? 0) + 1);
  const res = await mf.dispatchFetch(url.href, init as never);
  return new Response(await res.arrayBuffer(), { status: res.status, headers: [...res.headers.entries()] });
};

let serial = 0;
function request(serviceCode: string, grams: number): ShipmentRequest {
  serial++;
  return {
    orderId: `202-${String(serial).padStart(7, "0")}-${String(Date.now() % 1e7).padStart(7, "0")}`,
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

const COURIERS: { courier: CourierId; path: string; serviceCode: string; grams: number }[] = [
  { courier: "royal-mail", path: "royalmail", serviceCode: "TPN24", grams: 400 },
  { courier: "dpd", path: "dpd", serviceCode: "1^12", grams: 2500 },
  { courier: "evri", path: "evri", serviceCode: "EVRI24", grams: 1200 },
];

function courierSet(tag: string) {
  const account = `bench-${tag}-${crypto.randomUUID()}`;
  return createCourierSet(
    {
      ROYAL_MAIL_BASE_URL: `${SANDBOX}/royalmail/api/v1`,
      ROYAL_MAIL_TRACKING_BASE_URL: `${SANDBOX}/royalmail`,
      AMAZON_SHIPPING_BASE_URL: `${SANDBOX}/amazon-shipping`,
      DPD_BASE_URL: `${SANDBOX}/dpd`,
      EVRI_BASE_URL: `${SANDBOX}/evri`,
    },
    {
      royalMail: { apiKey: account },
      dpd: { username: account, password: "pw", accountNumber: "1234567" },
      evri: { username: account, password: "pw", clientId: "1001", clientName: "Hebden Hobby Supplies Ltd" },
    },
    { fetch: sandboxFetch, timeoutMs: 60_000 },
  );
}

/** Buys `n` labels through one adapter, IN_FLIGHT at a time; with `fetchLabel`, each PDF too. */
async function buy(
  adapter: CourierAdapter,
  serviceCode: string,
  grams: number,
  n: number,
  fetchLabel: boolean,
) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const req = request(serviceCode, grams);
      try {
        const shipment = await adapter.createShipment(req, { idempotencyKey: `${req.orderId}:1` });
        if (fetchLabel) await adapter.fetchLabel(shipment);
      } catch (e) {
        failed++;
        if (failed <= 3) console.error(`  ${adapter.displayName}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { bought: n - failed, failed };
}

const perMinute = (labels: number, ms: number) => (labels / ms) * 60_000;
const fmt = (x: number) => x.toFixed(1);
const rows: string[] = [];

console.log(
  `labels-per-minute: ${ORDERS} orders, ${PER_CALL} orders per batched Click & Drop call, ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

// 1. Click & Drop, one order per call (the product's path): the baseline.
{
  calls.clear();
  const rm = courierSet("rm-one").adapterFor("royal-mail");
  const started = performance.now();
  const { bought, failed } = await buy(rm, "TPN24", 400, ORDERS, true);
  const ms = performance.now() - started;
  const c = calls.get("royalmail") ?? 0;
  rows.push(
    `| Royal Mail, one order a call (label runs today; baseline) | ${bought} bought, ${failed} failed | ${fmt(ms / 1000)} s | **${fmt(perMinute(bought, ms))}/min** | ${fmt(c / bought)} | ${fmt((ROYAL_MAIL_RATE_LIMIT.perSecond * 60) / (c / bought))}/min |`,
  );
  console.log(rows.at(-1));
}

// 2. Click & Drop, PER_CALL orders a call: the same wire, the same 5 calls a second.
{
  calls.clear();
  const limited = rateLimitedFetch(sandboxFetch, createRateLimiter(ROYAL_MAIL_RATE_LIMIT));
  const key = `bench-rm-batch-${crypto.randomUUID()}`;
  const started = performance.now();
  let bought = 0;
  let failed = 0;
  const batches: ShipmentRequest[][] = [];
  for (let i = 0; i < ORDERS; i += PER_CALL)
    batches.push(Array.from({ length: Math.min(PER_CALL, ORDERS - i) }, () => request("TPN24", 400)));
  await Promise.all(
    batches.map(async (batch) => {
      const res = await limited(`${SANDBOX}/royalmail/api/v1/orders`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          items: batch.map((r) => ({
            orderReference: `${r.orderId}:1`,
            recipient: {
              address: {
                fullName: r.recipient.name,
                addressLine1: r.recipient.line1,
                city: r.recipient.city,
                postcode: r.recipient.postcode,
                countryCode: "GB",
              },
            },
            sender: { tradingName: r.sender.companyName },
            packages: [{ weightInGrams: 400, packageFormatIdentifier: "largeLetter" }],
            orderDate: new Date(r.orderDate).toISOString(),
            subtotal: 9.5,
            shippingCostCharged: 0,
            total: 9.5,
            currencyCode: "GBP",
            postageDetails: { serviceCode: "TPN24" },
            label: { includeLabelInResponse: true, includeCN: false, includeReturnsLabel: false },
          })),
        }),
      });
      const body = (await res.json()) as { createdOrders?: { label?: string }[]; failedOrders?: unknown[] };
      bought += (body.createdOrders ?? []).filter((o) => o.label).length;
      failed += batch.length - (body.createdOrders ?? []).filter((o) => o.label).length;
    }),
  );
  const ms = performance.now() - started;
  const c = calls.get("royalmail") ?? 0;
  rows.push(
    `| Royal Mail, ${PER_CALL} orders a call (not in label runs yet) | ${bought} bought, ${failed} failed | ${fmt(ms / 1000)} s | **${fmt(perMinute(bought, ms))}/min** | ${(c / bought).toFixed(2)} | ${fmt((ROYAL_MAIL_RATE_LIMIT.perSecond * 60) / (c / bought))}/min |`,
  );
  console.log(rows.at(-1));
}

// 3. The 1,000 over three couriers at once, each label bought and fetched.
{
  calls.clear();
  const set = courierSet("mix");
  const share = Math.floor(ORDERS / COURIERS.length);
  const started = performance.now();
  const results = await Promise.all(
    COURIERS.map(async (c, i) => {
      const n = i === 0 ? ORDERS - share * (COURIERS.length - 1) : share;
      const t0 = performance.now();
      const r = await buy(set.adapterFor(c.courier), c.serviceCode, c.grams, n, true);
      return { ...c, ...r, ms: performance.now() - t0 };
    }),
  );
  const ms = performance.now() - started;
  const total = results.reduce((s, r) => s + r.bought, 0);
  for (const r of results) {
    const perLabel = (calls.get(r.path) ?? 0) / r.bought;
    rows.push(
      `| mix: ${r.courier} | ${r.bought} bought, ${r.failed} failed | ${fmt(r.ms / 1000)} s | ${fmt(perMinute(r.bought, r.ms))}/min | ${perLabel.toFixed(2)} | ${fmt((5 * 60) / perLabel)}/min |`,
    );
    console.log(rows.at(-1));
  }
  rows.push(
    `| mix: all three at once | ${total} bought | ${fmt(ms / 1000)} s | **${fmt(perMinute(total, ms))}/min** | – | – |`,
  );
  console.log(rows.at(-1));
}

console.log("\n| run | labels | wall | labels a minute | calls a label | ceiling at 5 calls/s |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
await mf.dispose();
rmSync(out, { recursive: true, force: true });
