// What an integrator or a curious team member must not get: staff emails and devices beyond the
// owner; requests past the rate limit on any /api/v1 route; webhooks into a private network.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import pwaHeadersFile from "../../../apps/web/public/_headers?raw";
import { WebhookOutbox } from "../src/api/webhooks/outbox.ts";
import { classifyAddress, targetUrlProblem } from "../src/api/webhooks/target.ts";
import { REFUSED_BURST } from "../src/auth/middleware.ts";
import { PWA_SECURITY_HEADERS } from "../src/http/security.ts";
import { apiKey } from "./api-harness.ts";
import { addMember, call, json, signUp } from "./helpers.ts";

type Team = {
  members: { userId: string; name: string; role: string; email?: string }[];
  devices: { userId: string; deviceName: string }[];
};

describe("the team list", () => {
  it("shows staff emails and devices to the owner only; a read key sees names and roles", async () => {
    const owner = await signUp("team-privacy");
    const packer = await addMember(owner, "packer", "team-privacy-packer");
    const key = await apiKey(owner, "read");

    const asOwner = await json<Team>(await call("/api/v1/team", { token: owner.accessToken }));
    expect(asOwner.members.map((m) => m.email).sort()).toEqual([owner.user.email, packer.email].sort());
    expect(asOwner.devices).toHaveLength(2);

    const asKey = await json<Team>(await call("/api/v1/team", { token: key }));
    expect(asKey.members).toHaveLength(2);
    expect(asKey.members.every((m) => m.email === undefined)).toBe(true);
    expect(asKey.devices).toEqual([]);
    expect(JSON.stringify(asKey)).not.toContain("@");

    const asPacker = await json<Team>(await call("/api/v1/team", { token: packer.accessToken }));
    expect(asPacker.members.find((m) => m.userId === owner.user.id)?.email).toBeUndefined();
    expect(asPacker.members.find((m) => m.userId === packer.user.id)?.email).toBe(packer.email);
    expect(asPacker.devices.map((d) => d.userId)).toEqual([packer.user.id]);
  });
});

describe("rate limits", () => {
  it("count requests with unknown keys per address, answering 429 before looking at the key", async () => {
    const headers = { "CF-Connecting-IP": "203.0.113.200" };
    // All at once, as a guesser would send them: each waits on the Directory, and none may find the
    // address's allowance untouched because the others have not been answered yet.
    const from = Date.now();
    const statuses = (
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call("/api/v1/orders", { token: `csk_live_guess${i}.abc`, headers }),
        ),
      )
    ).map((r) => r.status);
    const refilled = Math.ceil((Date.now() - from) / 1000); // one a second
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const looked = statuses.filter((s) => s === 401).length;
    expect(looked).toBeGreaterThanOrEqual(REFUSED_BURST);
    expect(looked).toBeLessThanOrEqual(REFUSED_BURST + refilled);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const last = await call("/api/v1/orders", { token: "csk_live_guess.abc", headers });
    expect(Number(last.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another address is not held up.
    const other = await call("/api/v1/orders", {
      token: "csk_live_x.abc",
      headers: { "CF-Connecting-IP": "203.0.113.201" },
    });
    expect(other.status).toBe(401);
  });

  it("count every /api/v1 route, stock, archive, team, settings and Amazon's status included", async () => {
    const owner = await signUp("rate-all");
    const key = await apiKey(owner, "read");
    for (const path of ["/stock", "/archive", "/team", "/settings", "/amazon/status", "/health/official"]) {
      const res = await call(`/api/v1${path}`, { token: key });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("RateLimit-Limit"), path).not.toBeNull();
    }
  });
});

describe("webhook targets", () => {
  it("judges addresses: loopback, private, link-local, reserved and mapped forms are not public", () => {
    for (const a of [
      "127.0.0.1",
      "10.0.0.1",
      "169.254.169.254",
      "172.16.5.4",
      "192.168.1.1",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::10.0.0.1",
    ])
      expect(classifyAddress(a), a).toBe("private");
    for (const a of ["93.184.215.14", "8.8.8.8", "2606:4700::1111"])
      expect(classifyAddress(a), a).toBe("public");
    for (const url of [
      "http://hooks.example.co.uk/h",
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.1/h",
      "https://localhost/h",
      "https://printer.local/h",
      "https://[::1]/h",
      "https://2130706433/h",
      "https://user:pass@hooks.example.co.uk/h",
      "https://intranet/h",
    ])
      expect(targetUrlProblem(url), url).not.toBeNull();
    expect(targetUrlProblem("https://hooks.example.co.uk/consign")).toBeNull();
  });

  it("refuses at registration a name that resolves to a private address, naming the url", async () => {
    const owner = await signUp("hooks-private");
    const register = (url: string) =>
      call("/api/v1/webhooks", { body: { url, events: ["order.created"] }, token: owner.accessToken });
    for (const url of [
      "https://169.254.169.254/latest",
      "https://10.0.0.1/h",
      "http://localhost:9000/h",
      "https://metadata.example.co.uk/h",
      "https://intranet.example.co.uk/h",
      "https://nowhere.example.co.uk/h",
    ]) {
      const res = await register(url);
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: { message: string; fields: { path: string }[] } };
      expect(
        body.error.fields.map((f) => f.path),
        url,
      ).toEqual(["url"]);
    }
    expect((await register("https://hooks.example.co.uk/consign")).status).toBe(201);
  });

  it("checks again before each delivery and never follows a redirect", async () => {
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName("webhook-targets"));
    await runInDurableObject(stub, async (_i, state) => {
      const dns: Record<string, string[]> = { "hooks.example.co.uk": ["93.184.215.14"] };
      const outbox = new WebhookOutbox(state.storage.sql, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", {
        resolve: async (h) => dns[h] ?? [],
      });
      const { id } = await outbox.endpoints.create(
        { url: "https://hooks.example.co.uk/h", events: ["order.created"] },
        "u",
        0,
      );
      const calls: RequestInit[] = [];
      const fetch = async (_url: string, init: RequestInit) => {
        calls.push(init);
        return new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } });
      };
      outbox.enqueue({ type: "order.created", occurredAt: 0, data: {} });
      await outbox.deliverDue(0, fetch);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.redirect).toBe("manual");
      expect(outbox.deliveries(id)?.[0]).toMatchObject({
        statusCode: 302,
        error: expect.stringMatching(/redirects are not followed/),
      });
      // The name now points inside: nothing is sent, and the log says why.
      dns["hooks.example.co.uk"] = ["10.0.0.7"];
      outbox.enqueue({ type: "order.created", occurredAt: 0, data: {} });
      await outbox.deliverDue(10_000_000_000, fetch);
      expect(calls).toHaveLength(1);
      expect(outbox.deliveries(id)?.[0]?.error).toMatch(/resolves to 10\.0\.0\.7/);
    });
  });
});

