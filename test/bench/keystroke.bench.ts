// Where a search keystroke's main-thread time goes over N open orders (issue 23): the whole stack in wrangler
// dev, N orders imported and on the tablet (as test/bench/pwa.bench.ts fills them), "All" open, then rounds of
// pwa.bench's keystrokes. For each keystroke: the input handler (the search and Solid's updates of the rows,
// run synchronously in the event) apart from the rendering of the two frames after it (style, layout,
// paint), and a JavaScript CPU profile of the keystrokes (self time by function).
// Run: KEYSTROKE_BENCH_PORT=19930 node_modules/.bin/tsx test/bench/keystroke.bench.ts [orders] [rounds]
// Build the PWA first (pnpm --filter @consign/web build): the stack serves apps/web/dist (minified: a
// function's place in the profile is its bundle's line:column).
// KEYSTROKE_BENCH_TRACE=1 records a Chromium trace instead of the profile (the figure of record for issue 23's
// "keystroke main-thread work"). Each keystroke's span (the handler and its two frames, as above) holds idle
// gaps: after a frame's rAF the main thread can wait for the compositor, and on this 2-core machine it waits
// for a core while wrangler, the sandbox or Chromium's own threads run. From the trace, per keystroke: the
// main thread's *busy* time in the span (its tasks' wall time: the time it could not answer the next key) and
// the CPU time it got; for the busiest, which timeline events took it and which other threads ran meanwhile.
// KEYSTROKE_BENCH_GC=1 collects the garbage before the keystrokes and KEYSTROKE_BENCH_SETTLE_MS (3000) is
// how long the page rests first: a tablet typing minutes after it opened, not while the load is collected.
// KEYSTROKE_BENCH_ALLOC=1 samples the keystrokes' allocations instead (what feeds the garbage collector).

import { writeFileSync } from "node:fs";
import {
  AFTER_FRAME,
  allocations,
  type CpuProfile,
  endTrace,
  keystrokeCpu,
  sampleAllocations,
  selfTimes,
  startTrace,
} from "./bench-helpers.ts";
import { loadNow, openFilledTablet, startSeededStack, waitAllLoaded } from "./fill.ts";

const TRACE = process.env.KEYSTROKE_BENCH_TRACE === "1";
const ALLOC = process.env.KEYSTROKE_BENCH_ALLOC === "1";
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
  await page.waitForTimeout(Number(process.env.KEYSTROKE_BENCH_SETTLE_MS ?? 3000));
  const cdp = await context.newCDPSession(page);
  // KEYSTROKE_BENCH_GC=1: the load's garbage collected first (a tablet typing minutes after it opened).
  if (process.env.KEYSTROKE_BENCH_GC === "1") await cdp.send("HeapProfiler.collectGarbage");
  if (process.env.KEYSTROKE_BENCH_HEAP === "1") {
    // What the page holds at 50,000 (live objects by where they were allocated): sampled over a reload.
    const live = await sampleAllocations(cdp, { samplingInterval: 16384, collected: false }, async () => {
      await page.reload();
      await page.getByTestId("view-all").click();
      await waitAllLoaded(page, N, 300_000);
      await page.waitForTimeout(8000);
      await cdp.send("HeapProfiler.collectGarbage");
    });
    const { totalBytes, byFunction } = allocations(live);
    console.log(
      `  live after a reload (sampled): ${(totalBytes / 1048576).toFixed(1)} MB; by allocating function:`,
    );
    for (const [at, bytes] of byFunction.slice(0, 25))
      console.log(`    ${(bytes / 1048576).toFixed(2)} MB  ${at}`);
  }
  const heapBefore = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
  if (TRACE) await startTrace(cdp);
  else if (!ALLOC) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    await cdp.send("Profiler.start");
  }
  const type = async () =>
    (await page.evaluate(`(async () => {
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
        performance.measure("keystroke " + out.length, { start: t0, end: t0 + handler + frames });
        out.push({ q, handler, frames });
      }
    return out;
  })()`)) as { q: string; handler: number; frames: number }[];
  let runs: Awaited<ReturnType<typeof type>> = [];
  if (ALLOC) await cdp.send("HeapProfiler.collectGarbage");
  const sampled = ALLOC
    ? await sampleAllocations(cdp, { samplingInterval: 4096, collected: true }, async () => {
        runs = await type();
      })
    : null;
  if (!ALLOC) runs = await type();
  const heapAfter = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
  const events = TRACE ? await endTrace(cdp) : [];
  // KEYSTROKE_BENCH_TRACE_FILE: the trace kept as a file (open it in chrome://tracing or Perfetto).
  if (process.env.KEYSTROKE_BENCH_TRACE_FILE)
    writeFileSync(process.env.KEYSTROKE_BENCH_TRACE_FILE, JSON.stringify({ traceEvents: events }));
  const profile =
    TRACE || ALLOC ? null : ((await cdp.send("Profiler.stop")) as { profile: CpuProfile }).profile;
  console.log(
    `${N} open orders, ${ROUNDS} rounds of ${runs.length / ROUNDS} keystrokes; load average ${load()}`,
  );
  const mb = (b: number) => (b / 1048576).toFixed(1);
  console.log(
    `  the page's JavaScript heap: ${mb(heapBefore.usedSize)} MB used (${mb(heapBefore.totalSize)} MB held) before the keystrokes, ${mb(heapAfter.usedSize)} MB (${mb(heapAfter.totalSize)} MB) after`,
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
  if (sampled) {
    const { totalBytes, byFunction } = allocations(sampled);
    console.log(
      `  allocated (sampled) ${(totalBytes / runs.length / 1024).toFixed(0)} KB a keystroke; by function (self):`,
    );
    for (const [at, bytes] of byFunction.slice(0, 15))
      console.log(`    ${(bytes / runs.length / 1024).toFixed(1)} KB/keystroke  ${at}`);
  } else if (profile) {
    const { busyMs, byFunction } = selfTimes(profile);
    console.log(
      `  JavaScript profile, busy ${busyMs.toFixed(0)} ms over ${runs.length} keystrokes; self time:`,
    );
    for (const [at, ms] of byFunction.slice(0, 18))
      console.log(`    ${(ms / runs.length).toFixed(2)} ms/keystroke  ${at}`);
  } else {
    const cpu = keystrokeCpu(events);
    console.log(
      "  the page's main thread over each keystroke's span: busy with tasks (wall), and the CPU time it got:",
    );
    console.log(`    busy ${fig(cpu.map((k) => k.busy))}; on the CPU ${fig(cpu.map((k) => k.cpu))}`);
    const names = new Set(cpu.flatMap((k) => [...k.byPart.keys()]));
    const perPart = [...names]
      .map((n) => [n, cpu.reduce((t, k) => t + (k.byPart.get(n) ?? 0), 0) / cpu.length] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10);
    console.log(
      `  main thread, mean ms a keystroke by timeline event: ${perPart.map(([n, t]) => `${n} ${t.toFixed(2)}`).join(", ")}`,
    );
    console.log("  the five busiest keystrokes: where their main thread's time went, and what else ran");
    for (const k of [...cpu].sort((a, b) => b.busy - a.busy).slice(0, 5))
      console.log(
        `    #${k.index} "${runs[k.index]?.q}": span ${k.wall.toFixed(1)} ms, busy ${k.busy.toFixed(1)} ms, CPU ${k.cpu.toFixed(1)} ms; ${k.parts}; other threads' CPU meanwhile: ${k.others}`,
      );
  }
} finally {
  stack.stop();
  setTimeout(() => process.exit(0), 300);
}
