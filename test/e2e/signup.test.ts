// Creating an account in Chromium as a new seller does it: the form, the six-digit code from the
// email (the local stack's mail service is the sandbox's Postmark, whose mailbox the test reads as
// the person would read their inbox), then the app. And the same screen for an email that already
// has an account, so sign-up tells no one which emails are registered.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { NAV, openTablet, screenshot } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");
const demo = inject("demo");

async function codeFor(email: string): Promise<string> {
  const mails = (await (
    await fetch(`${sandboxUrl}/_sandbox/mail?to=${encodeURIComponent(email.toLowerCase())}`)
  ).json()) as { subject: string; tag: string }[];
  const code = mails
    .filter((m) => m.tag === "signup-code")
    .at(-1)
    ?.subject.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code emailed to ${email}`);
  return code;
}

describe("creating an account", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  beforeAll(async () => {
    tablet = await openTablet("signup");
  });
  afterAll(async () => {
    await tablet?.close();
  });

  async function fillSignUp(email: string) {
    const { page } = tablet;
    // The form, not the page's load event: a fresh tablet's first load also fills the service
    // worker's cache, and once waited past 30 s for it with the other suites beside it (fresh14).
    await page.goto(`${edgeUrl}/signup`, NAV);
    const form = page.getByTestId("signup-form");
    await form.waitFor({ timeout: 60_000 });
    await form.getByLabel("Business name").fill("Kiln & Co");
    await form.getByLabel("Your name").fill("Kit Potter");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill("a long enough password");
    await form.getByRole("button", { name: "Create an account" }).click();
    const said = page.getByTestId("signup-code-sent");
    await said.waitFor({ timeout: 30_000 });
    return (await said.textContent()) ?? "";
  }

  it("says the same for a registered email as for a new one, and opens the new account with the emailed code", {
    timeout: 120_000,
  }, async () => {
    const { page } = tablet;
    // The demo owner's email: no account is made or changed, and the screen is the one anyone sees.
    const registered = await fillSignUp(demo.owner);
    expect(registered).toBe(
      `We have emailed ${demo.owner}: enter the six-digit code from that email to open your account.`,
    );
    await page.getByRole("button", { name: "Use a different email" }).click();

    const email = `kit-${Date.now()}@kiln.example.co.uk`;
    expect(await fillSignUp(email)).toBe(
      `We have emailed ${email}: enter the six-digit code from that email to open your account.`,
    );
    await screenshot(page, "signup-code");
    const code = await codeFor(email);
    // A wrong code first: said in words beside the field, and the right one still works after.
    await page
      .getByLabel("Code from the email", { exact: true })
      .fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Open my account" }).click();
    await expect
      .poll(async () => (await page.getByTestId("signup-code-form").textContent()) ?? "", { timeout: 15_000 })
      .toMatch(/That code is not right, or it has expired/);
    await page.getByRole("textbox", { name: /^Code from the email/ }).fill(code);
    await page.getByRole("button", { name: "Open my account" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signup"), { timeout: 60_000 });
    // In the app, as the new seller's owner.
    await expect
      .poll(async () => (await page.locator("body").textContent()) ?? "", { timeout: 60_000 })
      .toContain("Kiln & Co");
  });
});
