// A stand-in for an integrator's webhook endpoint (not part of any real API): it records what it
// receives so tests can check delivery and signatures, and can be told to fail first.
import { Hono } from "hono";
import type { SandboxEnv } from "./env.ts";

interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
}

const inboxes = new Map<string, Received[]>();
const failNext = new Map<string, number>();

export const receiver = new Hono<{ Bindings: SandboxEnv }>()
  .post("/_sandbox/receiver/:name", async (c) => {
    const name = c.req.param("name");
    const list = inboxes.get(name) ?? [];
    list.push({ headers: Object.fromEntries(c.req.raw.headers), body: await c.req.text(), at: Date.now() });
    inboxes.set(name, list.slice(-200));
    const failures = failNext.get(name) ?? 0;
    if (failures > 0) {
      failNext.set(name, failures - 1);
      return c.text("receiver told to fail", 500);
    }
    return c.body(null, 204);
  })
  .get("/_sandbox/receiver/:name", (c) => c.json(inboxes.get(c.req.param("name")) ?? []))
  .put("/_sandbox/receiver/:name/fail", async (c) => {
    const { times } = (await c.req.json()) as { times: number };
    failNext.set(c.req.param("name"), times);
    return c.json({ failNext: times });
  });
