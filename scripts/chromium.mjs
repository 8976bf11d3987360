// Debian's Chromium, driven by playwright-core, as every browser test and benchmark opens it:
// never a downloaded browser, never the network beyond loopback. One place for the switches, so a
// journey and a benchmark always run the same browser the same way.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** Where Debian puts Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless, no sandbox (containers), no GPU, no QUIC, and nothing Chromium would fetch by itself. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * One browser profile (a tablet: its own storage, service worker and IndexedDB) in `userDataDir`,
 * or a new temporary folder named after `name`. `args` are added after chromiumArgs; the rest goes
 * to playwright.
 */
export function launchChromium({ name = "chromium", userDataDir, args = [], ...options } = {}) {
  return chromium.launchPersistentContext(userDataDir ?? mkdtempSync(join(tmpdir(), `consign-${name}-`)), {
    executablePath: chromiumPath,
    headless: true,
    ...options,
    args: [...chromiumArgs, ...args],
  });
}

/** A browser without a profile of its own, for pages that need none. */
export function launchChromiumBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
