import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("sandbox worker", () => {
  it("answers /health inside workerd", async () => {
    const res = await exports.default.fetch("http://sandbox/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, service: "consign-sandbox" });
  });
});