describe("security headers and CORS", () => {
  it("puts nosniff, a CSP that frames nothing and a referrer policy on the Worker's answers and the docs page", async () => {
    for (const path of ["/api/v1/orders", "/api/v1/openapi.json", "/health", "/auth/signin"]) {
      const res = await call(path);
      expect(res.headers.get("X-Content-Type-Options"), path).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy"), path).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("Content-Security-Policy"), path).toContain("frame-ancestors 'none'");
    }
    const docs = await call("/api/v1/docs");
    expect(docs.status).toBe(200);
    const csp = docs.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(docs.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("serves the PWA's files with the same headers as the Worker's list (apps/web/public/_headers)", () => {
    const lines = pwaHeadersFile.split("\n").filter((l) => l.startsWith("  "));
    const parsed = Object.fromEntries(
      lines.map((l) => [l.trim().slice(0, l.trim().indexOf(":")), l.trim().slice(l.trim().indexOf(":") + 2)]),
    );
    expect(parsed).toEqual(PWA_SECURITY_HEADERS);
    expect(pwaHeadersFile).toMatch(/^\/\*$/m);
    expect(PWA_SECURITY_HEADERS["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
  });

  it("answers a CORS preflight for /api/v1 and exposes the rate-limit and idempotency headers", async () => {
    const preflight = await call("/api/v1/stock/adjustments", {
      method: "OPTIONS",
      headers: {
        Origin: "https://stock.example.co.uk",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("idempotency-key");
    expect(preflight.headers.get("Access-Control-Allow-Credentials")).toBeNull();

    const owner = await signUp("cors");
    const key = await apiKey(owner, "read");
    const res = await call("/api/v1/stock", {
      token: key,
      headers: { Origin: "https://stock.example.co.uk" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Expose-Headers")).toContain("RateLimit-Remaining");
    // Sign-in is for our own pages only.
    const signin = await call("/auth/signin", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example" },
    });
    expect(signin.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("API keys on the hot path", () => {
  it("are verified by the edge without the Directory; revoking one stops it at once", async () => {
    const owner = await signUp("signed-keys");
    const created = await json<{ id: string; key: string; prefix: string }>(
      await call("/api/v1/team/api-keys", {
        body: { name: "Stock sync", scope: "read" },
        token: owner.accessToken,
      }),
    );
    expect(created.key).toMatch(/^csk_live_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(created.key.startsWith(created.prefix.slice(0, 13))).toBe(true);
    expect((await call("/api/v1/stock", { token: created.key })).status).toBe(200);

    // The Directory never saw the request: its record of the key was not touched.
    const directory = env.DIRECTORY.get(env.DIRECTORY.idFromName("directory"));
    const touched = await runInDurableObject(
      directory,
      (_i, state) =>
        state.storage.sql
          .exec<{ at: number | null }>("SELECT last_used_at AS at FROM api_keys WHERE id = ?", created.id)
          .one().at,
    );
    expect(touched).toBeNull();
    // The owner still sees when it was last used (the seller's room saw it).
    const list = await json<{ keys: { id: string; lastUsedAt: number | null }[] }>(
      await call("/api/v1/team/api-keys", { token: owner.accessToken }),
    );
    expect(list.keys.find((k) => k.id === created.id)?.lastUsedAt).toBeGreaterThan(0);

    // A key whose body was changed (another seller, say) fails its signature.
    const [body, sig] = created.key.slice("csk_live_".length).split(".");
    const claims = JSON.parse(atob(body!.replaceAll("-", "+").replaceAll("_", "/"))) as Record<
      string,
      string
    >;
    const forgedBody = btoa(JSON.stringify({ ...claims, c: "write" }))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    const forged = await call("/api/v1/stock", { token: `csk_live_${forgedBody}.${sig}` });
    expect(forged.status).toBe(401);

    const revoked = await call(`/api/v1/team/api-keys/${created.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(revoked.status).toBe(200);
    const after = await call("/api/v1/stock", { token: created.key });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
  });
});
