// Issue 23 item 1: the seller's document on the page (today's path) against the document in a
// SharedWorker (apps/web/src/lib/doc-link.ts), in Debian's Chromium against the whole stack, N open
// orders on the device (default 5,000). For each path, reloads alternating between the paths: reload →
// first order row (the kept first screen as shipped), → the live list, and the main thread's long tasks
// (> 50 ms, PerformanceObserver) from the reload to the live list. The worker path is measured three times:
// the only tab as session 10 built it (the worker starts with the page, decodes the copy from IndexedDB and
// sends every order; `consign.doc-worker.kept-orders` = "off"), the only tab with the orders the worker
// kept on the device (apps/web/src/lib/kept-orders.ts, sent before the decode), and with a second tab of
// the same tablet open (the worker, and its copy, already there).
// Run: DOC_WORKER_BENCH_PORT=19150 node_modules/.bin/tsx test/bench/doc-worker.bench.ts [orders] [rounds]
import type { Page } from "playwright-core";
import { type CpuProfile, selfTimes } from "./bench-helpers.ts";
import { loadNow, openFilledTablet, startSeededStack, waitAllLoaded } from "./fill.ts";

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.argv[3] ?? 5);
const port = Number(process.env.DOC_WORKER_BENCH_PORT ?? 19150);
const load = loadNow;
const stack = await startSeededStack("doc-worker", port, N);
console.log(`load average at the start: ${load()} (${new Date().toISOString()})`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Path = "page" | "worker (session 10)" | "worker, kept orders" | "worker, second tab open";
interface Round {
  first: number;
  live: number;
  longTasks: number;
  longTaskMs: number;
  longestMs: number;
}

try {
  const demo = stack.demo as { owner: string; password: string; sellerId: string };
  const seller = { email: demo.owner, password: demo.password, sellerId: demo.sellerId };
  const { context, page } = await openFilledTablet(stack.url, seller, N);
  // Long tasks from the start of each page load (buffered, read once the live list shows).
  await context.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: true });
  });
  // What the worker says of the kept orders (matched the copy, or corrected in N orders), printed with each round.
  const said: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("kept on this device")) said.push(m.text());
  });
  await page.getByTestId("view-all").click();
  await waitAllLoaded(page, N, 300_000);
  await page.waitForTimeout(3000); // y-indexeddb stores the document, the kept first screen is written
  const live = "[data-testid=orders-list]:not([data-preview]) [data-testid=order-row]";
  // The page path is the device switched off (not the switch removed: the worker is the default).
  const setPath = (p: Page, path: Path) =>
    p.evaluate(
      ([worker, kept]) => {
        localStorage.setItem("consign.doc-worker.v1", worker ? "on" : "off");
        if (kept) localStorage.removeItem("consign.doc-worker.kept-orders");
        else localStorage.setItem("consign.doc-worker.kept-orders", "off");
      },
      [path !== "page", path !== "worker (session 10)"] as const,
    );

  const results: Record<Path, Round[]> = {
    page: [],
    "worker (session 10)": [],
    "worker, kept orders": [],
    "worker, second tab open": [],
  };
  let second: Page | null = null;
  const reload = async (path: Path): Promise<Round> => {
    await setPath(page, path);
    if (path === "worker, second tab open" && !second) {
      second = await context.newPage();
      await second.goto(`${stack.url}/?view=all`, { waitUntil: "domcontentloaded" });
      await second.locator(live).first().waitFor({ timeout: 300_000 });
    }
    await page.waitForTimeout(3000);
    const t0 = Date.now();
    await page.reload();
    await page.getByTestId("order-row").first().waitFor({ timeout: 300_000 });
    const first = Date.now() - t0;
    await page.locator(live).first().waitFor({ timeout: 300_000 });
    const liveAt = Date.now() - t0;
    const tasks = (await page.evaluate("window.__longTasks")) as number[];
    return {
      first,
      live: liveAt,
      longTasks: tasks.length,
      longTaskMs: Math.round(tasks.reduce((a, b) => a + b, 0)),
      longestMs: Math.round(Math.max(0, ...tasks)),
    };
  };
  // The worker keeps the orders on the device a moment after it has loaded them: once before the rounds.
  await reload("worker, kept orders");
  await page.waitForTimeout(5000);
  // The one-tab paths alternate (the machine's load moves); the second-tab rounds come last.
  for (let i = 0; i < ROUNDS; i++) {
    for (const path of ["page", "worker (session 10)", "worker, kept orders"] as const) {
      const r = await reload(path);
      results[path].push(r);
      console.log(`  ${path}: ${JSON.stringify(r)} (load ${load()}) ${said.splice(0).join("; ")}`);
    }
  }
  for (let i = 0; i < ROUNDS; i++) {
    const r = await reload("worker, second tab open");
    results["worker, second tab open"].push(r);
    console.log(`  worker, second tab open: ${JSON.stringify(r)} (load ${load()})`);
  }
  // DOC_WORKER_BENCH_PROFILE=1: one more reload per path with the page's JavaScript profiled (where the
  // main thread's time goes until the live list shows; build the PWA unminified to read the names).
  if (process.env.DOC_WORKER_BENCH_PROFILE) {
    await (second as Page | null)?.close();
    for (const path of ["page", "worker (session 10)", "worker, kept orders"] as const) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await setPath(page, path);
      await page.waitForTimeout(3000);
      await cdp.send("Profiler.start");
      await page.reload();
      await page.locator(live).first().waitFor({ timeout: 300_000 });
      const { profile } = (await cdp.send("Profiler.stop")) as { profile: CpuProfile };
      const { busyMs, byFunction } = selfTimes(profile);
      console.log(`  profile of a reload on the ${path} path: busy ${busyMs.toFixed(0)} ms; self time:`);
      for (const [at, ms] of byFunction.slice(0, 25)) console.log(`    ${ms.toFixed(1)} ms  ${at}`);
      await cdp.detach();
    }
  }
  console.log(
    `PWA with ${N} open orders on the device (Chromium ${context.browser()?.version() ?? ""}), median of ${ROUNDS}`,
  );
  console.log(`  load average at the end: ${load()} (${new Date().toISOString()})`);
  for (const [path, rs] of Object.entries(results)) {
    console.log(
      `  ${path}: reload → first row ${median(rs.map((r) => r.first))} ms, → live list ${median(rs.map((r) => r.live))} ms; main-thread long tasks ${median(rs.map((r) => r.longTasks))} totalling ${median(rs.map((r) => r.longTaskMs))} ms, longest ${median(rs.map((r) => r.longestMs))} ms`,
    );
  }
  await context.close();
} finally {
  await stack.stop();
}
