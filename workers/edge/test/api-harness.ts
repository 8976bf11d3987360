// Builds a Hono app that mounts the API router on the fake backend beside the real auth and team
// routes, and gives tests an owner with API keys.
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { createApiRouter } from "../src/api/index.ts";
import type { AppEnv } from "../src/app.ts";
import { notFound, onError } from "../src/http/errors.ts";
import { teamRoutes } from "../src/routes/team.ts";
import { FakeBackends } from "./api-fake-backend.ts";
import { call, json, signUp } from "./helpers.ts";

export function apiHarness() {
  const fakes = new FakeBackends();
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.route("/api/v1/team", teamRoutes);
  app.route("/api/v1", createApiRouter(fakes.backendFor));

  const request = (
    path: string,
    init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.body !== undefined && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    const body =
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body);
    return app.request(
      `/api/v1${path}`,
      { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body },
      env,
    );
  };
  return { fakes, app, request };
}

export async function apiKey(
  owner: { accessToken: string },
  scope: "read" | "write",
  name = `${scope} key`,
): Promise<string> {
  const res = await call("/api/v1/team/api-keys", { body: { name, scope }, token: owner.accessToken });
  if (res.status !== 201) throw new Error(`api key failed ${res.status} ${await res.text()}`);
  return (await json<{ key: string }>(res)).key;
}

/** An owner with a read key and a write key. */
export async function sellerWithKeys(tag: string) {
  const owner = await signUp(tag);
  return { owner, readKey: await apiKey(owner, "read"), writeKey: await apiKey(owner, "write") };
}

export type ErrorJson = {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
};
