// Label PDF speed and size: Consign's writer against the naive pdf-lib + bwip-js way, in the
// same run, on 1,000 unique labels. Run from the repo root:
//   node_modules/.bin/tsx packages/labels/bench/labels.bench.ts [runs]
import { cpus, loadavg } from "node:os";
import { renderLabelChunks, renderLabels } from "../src/render-labels.ts";
import { uniqueLabels } from "../test/fixtures.ts";
import { naiveLabels } from "./baseline.ts";

const N = 1000;
const FIRST = 50;
const runs = Number(process.argv[2] ?? 7);
const baselineRuns = Math.max(1, Math.min(3, runs));
const labels = uniqueLabels(N);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

interface Sample {
  total: number;
  /** CPU time of this process over the run (less disturbed than wall time on a busy machine). */
  cpu: number;
  first50: number;
  bytes: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function oursOnce(compress: boolean): Sample {
  const c0 = cpuMs();
  const t0 = performance.now();
  let first50 = 0;
  let bytes = 0;
  for (const part of renderLabelChunks(labels, { layout: "4x6", compress, first: FIRST })) {
    if (part.from === 0) first50 = performance.now() - t0;
    bytes += part.pdf.length;
  }
  return { total: performance.now() - t0, cpu: cpuMs() - c0, first50, bytes };
}

function oursSingleOnce(): Sample {
  const c0 = cpuMs();
  const t0 = performance.now();
  const pdf = renderLabels(labels, { layout: "4x6" });
  return { total: performance.now() - t0, cpu: cpuMs() - c0, first50: Number.NaN, bytes: pdf.length };
}

async function baselineOnce(): Promise<Sample> {
  const t0 = performance.now();
  await naiveLabels(labels.slice(0, FIRST));
  const first50 = performance.now() - t0;
  const c1 = cpuMs();
  const t1 = performance.now();
  const pdf = await naiveLabels(labels);
  return { total: performance.now() - t1, cpu: cpuMs() - c1, first50, bytes: pdf.length };
}

function report(name: string, samples: Sample[]): Sample {
  const m = {
    total: median(samples.map((s) => s.total)),
    cpu: median(samples.map((s) => s.cpu)),
    first50: median(samples.map((s) => s.first50)),
    bytes: median(samples.map((s) => s.bytes)),
  };
  console.log(
    `${name.padEnd(38)} total ${m.total.toFixed(1).padStart(7)} ms (cpu ${m.cpu.toFixed(0).padStart(5)})  ${((m.total / N) * 1000).toFixed(0).padStart(5)} µs/label  first-50 ${m.first50.toFixed(1).padStart(6)} ms  ${(m.bytes / N).toFixed(0).padStart(5)} B/label`,
  );
  return m;
}

console.log(
  `load average ${loadavg()[0]?.toFixed(2)} on ${cpus().length} cores (wall times stretch with load)`,
);
console.log(
  `${N} unique 4x6 labels (text, Code 128, DataMatrix); medians of ${runs} runs (baseline ${baselineRuns})\n`,
);
const cold = oursOnce(true);
report("consign, compressed, cold (1st run)", [cold]);
const ours = report(
  "consign, compressed (parts 50 + 950)",
  Array.from({ length: runs }, () => oursOnce(true)),
);
report("consign, compressed, one PDF", Array.from({ length: runs }, oursSingleOnce));
report(
  "consign, uncompressed",
  Array.from({ length: runs }, () => oursOnce(false)),
);
const base: Sample[] = [];
for (let i = 0; i < baselineRuns; i++) base.push(await baselineOnce());
const naive = report("naive pdf-lib + bwip-js", base);
console.log(
  `\nspeed-up ${(naive.total / ours.total).toFixed(1)}x total, ${(naive.first50 / ours.first50).toFixed(1)}x first 50; goal: ≤ 250 ms total, ≤ 50 ms first 50, ≤ 1024 B/label`,
);
