// Issue 17's figure: GET /api/v1/changes over 100,000 changes, a page of 500 in ≤ 20 ms in the room.
// The room's change feed (src/room/changes.ts) runs in workerd (Miniflare, a SQLite-backed Durable
// Object), bundled with esbuild from bench/changes-room.ts. The object is filled with N changes,
// then pages of 500 are read from the start, the middle and the end of the feed and timed from
// outside (workerd freezes its clocks during synchronous work), beside the naive feed in the same
// run (every change read and parsed, then filtered). Each timed request makes the page 20 times
// in the object; the round trip of an empty page, timed beside it, is taken off.
// Run: node_modules/.bin/tsx workers/edge/bench/changes.bench.ts [changes=100000] [runs=15]
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const N = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 15);
const LIMIT = 500;
const here = dirname(fileURLToPath(import.meta.url));
const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
/** esbuild comes with wrangler (not a dependency of ours): only `build` is used. */
const esbuild = fromWrangler("esbuild") as {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
};
const { Miniflare } = fromWrangler("miniflare") as typeof import("miniflare");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

const bundle = await esbuild.build({
  entryPoints: [join(here, "changes-room.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: ["cloudflare:workers"],
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  write: false,
});
const mf = new Miniflare({
  modules: [{ type: "ESModule", path: "index.js", contents: bundle.outputFiles[0]!.text }],
  compatibilityDate: "2026-04-20",
  compatibilityFlags: ["nodejs_compat"],
  durableObjects: { ROOM: { className: "BenchRoom", useSQLite: true } },
  cf: false,
});
try {
  const get = async (path: string) => {
    const t = performance.now();
    const res = await mf.dispatchFetch(`http://bench${path}`);
    const body = (await res.json()) as { changes?: unknown[]; head?: number };
    return { ms: performance.now() - t, body };
  };
  const fill = await get(`/fill?n=${N}`);
  console.log(`filled ${fill.body.head} changes in ${(fill.ms / 1000).toFixed(1)} s`);
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}, workerd via miniflare`,
  );
  const TIMES = 20;
  for (const [label, after] of [
    ["from the start", 0],
    ["from the middle", Math.floor(N / 2)],
    ["the last page", N - LIMIT],
  ] as const) {
    const ours: number[] = [];
    const naive: number[] = [];
    const trip: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      // One request makes the page 20 times; an empty request is the round trip to take off.
      const c = await get(`/page?after=${N}&limit=${LIMIT}&times=1`);
      const a = await get(`/page?after=${after}&limit=${LIMIT}&times=${TIMES}`);
      const b = await get(`/naive?after=${after}&limit=${LIMIT}&times=1`);
      if (a.body.changes?.length !== LIMIT || b.body.changes?.length !== LIMIT)
        throw new Error("a page did not hold 500 changes");
      if (JSON.stringify(a.body) !== JSON.stringify(b.body))
        throw new Error("ours and the naive feed disagree");
      if (i === 0) continue; // warm-up
      ours.push(Math.max(0, a.ms - c.ms) / TIMES);
      naive.push(Math.max(0, b.ms - c.ms));
      trip.push(c.ms);
    }
    console.log(
      `  page of ${LIMIT} ${label} (after=${after}) over ${N} changes: ours median ${median(ours).toFixed(2)} ms, p90 ${p90(ours).toFixed(2)} ms a page; naive median ${median(naive).toFixed(1)} ms; round trip alone ${median(trip).toFixed(2)} ms; ${RUNS} runs`,
    );
  }
} finally {
  await mf.dispose();
}
