// `npm run simulate -- --days 30`: a seller's month on a local stack, run twice on the same orders,
// faults and team (Consign's queue, then first in first out), reported in test-output/sim/.
//   --days N        simulated days (default 30)
//   --per-day N     orders on an average day (default 1000)
//   --policy P      consign | fifo | both (default both)
//   --seed S        the world's seed (default "month")
//   --port N        the edge's port (the sandbox on N+1; default 22787)
import { join } from "node:path";
import { writeReport } from "./report.ts";
import { type RunResult, runSimulation } from "./run.ts";
import { monthFaults, peakDay, stockShortfall } from "./schedule.ts";
import { nextMonday, startSimStack } from "./stack.ts";
import type { Policy } from "./team.ts";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

function positive(name: string, fallback: number, max: number): number {
  const n = Number(arg(name, String(fallback)));
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`--${name} must be a whole number from 1 to ${max} (got ${arg(name, "")}).`);
    process.exit(2);
  }
  return n;
}

const days = positive("days", 30, 60);
const perDay = positive("per-day", 1000, 5000);
const port = positive("port", 22787, 65000);
const policyArg = arg("policy", "both");
if (!["consign", "fifo", "both"].includes(policyArg)) {
  console.error(`--policy is consign, fifo or both (got ${policyArg}).`);
  process.exit(2);
}
const policies: Policy[] = policyArg === "both" ? ["consign", "fifo"] : [policyArg as Policy];
const seed = arg("seed", "month");

const t0 = Date.now();
const stack = await startSimStack(port, (l) => {
  if (/\berror\b|uncaught|reload|restart/i.test(l)) console.error(l);
});
const runs: RunResult[] = [];
let code = 0;
const dir = join(import.meta.dirname, "..", "..", "test-output", "sim");
// One policy's run is named after it, so the two queues can run as two processes side by side.
const name = `${days === 1 ? "day" : `month-${days}d`}${policyArg === "both" ? "" : `-${policyArg}`}`;
const report = () =>
  writeReport(dir, name, runs, {
    command: `npm run simulate -- --days ${days} --per-day ${perDay} --policy ${policyArg} --seed ${seed}`,
    wallMs: Date.now() - t0,
  });
try {
  const startMs = nextMonday();
  for (const policy of policies) {
    runs.push(
      await runSimulation({
        edgeUrl: stack.edgeUrl,
        sandboxUrl: stack.sandboxUrl,
        policy,
        days,
        averagePerDay: perDay,
        seed,
        startMs,
        peakDay: peakDay(days),
        faults: monthFaults(days),
        stockShortfall: stockShortfall(days),
        log: (l) => console.log(l),
      }),
    );
    // Each run's report as soon as it ends (a month of both runs is long: the first is kept).
    report();
  }
} catch (e) {
  console.error(e);
  code = 1;
} finally {
  await stack.stop();
}
if (runs.length > 0) {
  report();
  console.log(`report: ${join(dir, `${name}.md`)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
process.exit(code);
