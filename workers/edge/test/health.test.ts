import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("edge worker", () => {
  it("answers /health and reaches a seller's Durable Object", async () => {
    const res = await exports.default.fetch("http://edge/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; durableObject: { reachable: boolean } };
    expect(body.ok).toBe(true);
    expect(body.durableObject.reachable).toBe(true);
  });
});
