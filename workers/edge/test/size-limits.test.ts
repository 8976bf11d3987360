// Every text a seller or integration sends has a limit: oversized input is refused with 400
// naming the field and the limit (never stored, never a 500), and the live document never grows
// from it.

import { describe, expect, it } from "vitest";
import { call, json, signUp } from "./helpers.ts";

type ErrorBody = { error: { code: string; message: string; fields: { path: string; message: string }[] } };

const TEN_MB = "x".repeat(10_000_000);

describe("size limits at the edge", { timeout: 60_000 }, () => {
  it("refuses a 10 MB shipping-rule name with 400 naming the field and the limit, keeping the rules", async () => {
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
      body: { rules: [rule(TEN_MB)] },
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

  it("refuses a 10 MB courier password with 400 naming the field and the limit", async () => {
    const owner = await signUp("limit-courier");
    const res = await call("/api/v1/couriers/dpd", {
      method: "PUT",
      body: { username: "acme", password: TEN_MB, accountNumber: "12345" },
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

  it("refuses a 10 MB sender name with 400 naming the field", async () => {
    const owner = await signUp("limit-sender");
    const res = await call("/api/v1/settings", {
      method: "PATCH",
      body: { sender: { name: TEN_MB, line1: "1 High Street", city: "Leeds", postcode: "LS1 1AA" } },
      token: owner.accessToken,
    });
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error.fields.map((f) => f.path)).toContain("sender.name");
  });
});
