// Where a search keystroke's main-thread time goes over N open orders (issue 23): the whole stack in wrangler
// dev, N orders imported and on the tablet (as test/bench/pwa.bench.ts fills them), "All" open, then rounds of
// pwa.bench's keystrokes. For each keystroke: the input handler (the search and Solid's updates of the rows,
// run synchronously in the event) apart from the rendering of the two frames after it (style, layout,
// paint), and a JavaScript CPU profile of the keystrokes (self time by function).
// Run: KEYSTROKE_BENCH_PORT=19930 node_modules/.bin/tsx test/bench/keystroke.bench.ts [orders] [rounds]
// Build the PWA first (pnpm --filter @consign/web build): the stack serves apps/web/dist (minified: a
// function's place in the profile is its bundle's line:column).

import { AFTER_FRAME, type CpuProfile, selfTimes } from "./bench-helpers.ts";
import { loadNow, openFilledTablet, startSeededStack, waitAllLoaded } from "./fill.ts";

const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 4);
const port = Number(process.env.KEYSTROKE_BENCH_PORT ?? 19930);
const load = loadNow;
const stack = await startSeededStack("keystroke", port, N);
console.log(`load average at the start: ${load()}`);
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const fig = (xs: number[]) => `median ${q(xs, 0.5).toFixed(1)} / p95 ${q(xs, 0.95).toFixed(1)} ms`;

try {
  const demo = stack.demo as { owner: string; password: string; sellerId: string };
  const seller = { email: demo.owner, password: demo.password, sellerId: demo.sellerId };
  const { context, page } = await openFilledTablet(stack.url, seller, N);
  await page.getByTestId("view-all").click();
  await waitAllLoaded(page, N, 300_000);
  await page.waitForTimeout(3000);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const runs = (await page.evaluate(`(async () => {
    const input = document.querySelector("[data-testid=search-input]");
    ${AFTER_FRAME}
    const out = [];
    for (let round = 0; round < ${ROUNDS}; round++)
      for (const q of ["m", "mu", "mug", "mu", "m", "", "s", "sm", "smi", "smit", "smith", "", "1", "12", "123", ""]) {
        const t0 = performance.now();
        input.value = q;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const handler = performance.now() - t0;
        const frames = (await afterFrame()) + (await afterFrame());
        out.push({ q, handler, frames });
      }
    return out;
  })()`)) as { q: string; handler: number; frames: number }[];
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: CpuProfile };
  console.log(
    `${N} open orders, ${ROUNDS} rounds of ${runs.length / ROUNDS} keystrokes; load average ${load()}`,
  );
  console.log(
    `  keystroke main-thread work (handler + its two frames): ${fig(runs.map((r) => r.handler + r.frames))}`,
  );
  console.log(`  the input handler (search + Solid's updates):        ${fig(runs.map((r) => r.handler))}`);
  console.log(`  rendering its two frames:                           ${fig(runs.map((r) => r.frames))}`);
  const byQuery = new Map<string, number[]>();
  for (const r of runs) byQuery.set(r.q, [...(byQuery.get(r.q) ?? []), r.handler]);
  console.log(
    `  handler median by query: ${[...byQuery].map(([k, xs]) => `"${k}" ${q(xs, 0.5).toFixed(1)}`).join(", ")}`,
  );
  const { busyMs, byFunction } = selfTimes(profile);
  console.log(
    `  JavaScript profile, busy ${busyMs.toFixed(0)} ms over ${runs.length} keystrokes; self time:`,
  );
  for (const [at, ms] of byFunction.slice(0, 18))
    console.log(`    ${(ms / runs.length).toFixed(2)} ms/keystroke  ${at}`);
} finally {
  stack.stop();
  setTimeout(() => process.exit(0), 300);
}
