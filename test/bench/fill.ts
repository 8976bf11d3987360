// What the browser benches share: a tablet signed in as a seller whose orders the room imported from
// the sandbox's Amazon (the demo seller seeded with N orders: see pwa.bench.ts), with all N on it.
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../scripts/chromium.mjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";

/** The load average now, as the benches print it ("1.02, 0.98, 0.91"). */
export const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

/**
 * The whole stack on `port` (sandbox on port + 1), its state in test-output/bench-{name}-state-{port} (fresh),
 * the demo seller's sandbox Amazon account seeded with `n` orders awaiting dispatch, imported by the room
 * (usage plans sped up 2,000x).
 */
export function startSeededStack(name: string, port: number, n: number) {
  const stateDir = join(import.meta.dirname, "..", "..", "test-output", `bench-${name}-state-${port}`);
  rmSync(stateDir, { recursive: true, force: true });
  return startStack({
    edgePort: port,
    sandboxPort: port + 1,
    stateDir,
    demoSeed: { orders: n, unshipped: n, historyDays: 3, seed: "pwa", arrivalsPerHour: 0 },
    demoFaults: { rateScale: 2000 },
  });
}

export interface FilledSeller {
  email: string;
  password: string;
  sellerId: string;
}

/**
 * Waits until the "All" view counts `n` orders. A function, not a string: the app's Content Security
 * Policy forbids evaluating strings in the page (and the function holds no named inner function, so
 * tsx adds no helper that would not exist inside the page).
 */
export function waitAllLoaded(page: Page, n: number, timeout: number): Promise<unknown> {
  return page.waitForFunction(
    // The live list's count, not a first screen's (a new device shows the room's counts until its copy arrives).
    (count) =>
      document.querySelector("[data-testid=orders-list][data-preview]") === null &&
      document.querySelector("[data-testid=view-all] .count")?.textContent === String(count),
    n,
    { timeout },
  );
}

/**
 * BENCH_DOC_WORKER=off: the tablet keeps the seller's document on the page (the fallback path; the device switch
 * `consign.doc-worker.v1`), to measure it beside the default (the document worker).
 */
export async function benchDocPath(context: BrowserContext): Promise<void> {
  if (process.env.BENCH_DOC_WORKER !== "off") return;
  await context.addInitScript(() => {
    try {
      localStorage.setItem("consign.doc-worker.v1", "off");
    } catch {
      // a page without storage (about:blank)
    }
  });
}

/** The path the browser benches measure, in words. */
export const benchDocPathName = () =>
  process.env.BENCH_DOC_WORKER === "off"
    ? "the document on the page (switched off)"
    : "the document worker (the default)";

/** A fresh Chromium tablet signed in as `seller`, on the "All" view, with all `n` orders on the device. */
export async function openFilledTablet(
  url: string,
  seller: FilledSeller,
  n: number,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchChromium({ name: "pwa-bench", viewport });
  await benchDocPath(context);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${url}/signin`, { timeout: 180_000 });
  await page.getByLabel("Email").fill(seller.email);
  await page.getByLabel("Password").fill(seller.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("view-all").click();
  // An import from Amazon may still be under way: its first orders can take a while to arrive.
  await page.getByTestId("order-row").first().waitFor({ timeout: 600_000 });
  // The first rows show before a big document has all arrived: wait for all N, or what follows measures
  // a partly loaded document (with the rest streaming in meanwhile).
  await waitAllLoaded(page, n, 1_200_000);
  return { context, page };
}
