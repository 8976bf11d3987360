// Prints the gzip size of the JavaScript a first visit loads (the entry script and every chunk it imports
// statically), after `vite build`. Lazy routes and the workers are listed apart. Budget: 150 KB gzip.
// Run: node apps/web/scripts/size.mjs
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const html = readFileSync(join(dist, "index.html"), "utf8");
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

const entries = [
  ...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g),
  ...html.matchAll(/rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g),
].map((m) => m[1]);
const initial = new Set();
const visit = (file) => {
  if (initial.has(file)) return;
  initial.add(file);
  const code = readFileSync(join(dist, file), "utf8");
  // static imports only: `import … from "./x.js"` / `import "./x.js"` (not import("./x.js"))
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    visit(join(dirname(file), m[1]));
  }
};
for (const e of entries) visit(e);

let total = 0;
console.log("initial JavaScript (gzip):");
for (const f of initial) {
  const size = gz(f);
  total += size;
  console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${f}`);
}
console.log(`  ${(total / 1024).toFixed(1).padStart(7)} KB  total (budget ${BUDGET_KB} KB)`);

const lazy = readdirSync(join(dist, "assets")).filter(
  (f) => f.endsWith(".js") && !initial.has(`assets/${f}`),
);
console.log("loaded later (gzip):");
for (const f of lazy) console.log(`  ${(gz(`assets/${f}`) / 1024).toFixed(1).padStart(7)} KB  assets/${f}`);
if (total / 1024 > BUDGET_KB) {
  console.error(`Initial JavaScript is over budget by ${(total / 1024 - BUDGET_KB).toFixed(1)} KB.`);
  process.exitCode = 1;
}
