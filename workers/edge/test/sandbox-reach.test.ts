import { describe, expect, it } from "vitest";

describe("edge outbound", () => {
  it("reaches the sandbox Worker through the configured base URL", async () => {
    const res = await fetch("http://127.0.0.1:8788/health");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { service: string }).service).toBe("consign-sandbox");
  });
});
