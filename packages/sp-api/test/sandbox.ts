// The sandbox Worker, bundled by wrangler and run with Miniflare in Node, for the conformance
// tests (which read the official models from ../shared/specs, something workerd cannot do).
import { execFileSync } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const sandboxDir = join(repoRoot, "workers", "sandbox");

export function startSandbox(publicUrl: string): Miniflare {
  execFileSync(join(repoRoot, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], {
    cwd: sandboxDir,
    stdio: "ignore",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  return new Miniflare({
    modules: true,
    scriptPath: join(sandboxDir, "dist", "index.js"),
    modulesRoot: join(sandboxDir, "dist"),
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["nodejs_compat"],
    cf: false,
    durableObjects: {
      AMAZON_SELLER: { className: "AmazonSellerState", useSQLite: true },
      COURIER_ACCOUNT: { className: "CourierAccountState", useSQLite: true },
    },
    bindings: {
      SANDBOX_CLIENT_ID: "amzn1.application-oa2-client.consignsandbox",
      SANDBOX_CLIENT_SECRET: "sandbox-client-secret",
      SANDBOX_PUBLIC_URL: publicUrl,
    },
  });
}

/**
 * A socket front for a sandbox origin: passes every request through, and destroys the client's TCP
 * connection when the sandbox marks an answer as a dropped connection (its lost-request/lost-answer
 * switches), which Miniflare's entry Worker would otherwise end cleanly.
 */
export async function socketFront(upstream: string): Promise<{ origin: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (answer.headers["x-sandbox-drop-connection"]) {
          answer.destroy();
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => req.socket.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
