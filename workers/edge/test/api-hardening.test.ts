// What an integrator or a curious team member must not get: staff emails and devices beyond the
// owner; requests past the rate limit on any /api/v1 route.
import { describe, expect, it } from "vitest";
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
