// `npm run test:faults`: the live document's fault suite at ten times the size `npm test` runs
// (3,000 random edits by 10 devices with offline spells, an eviction and a restart mid-burst;
// a reconnect storm of 50 devices over 2,000 orders), inside workerd.
import { join } from "node:path";
import { ensureDeps, ensurePnpm, root, run } from "./lib.mjs";

ensureDeps(ensurePnpm());
process.env.CONSIGN_FAULT_SCALE = process.env.CONSIGN_FAULT_SCALE ?? "10";
run(join(root, "node_modules", ".bin", "vitest"), ["run", "--project", "edge", "test/sync-faults"]);
