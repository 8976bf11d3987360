// What both edge test projects share: the bindings, and the sandbox Worker (Amazon, couriers)
// bundled and run beside the edge in the same workerd: real wire formats, no network. Each project
// bundles the sandbox into its own folder, so two projects starting at once never write the same files.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sandboxDir = join(here, "..", "sandbox");

export const testBindings = {
  TOKEN_SECRET: "test-token-secret-0123456789abcdef",
  CREDENTIALS_KEY: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
  SPAPI_CLIENT_ID: "amzn1.application-oa2-client.consignsandbox",
  SPAPI_CLIENT_SECRET: "sandbox-client-secret",
  SEED_DEMO: "false",
  // Sign-up codes through the sandbox's Postmark (test/helpers.ts reads them from its mailbox).
  MAIL_API_TOKEN: "sandbox-postmark-server-token",
  // Many tests sign in wrongly on purpose: a budget for wrong guesses those never reach, so each
  // throttle is tested for itself; test/auth-flood.test.ts floods past it, in a workerd of its own
  // (ISOLATED_FILES).
  SIGNIN_GUESS_BUDGET: "45/1",
  // ORDER_CHANGE through the sandbox's SQS queue (SigV4 with the sandbox's AWS credentials); the
  // tests drive the poller themselves.
  AWS_ACCESS_KEY_ID: "AKIACONSIGNSANDBOX01",
  AWS_SECRET_ACCESS_KEY: "consign-sandbox-aws-secret-access-key",
  SQS_POLL: "manual",
  SQS_WAIT_SECONDS: "1",
  // No DNS in tests: webhook host names resolve from this table (anything else resolves to nothing).
  WEBHOOK_DNS_STATIC: JSON.stringify({
    "hooks.example.co.uk": ["93.184.215.14"],
    "example.co.uk": ["93.184.215.14"],
    "metadata.example.co.uk": ["169.254.169.254"],
    "intranet.example.co.uk": ["10.0.0.1", "93.184.215.14"],
  }),
};

/** Edge test files that need a workerd (and so a Directory) of their own: vitest.isolated.config.ts. */
export const ISOLATED_FILES = ["test/auth-flood.test.ts"];

/** The miniflare options of an edge project: its bindings, and the sandbox bundled into `outdir`. */
export function edgeMiniflare(outdir: string, bindings: Record<string, string> = testBindings) {
  execFileSync(join(here, "../../node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: sandboxDir,
    stdio: "ignore",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  return {
    bindings,
    outboundService: "sandbox",
    workers: [
      {
        name: "sandbox",
        modules: true,
        scriptPath: join(sandboxDir, outdir, "index.js"),
        modulesRoot: join(sandboxDir, outdir),
        compatibilityDate: "2026-04-20",
        compatibilityFlags: ["nodejs_compat"],
        durableObjects: {
          AMAZON_SELLER: { className: "AmazonSellerState", useSQLite: true },
          COURIER_ACCOUNT: { className: "CourierAccountState", useSQLite: true },
        },
        bindings: {
          SANDBOX_CLIENT_ID: "amzn1.application-oa2-client.consignsandbox",
          SANDBOX_CLIENT_SECRET: "sandbox-client-secret",
          SANDBOX_PUBLIC_URL: "http://127.0.0.1:8788",
        },
      },
    ],
  };
}
