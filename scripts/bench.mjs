// `npm run bench`: every benchmark script, each comparing with its naive baseline in the same
// run. Figures are printed and copied by hand into BENCHMARKS.md with the machine they ran on.
import { existsSync, readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ensureDeps, ensurePnpm, log, root, run } from "./lib.mjs";

ensureDeps(ensurePnpm());
const only = process.argv[2];
const scripts = [];
for (const group of ["packages", "workers", "apps", "test"]) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const name of group === "test" ? [""] : readdirSync(base)) {
    const dir = join(base, name, "bench");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (file.endsWith(".bench.ts") || file.endsWith(".bench.mjs")) scripts.push(join(dir, file));
    }
  }
}
log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
for (const script of scripts) {
  if (only && !script.includes(only)) continue;
  log(`running ${script.slice(root.length + 1)}`);
  run(join(root, "node_modules", ".bin", "tsx"), [script]);
}
