import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TestModule, TestProject } from "vitest/node";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";
import { type RunningStack, stopAndWait } from "../bench/room-helpers.ts";

// CONSIGN_E2E_PORT moves the stack (edge on it, sandbox on it + 1) so that two runs of the
// journeys on one machine do not collide; each port gets its own state folder.
export const E2E_EDGE_PORT = Number(process.env.CONSIGN_E2E_PORT ?? 18787);
export const E2E_SANDBOX_PORT = E2E_EDGE_PORT + 1;

export default async function setup(project: TestProject) {
  const stateDir = join(import.meta.dirname, "..", "..", "test-output", `e2e-state-${E2E_EDGE_PORT}`);
  rmSync(stateDir, { recursive: true, force: true });
  const lines: string[] = [];
  const stack: RunningStack & { demo: ProvidedDemo } = await startStack({
    edgePort: E2E_EDGE_PORT,
    sandboxPort: E2E_SANDBOX_PORT,
    stateDir,
    log: (l: string) => lines.push(l),
    // Every journey shares the demo seller and many buy labels for its ready orders: the embedded
    // default's 60 awaiting dispatch run out before the last journeys, so the suite's seller has more.
    demoSeed: { orders: 1500, historyDays: 90, unshipped: 220, seed: "demo", arrivalsPerHour: 12 },
    // A dispatched parcel's tracking is first asked after 10 s, not a minute, so the journey that
    // follows a parcel to "Delivered" does not sit idle (the poll itself is the same code).
    edgeVars: { TRACKING_FIRST_CHECK_SECONDS: "10" },
  });
  project.provide("edgeUrl", stack.url);
  project.provide("sandboxUrl", `http://127.0.0.1:${E2E_SANDBOX_PORT}`);
  project.provide("demo", stack.demo);
  let stopped: Promise<void> | null = null;
  const stop = (why = "the run ended") => {
    stopped ??= (async () => {
      await stopAndWait(stack);
      lines.push(`[e2e] stack stopped: ${why}`);
      if (process.env.CONSIGN_E2E_LOG) console.log(lines.join("\n"));
      // A device's update the room refused is a bug in the app (or an attack): always shown.
      const refused = lines.filter((l) => l.includes("[sync]") && l.includes(" refused "));
      if (refused.length > 0)
        console.log(`The room refused ${refused.length} device update(s):\n${refused.join("\n")}`);
      // A new generation of the document makes every device reload: rare, and worth knowing when.
      const renewed = lines.filter((l) => l.includes("[sync]") && l.includes(" new generation "));
      if (renewed.length > 0) console.log(`The room renewed the document:\n${renewed.join("\n")}`);
    })();
    return stopped;
  };
  stopWhenLastJourneyEnds(project, () => stop("the last journey ended"));
  return () => stop();
}

/**
 * Vitest tears global setups down only when the whole run ends, and the other projects that run one
 * file at a time (the simulated day among them) come after the journeys: the stack would sit beside
 * them for minutes, its rooms' alarms still running. It stops as soon as the last of this run's
 * journeys has ended instead (the teardown then finds it stopped). A run that cannot tell which
 * journeys it holds keeps the stack to the end, as before.
 */
function stopWhenLastJourneyEnds(project: TestProject, stop: () => Promise<void>): void {
  const left = new Set(project.vitest.state.getPaths().filter((path) => project.matchesTestGlob(path)));
  // The run's reporters are the only hook that hears each file end in this process.
  const reporters = (project.vitest as unknown as { reporters?: unknown }).reporters;
  if (left.size === 0 || !Array.isArray(reporters)) return;
  reporters.push({
    onTestModuleEnd(module: TestModule) {
      if (module.project.name !== project.name) return;
      left.delete(module.moduleId);
      if (left.size === 0) void stop();
    },
  });
}

type ProvidedDemo = { sellerId: string; sellerName: string; owner: string; packer: string; password: string };

declare module "vitest" {
  export interface ProvidedContext {
    edgeUrl: string;
    sandboxUrl: string;
    demo: ProvidedDemo;
  }
}
