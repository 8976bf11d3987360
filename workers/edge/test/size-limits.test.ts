// Every text a seller or integration sends has a limit: oversized input is refused with 400
// naming the field and the limit (never stored, never a 500), and the live document never grows
// from it. A body past 1 MiB is refused whole (413) before anything reads it.

import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, call, json, signUp } from "./helpers.ts";

type ErrorBody = { error: { code: string; message: string; fields: { path: string; message: string }[] } };

const TEN_MB = "x".repeat(10_000_000);
/** Past every field's limit, inside the 1 MiB body limit: the field's own check answers. */
const HUGE_FIELD = "x".repeat(300_000);

describe("size limits at the edge", { timeout: 60_000 }, () => {
  it("refuses a 300 KB shipping-rule name with 400 naming the field and the limit, keeping the rules", async () => {
    const owner = await signUp("limit-rules");
    const rule = (name: string) => ({
      id: "r1",
      name,
      when: { countries: ["GB"] },
      use: { courier: "royal-mail", serviceCode: "TPN24" },
    });
    const ok = await call("/api/v1/rules", {
      method: "PUT",
      body: { rules: [rule("Small UK")] },
      token: owner.accessToken,
    });
    expect(ok.status).toBe(200);
    const res = await call("/api/v1/rules", {
      method: "PUT",
      body: { rules: [rule(HUGE_FIELD)] },
      token: owner.accessToken,
    });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.fields).toContainEqual({ path: "rules.0.name", message: "at most 200 characters" });
    const kept = await json<{ rules: { name?: string }[] }>(
      await call("/api/v1/rules", { token: owner.accessToken }),
    );
    expect(kept.rules.map((r) => r.name)).toEqual(["Small UK"]);
  });

  it("refuses a 300 KB courier password with 400 naming the field and the limit", async () => {
    const owner = await signUp("limit-courier");
    const res = await call("/api/v1/couriers/dpd", {
      method: "PUT",
      body: { username: "acme", password: HUGE_FIELD, accountNumber: "12345" },
      token: owner.accessToken,
    });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.fields).toContainEqual({ path: "password", message: "at most 1000 characters" });
    const status = await json<Record<string, unknown>>(
      await call("/api/v1/couriers", { token: owner.accessToken }),
    );
    expect(JSON.stringify(status)).not.toContain('"dpd":{"connected":true');
  });

  it("refuses a 300 KB sender name with 400 naming the field", async () => {
    const owner = await signUp("limit-sender");
    const res = await call("/api/v1/settings", {
      method: "PATCH",
      body: { sender: { name: HUGE_FIELD, line1: "1 High Street", city: "Leeds", postcode: "LS1 1AA" } },
      token: owner.accessToken,
    });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.fields.map((f) => f.path)).toContain("sender.name");
  });

  it("refuses a 10 MB body with 413 before reading it, on the API and on sign-up, keeping what was there", async () => {
    const owner = await signUp("limit-body");
    const rules = await call("/api/v1/rules", {
      method: "PUT",
      body: {
        rules: [{ id: "r1", name: TEN_MB, when: {}, use: { courier: "royal-mail", serviceCode: "TPN24" } }],
      },
      token: owner.accessToken,
    });
    expect(rules.status).toBe(413);
    const body = await json<ErrorBody>(rules);
    expect(body.error.code).toBe("payload_too_large");
    expect(body.error.message).toMatch(/larger than 1024 KB.*fewer items per request/);
    const kept = await json<{ rules: unknown[] }>(await call("/api/v1/rules", { token: owner.accessToken }));
    expect(kept.rules).toEqual([]);
    const signup = await call("/auth/signup", {
      method: "POST",
      body: { sellerName: TEN_MB, name: "A", email: "big@example.co.uk", password: "long enough pw" },
    });
    expect(signup.status).toBe(413);
    // A body sent in chunks, with no Content-Length to refuse it by, is cut off all the same.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        const piece = new TextEncoder().encode("x".repeat(256 * 1024));
        controller.enqueue(new TextEncoder().encode('{"rules":[{"name":"'));
        for (let i = 0; i < 8; i++) controller.enqueue(piece);
        controller.enqueue(new TextEncoder().encode('"}]}'));
        controller.close();
      },
    });
    const streamed = await exports.default.fetch(`${BASE}/api/v1/rules`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${owner.accessToken}` },
      body: chunks,
    });
    expect(streamed.status).toBe(413);
  });
});
