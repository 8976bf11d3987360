import { Hono } from "hono";
import { amazon } from "./amazon/index.ts";
import { couriers } from "./couriers/index.ts";
import type { SandboxEnv } from "./env.ts";
import { receiver } from "./receiver.ts";

export { AmazonSellerState } from "./amazon/state.ts";
export { CourierAccountState } from "./couriers/state.ts";
export type { SandboxEnv } from "./env.ts";

const app = new Hono<{ Bindings: SandboxEnv }>();

app.get("/health", (c) => c.json({ ok: true, service: "consign-sandbox" }));
app.route("/", amazon);
app.route("/", couriers);
app.route("/", receiver);

export default app;
