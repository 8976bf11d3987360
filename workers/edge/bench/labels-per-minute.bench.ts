// Issue 20's figure: labels bought per minute for a run of 1,000 orders against the courier
// sandboxes at the couriers' documented rate limits (Click & Drop, DPD and Evri 5 calls a second
// each), with the rate limiters and adapters the room uses (src/labels/couriers.ts).
//   1. Royal Mail Click & Drop, one order per POST /orders (what label runs did before batching):
//      the baseline, beside (2) in the same run;
//   2. Click & Drop with PER_CALL orders a call, through the adapter's batch purchase that the
//      ledger's buyLabels calls (POST /orders with PER_CALL items, each label in the answer);
//   3. the 1,000 spread over Royal Mail (batched), DPD and Evri at once, as a seller's rules would
//      and as a label run does (every courier in parallel, each at its own limit), each label bought
//      and its PDF in hand (fetched where the courier does not send it with the purchase), counting
//      the calls each courier took per label: a courier's ceiling is its calls a second divided by that.
// The sandbox Worker runs in workerd (Miniflare, bundled by wrangler); the bench calls it in-process
// (dispatchFetch), so no port is used and only the limiters pace the calls.
// Run: node_modules/.bin/tsx workers/edge/bench/labels-per-minute.bench.ts [orders=1000] [perCall=25]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CourierAdapter, CreatedShipment, FetchFunction, ShipmentRequest } from "@consign/couriers";
import { ROYAL_MAIL_RATE_LIMIT } from "@consign/couriers";
import { shipmentFor } from "@consign/couriers/test-support";
import type { CourierId } from "@consign/domain";
import { createCourierSet } from "../src/labels/couriers.ts";

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
  return shipmentFor(
    `202-${String(serial).padStart(7, "0")}-${String(Date.now() % 1e7).padStart(7, "0")}`,
    serviceCode,
    grams,
  );
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

/**
 * Buys `n` labels through one adapter, IN_FLIGHT calls at a time: one order a call, or `perCall`
 * a call through the adapter's batch purchase; with `fetchLabel`, each PDF the purchase did not bring.
 */
async function buy(
  adapter: CourierAdapter,
  serviceCode: string,
  grams: number,
  n: number,
  fetchLabel: boolean,
  perCall = 1,
) {
  const chunks: number[] = [];
  for (let left = n; left > 0; left -= perCall) chunks.push(Math.min(perCall, left));
  let next = 0;
  let bought = 0;
  let failed = 0;
  const complain = (e: unknown) => {
    if (++failed <= 3) console.error(`  ${adapter.displayName}: ${(e as Error).message}`);
  };
  const worker = async () => {
    while (next < chunks.length) {
      const size = chunks[next++]!;
      const reqs = Array.from({ length: size }, () => request(serviceCode, grams));
      try {
        const created: CreatedShipment[] = [];
        if (perCall > 1 && adapter.batch) {
          const outcomes = await adapter.batch.createShipments(
            reqs.map((r) => ({ request: r, idempotencyKey: `${r.orderId}:1` })),
          );
          for (const r of reqs) {
            const o = outcomes.get(`${r.orderId}:1`);
            if (o && "created" in o) created.push(o.created);
            else complain(o && "refused" in o ? o.refused : new Error("left out of the answer"));
          }
        } else {
          for (const r of reqs)
            created.push(await adapter.createShipment(r, { idempotencyKey: `${r.orderId}:1` }));
        }
        for (const shipment of created) {
          if (fetchLabel) await adapter.fetchLabel(shipment);
          bought++;
        }
      } catch (e) {
        complain(e);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { bought, failed };
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
    `| Royal Mail, one order a call (before batching; baseline) | ${bought} bought, ${failed} failed | ${fmt(ms / 1000)} s | **${fmt(perMinute(bought, ms))}/min** | ${fmt(c / bought)} | ${fmt((ROYAL_MAIL_RATE_LIMIT.perSecond * 60) / (c / bought))}/min |`,
  );
  console.log(rows.at(-1));
}

// 2. Click & Drop, PER_CALL orders a call: the same wire, the same 5 calls a second, the label in the answer.
{
  calls.clear();
  const rm = courierSet("rm-batch").adapterFor("royal-mail");
  const started = performance.now();
  const { bought, failed } = await buy(rm, "TPN24", 400, ORDERS, true, PER_CALL);
  const ms = performance.now() - started;
  const c = calls.get("royalmail") ?? 0;
  rows.push(
    `| Royal Mail, ${PER_CALL} orders a call (label runs now) | ${bought} bought, ${failed} failed | ${fmt(ms / 1000)} s | **${fmt(perMinute(bought, ms))}/min** | ${(c / bought).toFixed(2)} | ${fmt((ROYAL_MAIL_RATE_LIMIT.perSecond * 60) / (c / bought))}/min |`,
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
      const r = await buy(
        set.adapterFor(c.courier),
        c.serviceCode,
        c.grams,
        n,
        true,
        c.courier === "royal-mail" ? PER_CALL : 1,
      );
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
