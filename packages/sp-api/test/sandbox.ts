// The sandbox Worker, bundled by wrangler and run with Miniflare in Node, for the conformance
// tests (which read the official models from ../shared/specs, something workerd cannot do).
import { execFileSync } from "node:child_process";
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
