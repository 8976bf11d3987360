import { describe, expect, it } from "vitest";
import {
  accessFor,
  addMember,
  call,
  json,
  mailTo,
  SANDBOX,
  signUp,
  signUpCodeFor,
  uniqueEmail,
} from "./helpers.ts";

describe("accounts and teams", () => {
  it("signs up an owner, signs in on another device and issues a seller-scoped access token", async () => {
    const owner = await signUp("acme");
    expect(owner.memberships).toEqual([{ sellerId: owner.sellerId, sellerName: "acme Ltd", role: "owner" }]);
    const signin = await call("/auth/signin", {
      body: { email: owner.user.email, password: "correct horse battery", deviceName: "Tablet" },
    });
    expect(signin.status).toBe(200);
    const grant = await json<{ sessionToken: string }>(signin);
    expect(grant.sessionToken).not.toBe(owner.sessionToken);
    const token = await call("/auth/token", {
      body: { sellerId: owner.sellerId },
      token: grant.sessionToken,
    });
    expect(await json(token)).toMatchObject({ sellerId: owner.sellerId, role: "owner" });
  });

  it("refuses a wrong password without saying whether the email exists", async () => {
    const owner = await signUp("pw");
    const wrong = await call("/auth/signin", {
      body: { email: owner.user.email, password: "nope", deviceName: "x" },
    });
    const unknown = await call("/auth/signin", {
      body: { email: uniqueEmail("ghost"), password: "nope", deviceName: "x" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await json<{ error: { message: string } }>(wrong)).error.message).toBe(
      (await json<{ error: { message: string } }>(unknown)).error.message,
    );
  });

  it("slows guessing with a growing wait, while the owner's known device still signs in", async () => {
    const owner = await signUp("brute");
    const signIn = (password: string, extra: Record<string, string> = {}) =>
      call("/auth/signin", { body: { email: owner.user.email, password, deviceName: "x", ...extra } });
    // A few wrong guesses are free; then each one makes the next wait longer.
    for (let i = 0; i < 4; i++) expect((await signIn(`guess-${i}`)).status).toBe(401);
    const held = await signIn("correct horse battery");
    expect(held.status).toBe(429);
    const wait = Number(held.headers.get("Retry-After"));
    expect(wait).toBeGreaterThan(0);
    // A wait of seconds, never a fixed quarter of an hour.
    expect(wait).toBeLessThanOrEqual(5 * 60);
    expect((await json<{ error: { message: string } }>(held)).error.message).toMatch(/try again in \d+ s/);

    // The owner's own device (it got a device key when it signed up) is not held up by the guesses.
    const known = await signIn("correct horse battery", { deviceKey: owner.deviceKey });
    expect(known.status).toBe(200);
    // A made-up device key does not pass.
    expect((await signIn("correct horse battery", { deviceKey: "cs_dev_madeup" })).status).toBe(429);
  });

  it("throttles sign-ups from one address", async () => {
    const headers = { "CF-Connecting-IP": "198.51.100.23" };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await call("/auth/signup", {
        body: { sellerName: "S", name: "N", email: uniqueEmail("flood"), password: "x".repeat(12) },
        headers,
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("limits sign-in attempts per client address across accounts", async () => {
    const headers = { "CF-Connecting-IP": "203.0.113.77" };
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await call("/auth/signin", {
        body: { email: uniqueEmail("spray"), password: "x", deviceName: "x" },
        headers,
      });
    }
    expect(last?.status).toBe(429);
    // This address's wait, not the Directory's budget for a flood from everywhere (test/auth-flood.test.ts).
    expect((await json<{ error: { message: string } }>(last!)).error.message).toMatch(
      /^Too many sign-in attempts: try again in \d+ s/,
    );
  });

  it("answers sign-up the same for a registered email and a new one, and mails each what it needs", async () => {
    const owner = await signUp("known");
    const attempt = (email: string) =>
      call("/auth/signup", {
        body: {
          sellerName: "Other Ltd",
          name: "Mallory",
          email,
          password: "another password",
          deviceName: "x",
        },
      });
    const fresh = uniqueEmail("fresh");
    const [taken, free] = [await attempt(owner.user.email), await attempt(fresh)];
    expect(taken.status).toBe(202);
    expect(free.status).toBe(202);
    const shape = (b: Record<string, unknown>) => ({ ...b, email: "…", expiresAt: "…", message: "…" });
    const [a, b] = [await json<Record<string, unknown>>(taken), await json<Record<string, unknown>>(free)];
    expect(shape(a)).toEqual(shape(b));
    expect(a.message).toBe(
      `We have emailed ${owner.user.email}: enter the six-digit code from that email to open your account.`,
    );

    // The registered owner is told someone tried, with no code; the new email gets a code.
    const toOwner = (await mailTo(owner.user.email)).at(-1)!;
    expect(toOwner.tag).toBe("signup-existing");
    expect(toOwner.text).toContain("already has one");
    expect(toOwner.text).not.toMatch(/\b\d{6}\b/);
    expect(await signUpCodeFor(fresh)).toMatch(/^\d{6}$/);

    // No code opens anything for the registered email: the owner's account and password stand.
    const guess = await call("/auth/signup/verify", {
      body: { email: owner.user.email, code: "123456", deviceName: "x" },
    });
    expect(guess.status).toBe(400);
    const signin = await call("/auth/signin", {
      body: { email: owner.user.email, password: "correct horse battery", deviceName: "x" },
    });
    expect(signin.status).toBe(200);
    expect((await json<{ memberships: unknown[] }>(signin)).memberships).toHaveLength(1);
  });

  it("opens the account only with the emailed code: wrong codes are refused in words, five end the sign-up", async () => {
    const email = uniqueEmail("coded");
    const body = {
      sellerName: "Coded Ltd",
      name: "Cody",
      email,
      password: "correct horse battery",
      deviceName: "x",
    };
    expect((await call("/auth/signup", { body })).status).toBe(202);
    const code = await signUpCodeFor(email);
    const wrong = code === "000000" ? "111111" : "000000";
    const verify = (c: string) =>
      call("/auth/signup/verify", { body: { email, code: c, deviceName: "Tablet" } });
    // Nothing exists before the code comes back.
    expect(
      (await call("/auth/signin", { body: { email, password: body.password, deviceName: "x" } })).status,
    ).toBe(401);
    const refused = await verify(wrong);
    expect(refused.status).toBe(400);
    const error = (await json<{ error: { message: string; fields: { path: string }[] } }>(refused)).error;
    expect(error.message).toMatch(/That code is not right, or it has expired/);
    expect(error.fields.map((f) => f.path)).toEqual(["code"]);
    // The right code, spaced as people type it, opens the account and this device's session.
    const opened = await verify(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(opened.status).toBe(201);
    const grant = await json<{ memberships: { sellerName: string; role: string }[] }>(opened);
    expect(grant.memberships).toEqual([expect.objectContaining({ sellerName: "Coded Ltd", role: "owner" })]);
    // Used once.
    expect((await verify(code)).status).toBe(400);

    // A second sign-up: five wrong codes end it, and then even the right one is refused.
    const other = uniqueEmail("guessed");
    expect((await call("/auth/signup", { body: { ...body, email: other } })).status).toBe(202);
    const right = await signUpCodeFor(other);
    const bad = right === "999999" ? "888888" : "999999";
    for (let i = 0; i < 5; i++)
      expect(
        (await call("/auth/signup/verify", { body: { email: other, code: bad, deviceName: "x" } })).status,
      ).toBe(400);
    expect(
      (await call("/auth/signup/verify", { body: { email: other, code: right, deviceName: "x" } })).status,
    ).toBe(400);
  });

  it("says in words when the code email cannot be sent, and keeps nothing waiting", async () => {
    const email = uniqueEmail("nomail");
    await fetch(`${SANDBOX}/_sandbox/mail/fail`, { method: "PUT", body: JSON.stringify({ times: 1 }) });
    const res = await call("/auth/signup", {
      body: { sellerName: "N Ltd", name: "N", email, password: "correct horse battery", deviceName: "x" },
    });
    expect(res.status).toBe(502);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(
      /could not send the email just now .* try again in a minute/,
    );
    expect(await mailTo(email)).toEqual([]);
  });

  it("answers sign-up with the fields at fault", async () => {
    const res = await call("/auth/signup", {
      body: { sellerName: "", name: "A", email: "not-an-email", password: "short" },
    });
    expect(res.status).toBe(400);
    const body = await json<{ error: { code: string; fields: { path: string }[] } }>(res);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.fields.map((f) => f.path).sort()).toEqual(["email", "password", "sellerName"]);
  });

  it("invites a packer who joins once; the code cannot be replayed", async () => {
    const owner = await signUp("team");
    const invite = await json<{ code: string }>(
      await call("/api/v1/team/invites", { body: { role: "packer" }, token: owner.accessToken }),
    );
    const join = (email: string) =>
      call("/auth/join", {
        body: { code: invite.code, name: "Pat", email, password: "packing all day", deviceName: "Tablet" },
      });
    const first = await join(uniqueEmail("pat"));
    expect(first.status).toBe(200);
    expect((await json<{ memberships: { role: string }[] }>(first)).memberships[0]!.role).toBe("packer");
    const replay = await join(uniqueEmail("mallory"));
    expect(replay.status).toBe(409);
    expect((await json<{ error: { message: string } }>(replay)).error.message).toMatch(/already been used/);
  });

  it("lets a packer read the team but not manage it, and a viewer read only", async () => {
    const owner = await signUp("roles");
    const packer = await addMember(owner, "packer", "pk");
    const viewer = await addMember(owner, "viewer", "vw");
    expect((await call("/api/v1/team", { token: packer.accessToken })).status).toBe(200);
    expect((await call("/api/v1/team", { token: viewer.accessToken })).status).toBe(200);
    const denied = await call("/api/v1/team/invites", { body: { role: "owner" }, token: packer.accessToken });
    expect(denied.status).toBe(403);
    expect((await json<{ error: { code: string } }>(denied)).error.code).toBe("forbidden");
  });

  it("removing a member ends their access at once, with tokens already issued", async () => {
    const owner = await signUp("remove");
    const packer = await addMember(owner, "packer", "gone");
    expect((await call("/api/v1/team", { token: packer.accessToken })).status).toBe(200);
    const removed = await call(`/api/v1/team/members/${packer.user.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(removed.status).toBe(200);
    const after = await call("/api/v1/team", { token: packer.accessToken });
    expect(after.status).toBe(401);
    const reissue = await call("/auth/token", {
      body: { sellerId: owner.sellerId },
      token: packer.sessionToken,
    });
    expect(reissue.status).toBe(403);
  });

  it("lists devices and signs one out, leaving the others signed in", async () => {
    const owner = await signUp("devices");
    const packer = await addMember(owner, "packer", "dev");
    const team = await json<{ devices: { sessionId: string; deviceName: string }[] }>(
      await call("/api/v1/team", { token: owner.accessToken }),
    );
    expect(team.devices.map((d) => d.deviceName).sort()).toEqual(["Office laptop", "Tablet 1"]);
    const res = await call(`/api/v1/team/devices/${packer.sessionId}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(res.status).toBe(200);
    expect((await call("/api/v1/team", { token: packer.accessToken })).status).toBe(401);
    expect((await call("/api/v1/team", { token: owner.accessToken })).status).toBe(200);
  });

  it("signs out everywhere", async () => {
    const owner = await signUp("everywhere");
    const second = await json<{ sessionToken: string }>(
      await call("/auth/signin", {
        body: { email: owner.user.email, password: "correct horse battery", deviceName: "Phone" },
      }),
    );
    expect((await call("/auth/signout-all", { method: "POST", token: second.sessionToken })).status).toBe(
      200,
    );
    expect(
      (await call("/auth/token", { body: { sellerId: owner.sellerId }, token: owner.sessionToken })).status,
    ).toBe(401);
    expect((await call("/api/v1/team", { token: owner.accessToken })).status).toBe(401);
  });

  it("changing a role refuses tokens with the old role; a fresh token carries the new one", async () => {
    const owner = await signUp("rolechange");
    const person = await addMember(owner, "packer", "rc");
    await call(`/api/v1/team/members/${person.user.id}`, {
      method: "PATCH",
      body: { role: "viewer" },
      token: owner.accessToken,
    });
    expect((await call("/api/v1/team", { token: person.accessToken })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await accessFor(person.sessionToken, owner.sellerId);
    const res = await call("/auth/token", { body: { sellerId: owner.sellerId }, token: person.sessionToken });
    expect((await json<{ role: string }>(res)).role).toBe("viewer");
    expect((await call("/api/v1/team", { token: fresh })).status).toBe(200);
  });
});
