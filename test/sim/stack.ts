// The local stack for a simulation: both Workers in workerd (wrangler), fresh state, the edge with
// SIMULATED_CLOCK=true (the only place that switch is ever set), no demo seller.
import { rmSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import type { RunningStack } from "../bench/room-helpers.ts";
import { stopAndWait } from "../bench/room-helpers.ts";

export interface SimStack {
  edgeUrl: string;
  sandboxUrl: string;
  stop: () => Promise<void>;
}

export async function startSimStack(
  edgePort: number,
  log: (line: string) => void = () => {},
): Promise<SimStack> {
  const stateDir = join(import.meta.dirname, "..", "..", "test-output", `sim-state-${edgePort}`);
  rmSync(stateDir, { recursive: true, force: true });
  const stack: RunningStack = await startStack({
    edgePort,
    sandboxPort: edgePort + 1,
    stateDir,
    log,
    seedDemo: false,
    // Devices' API limit high: three tablets and the owner share one seller here, and the label runs'
    // own courier limits are what the simulation is about.
    edgeVars: { SIMULATED_CLOCK: "true", DEVICE_RATE_LIMIT: "2000/200" },
  });
  return {
    edgeUrl: stack.url,
    sandboxUrl: `http://127.0.0.1:${edgePort + 1}`,
    stop: () => stopAndWait(stack),
  };
}

/** 00:00 UTC of the first Monday at least two days after `now` (the simulated month starts there). */
export function nextMonday(now = Date.now()): number {
  const DAY = 86_400_000;
  let d = now - (now % DAY) + 2 * DAY;
  while (new Date(d).getUTCDay() !== 1) d += DAY;
  return d;
}
