// `npm run test:bulk`: the bulk-run browser journey at the size the issue names (1,200 labels
// bought and printed on one tablet with the device limit forced low). `npm test` runs it at 520.
import { join } from "node:path";
import { ensureDeps, ensurePnpm, root, run } from "./lib.mjs";

const pnpm = ensurePnpm();
ensureDeps(pnpm);
run(pnpm, ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
process.env.CONSIGN_BULK_LABELS = process.env.CONSIGN_BULK_LABELS ?? "1200";
run(join(root, "node_modules", ".bin", "vitest"), ["run", "--project", "e2e", "e2e/bulk-run"]);
