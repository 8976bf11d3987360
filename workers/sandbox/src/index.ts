import { Hono } from "hono";
import { amazon } from "./amazon/index.ts";
import { couriers } from "./couriers/index.ts";
import type { SandboxEnv } from "./env.ts";
import { mail } from "./mail.ts";
import { receiver } from "./receiver.ts";

export { AmazonSellerState } from "./amazon/state.ts";
export { CourierAccountState } from "./couriers/state.ts";
export type { SandboxEnv } from "./env.ts";

const app = new Hono<{ Bindings: SandboxEnv }>();

app.get("/health", (c) => c.json({ ok: true, service: "consign-sandbox" }));
app.route("/", amazon);
app.route("/", couriers);
app.route("/", receiver);
app.route("/", mail);

// An operation the sandbox does not serve, on a path Amazon's SP-API hosts would answer: Amazon's
// ErrorList shape with a request id, never a plain-text 404 (couriers keep their own shapes).
const SP_API_PATH =
  /^\/(orders|tokens|shipping|reports|finances|listings|solicitations|notifications|feeds|sellers|fba|mfn)\//;
app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  if (!SP_API_PATH.test(path)) return c.text("404 Not Found", 404);
  return c.json(
    {
      errors: [
        {
          code: "NotFound",
          message: "The requested resource does not exist.",
          details: `${c.req.method} ${path}`,
        },
      ],
    },
    404,
    { "x-amzn-RequestId": crypto.randomUUID() },
  );
});

export default app;
