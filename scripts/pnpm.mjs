// Runs the pinned pnpm, installing it first when missing: `node scripts/pnpm.mjs <args>`.
import { ensurePnpm, run } from "./lib.mjs";

try {
  run(ensurePnpm(), process.argv.slice(2));
} catch (e) {
  process.exit(e.status ?? 1);
}
