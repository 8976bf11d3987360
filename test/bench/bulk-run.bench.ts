// Issue 16's figures: N orders (default 1,000) from "Buy" to the last printable part in the PWA
// (Debian's Chromium) against the sandboxes in wrangler dev, at the device's normal API limit:
// how long buying takes (labels bought a second, beside the couriers' limits that bound it: the
// sandboxes pace Royal Mail, Evri and DPD at 5 calls a second each, as the real services do) and
// how long the labels worker then takes to fetch every label and make the last part. The naive
// baseline in the same run: the same labels fetched one at a time with no concurrency.
// Run: node_modules/.bin/tsx test/bench/bulk-run.bench.ts [orders]
import { rmSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { connectBulkSeller, setUpShipping } from "./bulk-seller.ts";
import { openFilledTablet } from "./fill.ts";

const N = Number(process.argv[2] ?? 1000);
const stateDir = join(import.meta.dirname, "..", "..", "test-output", "bench-bulk-state");
rmSync(stateDir, { recursive: true, force: true });
const stack = await startStack({ edgePort: 19987, sandboxPort: 19988, stateDir, seedDemo: false });
const text = async (page: import("playwright-core").Page, id: string) =>
  ((await page.getByTestId(id).textContent()) ?? "").replace(/\s+/g, " ");

try {
  const seller = await connectBulkSeller(stack.url, "http://127.0.0.1:19988", N);
  await setUpShipping(seller);
  const { context, page } = await openFilledTablet(stack.url, seller, seller.total);
  const count = async (view: string) =>
    Number(await page.locator(`[data-testid=view-${view}] .count`).textContent());
  for (const started = Date.now(); (await count("ready")) < seller.open; await page.waitForTimeout(500)) {
    if (Date.now() - started > 300_000) throw new Error(`only ${await count("ready")} orders became ready`);
  }
  await page.getByTestId("view-ready").click();
  // Select the first N of the Ready view: select all, then the panel buys them as runs of up to 500.
  const ids = await page
    .getByTestId("order-row")
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.orderId ?? ""));
  await page.getByRole("checkbox", { name: `Select order ${ids[0]}` }).click();
  await page.getByTestId("select-all-matching").click();
  await page.getByRole("button", { name: "Buy & print" }).click();
  const t0 = Date.now();
  await page.getByTestId("buy-labels").click();
  let tBought = 0;
  let bought = 0;
  for (;;) {
    const m = /Labels bought: (\d+) of (\d+)(?: · (\d+) failed)?/.exec(await text(page, "run-progress"));
    if (m && Number(m[1]) + Number(m[3] ?? 0) >= Number(m[2])) {
      tBought = Date.now();
      bought = Number(m[1]);
      break;
    }
    await page.waitForTimeout(500);
  }
  const t1 = Date.now();
  await page.getByRole("button", { name: /^Print \d+ labels$/ }).click();
  await page
    .getByTestId("print-progress")
    .getByRole("button", { name: "Cancel" })
    .waitFor({ state: "detached", timeout: 1_800_000 });
  const tLast = Date.now();
  const file = await text(page, "print-progress");
  const parts = await page.getByTestId("print-part").count();

  // Naive baseline: the same labels, one request at a time, no concurrency, no merging.
  const signin = (await (
    await fetch(`${stack.url}/auth/signin`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: seller.email, password: seller.password, deviceName: "baseline" }),
    })
  ).json()) as { sessionToken: string };
  const { accessToken: token } = (await (
    await fetch(`${stack.url}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${signin.sessionToken}` },
      body: JSON.stringify({ sellerId: seller.sellerId }),
    })
  ).json()) as { accessToken: string };
  let naiveMs: number | null = null;
  if (typeof token === "string") {
    const sample = ids.slice(0, 100);
    const n0 = Date.now();
    for (const id of sample) {
      await fetch(`${stack.url}/api/v1/orders/${encodeURIComponent(id)}/label`, {
        headers: { authorization: `Bearer ${token}` },
      });
    }
    naiveMs = ((Date.now() - n0) / sample.length) * bought;
  }
  console.log(
    JSON.stringify(
      {
        orders: N,
        bought,
        buySeconds: (tBought - t0) / 1000,
        labelsPerSecond: Math.round((bought / ((tBought - t0) / 1000)) * 10) / 10,
        courierLimitPerSecond: "Royal Mail 5 + Evri 5 + DPD 5 = 15 (by this run's rules)",
        lastPartSecondsAfterBuying: (tLast - t1) / 1000,
        buyToLastPartSeconds: (tLast - t0) / 1000,
        printFile: file,
        parts,
        naiveOneByOneFetchSecondsEstimate: naiveMs === null ? "no token found" : naiveMs / 1000,
      },
      null,
      2,
    ),
  );
  await context.close();
} finally {
  stack.stop();
}
