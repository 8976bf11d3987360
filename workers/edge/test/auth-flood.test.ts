// A flood of wrong sign-ins that changes email and address on every guess (so no per-account or
// per-address wait catches it) must not make the Directory hash for each: past a budget the guesses
// are answered 429 at once, in words, while the owner's own device still signs in. Its own project
// (edge-isolated, a workerd of its own): the budget is the Directory's, which the edge project's files
// share.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashBudgetRuleFrom } from "../src/directory/hash-budget.ts";
import { call, json, signUp } from "./helpers.ts";

/** The budget the tests' Directory runs with (vitest.config.ts sets it). */
const hashBudgetRule = hashBudgetRuleFrom(env.SIGNIN_GUESS_BUDGET);

let n = 0;
/** A wrong guess from an address and at an email never seen before. */
const guess = () => {
  n++;
  return call("/auth/signin", {
    body: { email: `nobody-${n}@flood.example.co.uk`, password: "wrong password", deviceName: "bot" },
    headers: { "CF-Connecting-IP": `198.18.${(n >> 8) & 255}.${n & 255}` },
  });
};

type ErrorBody = { error: { code: string; message: string } };

describe("a flood of wrong sign-ins from everywhere", () => {
  it("hashes at most the budget, answers the rest 429 at once, and the owner's device still signs in", async () => {
    const owner = await signUp("flood-owner");
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: hashBudgetRule.burst + 40 }, guess));
    const seconds = (Date.now() - started) / 1000;
    const statuses = answers.map((r) => r.status);
    const hashed = statuses.filter((s) => s === 401).length;
    // Each 401 cost a hash; the budget allows the burst and its refill while this ran.
    expect(hashed).toBeLessThanOrEqual(
      hashBudgetRule.burst + Math.ceil(seconds * hashBudgetRule.perSecond) + 1,
    );
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(
      Math.ceil(1 / hashBudgetRule.perSecond),
    );
    const said = await json<ErrorBody>(refused);
    expect(said.error.code).toBe("rate_limited");
    expect(said.error.message).toMatch(
      /try again in \d+ s\. A device you have signed in on before signs in as usual/,
    );

    // The owner's tablet (it holds the device key its sign-up gave it) signs in at once.
    const known = await call("/auth/signin", {
      body: {
        email: owner.user.email,
        password: "correct horse battery",
        deviceName: "Office laptop",
        deviceKey: owner.deviceKey,
      },
    });
    expect(known.status).toBe(200);

    // A device that never signed in waits while the flood lasts (drained again just before it asks;
    // if the bucket refilled in between, it signed in, and the flood is tried again)...
    const stranger = () =>
      call("/auth/signin", {
        body: { email: owner.user.email, password: "correct horse battery", deviceName: "New phone" },
      });
    let held: Response | undefined;
    for (let tries = 0; tries < 5 && !held; tries++) {
      while ((await guess()).status !== 429) {}
      const res = await stranger();
      if (res.status === 429) held = res;
      else expect(res.status).toBe(200);
    }
    expect(held, "a new device was never held up by the flood").toBeDefined();
    expect((await json<ErrorBody>(held!)).error.message).toMatch(
      /devices that have not signed in before wait/,
    );

    // ...and signs in once the budget has a token again (no more guesses arrive).
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await stranger()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  }, 60_000);
});
