import { rmSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/stack.mjs";

// CONSIGN_E2E_PORT moves the stack (edge on it, sandbox on it + 1) so that two runs of the
// journeys on one machine do not collide; each port gets its own state folder.
export const E2E_EDGE_PORT = Number(process.env.CONSIGN_E2E_PORT ?? 18787);
export const E2E_SANDBOX_PORT = E2E_EDGE_PORT + 1;

export default async function setup(project: TestProject) {
  const stateDir = join(import.meta.dirname, "..", "..", "test-output", `e2e-state-${E2E_EDGE_PORT}`);
  rmSync(stateDir, { recursive: true, force: true });
  const lines: string[] = [];
  const stack = await startStack({
    edgePort: E2E_EDGE_PORT,
    sandboxPort: E2E_SANDBOX_PORT,
    stateDir,
    log: (l: string) => lines.push(l),
    // Every journey shares the demo seller and many buy labels for its ready orders: the embedded
    // default's 60 awaiting dispatch run out before the last journeys, so the suite's seller has more.
    demoSeed: { orders: 1500, historyDays: 90, unshipped: 220, seed: "demo", arrivalsPerHour: 12 },
  });
  project.provide("edgeUrl", stack.url);
  project.provide("sandboxUrl", `http://127.0.0.1:${E2E_SANDBOX_PORT}`);
  project.provide("demo", stack.demo);
  return async () => {
    stack.stop();
    if (process.env.CONSIGN_E2E_LOG) console.log(lines.join("\n"));
    // A device's update the room refused is a bug in the app (or an attack): always shown.
    const refused = lines.filter((l) => l.includes("[sync]") && l.includes(" refused "));
    if (refused.length > 0)
      console.log(`The room refused ${refused.length} device update(s):\n${refused.join("\n")}`);
    // A new generation of the document makes every device reload: rare, and worth knowing when.
    const renewed = lines.filter((l) => l.includes("[sync]") && l.includes(" new generation "));
    if (renewed.length > 0) console.log(`The room renewed the document:\n${renewed.join("\n")}`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    edgeUrl: string;
    sandboxUrl: string;
    demo: { sellerId: string; sellerName: string; owner: string; packer: string; password: string };
  }
}
