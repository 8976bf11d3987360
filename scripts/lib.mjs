// Shared helpers for the two commands a newcomer runs (`npm start`, `npm test`).
// Plain Node, no dependencies: these run before anything is installed.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PNPM_VERSION = "12.21.0";
const toolsDir = join(root, ".tools");
const localPnpm = join(toolsDir, "node_modules", ".bin", "pnpm");

/** Environment that keeps wrangler, miniflare and turbo off the internet. */
export const offlineEnv = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  NO_UPDATE_NOTIFIER: "1",
  npm_config_update_notifier: "false",
};

export function log(msg) {
  process.stdout.write(`[consign] ${msg}\n`);
}

function onPath(cmd) {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function pnpmWorks(bin) {
  try {
    const v = execFileSync(bin, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return v === PNPM_VERSION;
  } catch {
    return false;
  }
}

/** Puts pnpm's folder first on PATH so tools that look for it (turbo) find the same one. */
function usePnpm(bin) {
  process.env.PATH = `${dirname(bin)}:${process.env.PATH ?? ""}`;
  return bin;
}

/** Finds pnpm at the pinned version, installing it into .tools/ with npm (no corepack) when missing. */
export function ensurePnpm() {
  if (existsSync(localPnpm) && pnpmWorks(localPnpm)) return usePnpm(localPnpm);
  const global = onPath("pnpm");
  if (global && pnpmWorks(global)) return usePnpm(global);
  log(`installing pnpm ${PNPM_VERSION} into .tools/ (npm, not corepack)`);
  mkdirSync(toolsDir, { recursive: true });
  run("npm", ["install", "--prefix", toolsDir, "--no-save", "--no-package-lock", `pnpm@${PNPM_VERSION}`]);
  if (!pnpmWorks(localPnpm)) throw new Error(`pnpm ${PNPM_VERSION} did not install into ${toolsDir}`);
  return usePnpm(localPnpm);
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    cwd: root,
    ...opts,
    env: { ...process.env, ...offlineEnv, ...(opts.env ?? {}) },
  });
  if (r.status !== 0) {
    const err = new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
    err.status = r.status ?? 1;
    throw err;
  }
}

/** Installs workspace dependencies from the lockfile when node_modules is missing or stale. */
export function ensureDeps(pnpm) {
  const stamp = join(root, "node_modules", ".modules.yaml");
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  if (existsSync(stamp) && process.env.CONSIGN_SKIP_INSTALL) return;
  log("installing dependencies from the lockfile");
  run(pnpm, ["install", ...frozen, "--prefer-offline", "--reporter=append-only"]);
}

export function spawnLogged(cmd, args, opts = {}) {
  return spawn(cmd, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...opts,
    env: { ...process.env, ...offlineEnv, ...(opts.env ?? {}) },
  });
}
