// `npm start`: installs what is missing, builds, runs the whole system on the embedded default
// (sandboxes of Amazon and the couriers, a seeded demo seller) and prints where to open it.
import { join } from "node:path";
import { ensureDeps, ensurePnpm, log, root, run } from "./lib.mjs";
import { startStack } from "./stack.mjs";

export const EDGE_PORT = 8787;
export const SANDBOX_PORT = 8788;

const pnpm = ensurePnpm();
ensureDeps(pnpm);
log("building the PWA");
run(pnpm, ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
log("starting the sandbox and edge Workers in workerd (wrangler)");

let stack;
try {
  stack = await startStack({
    edgePort: EDGE_PORT,
    sandboxPort: SANDBOX_PORT,
    stateDir: join(root, ".wrangler", "consign-local"),
    log: (line) => process.stdout.write(`${line}\n`),
  });
} catch (e) {
  log(`could not start: ${e.message}`);
  process.exit(1);
}

const { demo } = stack;
process.stdout.write(`
  Consign is running.

  Open            ${stack.url}
  Edge API        ${stack.url}/api/v1   (health: ${stack.url}/health)
  Sandboxes       http://127.0.0.1:${SANDBOX_PORT}   (Amazon SP-API, Royal Mail, Amazon Shipping, DPD, Evri)

  Demo seller     ${demo?.sellerName ?? "Demo Trading Ltd"}
    owner         ${demo?.owner}   password: ${demo?.password}
    packer        ${demo?.packer}   password: ${demo?.password}

  Ctrl-C stops everything.
`);

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  log("stopping");
  stack.stop();
  setTimeout(() => process.exit(0), 500);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
for (const child of stack.children) {
  child.on("exit", (code) => {
    if (!stopping) {
      log(`a Worker process exited (${code}); stopping the rest`);
      shutdown();
    }
  });
}
