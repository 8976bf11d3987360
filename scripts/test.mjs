// `npm test`: installs what is missing, then type-checks every package, runs the lint/format
// check, the unit tests, the Worker tests inside workerd and the browser tests in Chromium, and
// ends with one line totalling every suite: "N passed, N failed, N skipped".
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { ensureDeps, ensurePnpm, log, offlineEnv, root, run } from "./lib.mjs";

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const outDir = join(root, "test-output");
mkdirSync(outDir, { recursive: true });

function check(name, ok) {
  if (ok) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

/** Debian packages the tests drive: Chromium, and the PDF/barcode tools that read our labels. */
const debianTools = [
  ["chromium", "/usr/bin/chromium"],
  ["poppler-utils", "/usr/bin/pdftoppm"],
  ["zbar-tools", "/usr/bin/zbarimg"],
  ["dmtx-utils", "/usr/bin/dmtxread"],
];

function ensureDebianTools() {
  const missing = debianTools.filter(([, bin]) => !existsSync(bin)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(" ")}`;
  if (process.getuid?.() !== 0) {
    log(`these Debian packages are needed for the browser and label tests: ${missing.join(", ")}`);
    log(`run as root, then npm test again:\n\n    sudo sh -c '${command}'\n`);
    process.exit(1);
  }
  log(`installing ${missing.join(", ")} from Debian`);
  run("sh", ["-c", `DEBIAN_FRONTEND=noninteractive ${command.replace("install -y", "install -y -q")}`]);
}

function workspacePackages() {
  const dirs = [];
  for (const group of ["apps", "packages", "workers"]) {
    for (const name of readdirSync(join(root, group))) {
      if (existsSync(join(root, group, name, "tsconfig.json"))) dirs.push(join(group, name));
    }
  }
  dirs.push("test");
  return dirs;
}

function step(name, cmd, args, opts = {}) {
  log(name);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...offlineEnv },
    ...opts,
  });
  return r.status === 0;
}

const pnpm = ensurePnpm();
ensureDeps(pnpm);
ensureDebianTools();

const bin = (name) => join(root, "node_modules", ".bin", name);

/** Type-checks the packages as many at a time as there are cores (tsc uses one), each's output whole. */
async function typecheckAll(dirs) {
  const queue = [...dirs];
  const one = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      const ok = await new Promise((resolve) => {
        const child = spawn(bin("tsc"), ["-p", join(dir, "tsconfig.json")], {
          cwd: root,
          env: { ...process.env, ...offlineEnv },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        child.stderr.on("data", (d) => {
          out += d;
        });
        child.on("close", (code) => {
          log(`typecheck ${dir}${code === 0 ? "" : ": errors"}`);
          if (out) process.stdout.write(out);
          resolve(code === 0);
        });
      });
      check(`typecheck ${dir}`, ok);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, one));
}
await typecheckAll(workspacePackages());
check("lint and format (biome)", step("lint and format (biome check)", bin("biome"), ["check", "."]));
const built = step("build the PWA", pnpm, ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
check("build", built);

// The browser journeys (and the simulated day after them) run one file at a time against one
// stack, and spend much of their time waiting on it; the unit and workerd suites need no stack.
// On two cores, running the two halves side by side takes about two thirds of the time of one
// after the other. CONSIGN_TEST_SERIAL=1 runs everything in one vitest, one file at a time.
// Every project in vitest.config.ts must be in exactly one half: the check below counts them.
const halves = process.env.CONSIGN_TEST_SERIAL
  ? [{ name: "all", projects: [] }]
  : [
      { name: "browser", projects: ["e2e", "sim"] },
      { name: "suites", projects: ["@consign/*", "edge", "edge-*", "sandbox"] },
    ];

function vitestRun({ name, projects }) {
  const report = join(outDir, `vitest-${name}.json`);
  rmSync(report, { force: true });
  const args = [
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ];
  const child = spawn(bin("vitest"), args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...offlineEnv },
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ name, ok: code === 0, report })));
}

/** Every test file one vitest over every project finds, asked while the halves run (not after). */
function listAllFiles() {
  return new Promise((resolve) => {
    const child = spawn(bin("vitest"), ["list", "--filesOnly", "--json"], {
      cwd: root,
      env: { ...process.env, ...offlineEnv },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("close", () => {
      try {
        resolve(new Set(JSON.parse(out).map((f) => f.file)));
      } catch {
        resolve(null);
      }
    });
  });
}

log(`unit, workerd and browser tests (vitest${halves.length > 1 ? ", in two halves side by side" : ""})`);
const listing = halves.length > 1 ? listAllFiles() : Promise.resolve(null);
const results = await Promise.all(halves.map(vitestRun));
const filesRun = new Set();
for (const { name, ok, report } of results) {
  if (!existsSync(report)) {
    check(`vitest ${name} (no report written)`, false);
    continue;
  }
  const result = JSON.parse(readFileSync(report, "utf8"));
  totals.passed += result.numPassedTests ?? 0;
  totals.failed += result.numFailedTests ?? 0;
  totals.skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  for (const file of result.testResults ?? []) {
    filesRun.add(file.name);
    // A suite that failed to load counts as a failure even though none of its tests ran.
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0)
      check(`suite ${file.name}`, false);
  }
  if (!ok && result.numFailedTests === 0 && failures.length === 0) check(`vitest ${name}`, false);
}
// No test file left out by the split: as many as one vitest over every project finds.
if (halves.length > 1) {
  const all = await listing;
  if (!all) check("every test file run (vitest list gave no answer)", false);
  else {
    const missed = [...all].filter((f) => !filesRun.has(f));
    check(
      `every test file run (${missed.length ? `left out: ${missed.join(", ")}` : `${all.size} files`})`,
      missed.length === 0,
    );
  }
}

if (failures.length) log(`failed: ${failures.join("; ")}`);
const ranTests = totals.passed + totals.failed > 0;
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed === 0 && ranTests ? 0 : 1);
