// A webhook delivery that fails, seen and sent again from Settings → Integrations, in Chromium
// against the whole local stack. The integrator's endpoint is the sandbox's stand-in receiver
// (not a real integrator): the local stack delivers https://receiver.consign.example/... to it
// (scripts/stack.mjs) after the same public-address check as any other URL, and it can be told to
// answer 500. The event is a real one: the owner types a note into an order's drawer.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  edgeApi,
  NAV,
  openOrderDrawer,
  openTablet,
  ordersWithoutNotes,
  screenshot,
  signInTablet,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const sandboxUrl = inject("sandboxUrl");
const demo = inject("demo");

interface Received {
  headers: Record<string, string>;
  body: string;
}

describe("a failed webhook delivery, retried from the tablet", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  const inbox = `e2e-retry-${Date.now()}`;
  const url = `https://receiver.consign.example/_sandbox/receiver/${inbox}`;
  const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });
  const received = async () =>
    (await (await fetch(`${sandboxUrl}/_sandbox/receiver/${inbox}`)).json()) as Received[];
  const failNext = (times: number) =>
    fetch(`${sandboxUrl}/_sandbox/receiver/${inbox}/fail`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ times }),
    });

  beforeAll(async () => {
    tablet = await openTablet("webhook-retry");
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Webhook retry",
    });
  });
  afterAll(async () => {
    // The demo seller keeps no endpoint of this journey's.
    const { body } = await api<{ endpoints: { id: string; url: string }[] }>("/api/v1/webhooks");
    for (const hook of body?.endpoints ?? [])
      if (hook.url === url) await api(`/api/v1/webhooks/${hook.id}`, { method: "DELETE" });
    await tablet?.close();
  });

  it("shows the endpoint's 500 in its delivery log, and its retry button sends the note's event again with the same webhook-id", {
    timeout: 180_000,
  }, async () => {
    const { page } = tablet;
    await failNext(1_000);

    await page.goto(`${edgeUrl}/settings`, NAV);
    const hooks = page.getByTestId("webhooks");
    await hooks.waitFor({ timeout: 30_000 });
    await hooks.getByLabel("Endpoint URL (https)").fill(url);
    // Only the notes event, so that orders arriving meanwhile send nothing here.
    for (const box of await hooks.getByRole("checkbox").all()) await box.uncheck();
    await hooks.getByLabel(/order\.notes_changed/).check();
    await hooks.getByRole("button", { name: "Add endpoint" }).click();
    const secretBox = page.getByTestId("webhook-secret-value");
    await secretBox.waitFor({ timeout: 15_000 });
    const secret = (await secretBox.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "I have stored it" }).click();

    // The event: a note typed into an order's drawer (one with no note yet).
    const [orderId] = await ordersWithoutNotes(api, 1);
    await page.goto(`${edgeUrl}/`, NAV);
    await openOrderDrawer(page, orderId!);
    await page.getByTestId("order-notes").click();
    // Typed key by key: each keystroke is an update of the collaborative text, and the room sends
    // one order.notes_changed once the typing has paused, with the whole note.
    const note = "Fragile: webhook retry journey";
    await page.getByTestId("order-notes").pressSequentially(note, { delay: 20 });
    await page.locator("#drawer-title").click();

    // The receiver answered 500 to the first attempt.
    await expect.poll(async () => (await received()).length, { timeout: 60_000 }).toBeGreaterThan(0);
    const first = (await received())[0]!;
    expect(JSON.parse(first.body)).toMatchObject({
      type: "order.notes_changed",
      data: { orderId, notes: note },
    });
    // One event for the whole note, not one per keystroke.
    await page.waitForTimeout(7_000);
    expect(await received()).toHaveLength(1);

    // The owner sees it in the log, in words, with the next attempt still to come.
    await page.goto(`${edgeUrl}/settings`, NAV);
    const endpoint = hooks.getByTestId("webhook-endpoint").filter({ hasText: url });
    await endpoint.waitFor({ timeout: 30_000 });
    await endpoint.getByRole("button", { name: "Delivery log" }).click();
    const attempt = endpoint.getByTestId("webhook-delivery").first();
    await attempt.waitFor({ timeout: 15_000 });
    expect(await attempt.textContent()).toContain("HTTP 500");
    expect(await attempt.textContent()).toContain("will retry");
    await screenshot(page, "webhook-delivery-failed");

    // The endpoint is back; the owner does not wait for the backoff and sends it now.
    await failNext(0);
    await endpoint.getByRole("button", { name: /^Send 1 waiting delivery now$/ }).click();
    await expect
      .poll(async () => (await page.getByTestId("webhook-said").textContent()) ?? "", { timeout: 15_000 })
      .toContain("1 delivery is being sent again now");

    await expect.poll(async () => (await received()).length, { timeout: 60_000 }).toBe(2);
    const [again] = (await received()).slice(1);
    // The same message: receivers that dedupe on webhook-id see it once.
    expect(again!.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(again!.body).toBe(first.body);
    // Signed with the secret shown once (Standard Webhooks: v1,<base64 HMAC-SHA256>).
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const signed = `${again!.headers["webhook-id"]}.${again!.headers["webhook-timestamp"]}.${again!.body}`;
    const expected = createHmac("sha256", key).update(signed).digest("base64");
    expect(again!.headers["webhook-signature"]?.split(" ")).toContain(`v1,${expected}`);

    // And the log says so when the owner looks again.
    await page.goto(`${edgeUrl}/settings`, NAV);
    await endpoint.waitFor({ timeout: 30_000 });
    await endpoint.getByRole("button", { name: "Delivery log" }).click();
    await expect
      .poll(async () => (await endpoint.getByTestId("webhook-delivery").first().textContent()) ?? "", {
        timeout: 15_000,
      })
      .toMatch(/Delivered \(HTTP 20\d\)/);
    // Nothing is left waiting, so no retry is offered.
    expect(await endpoint.getByRole("button", { name: /waiting deliver|failed deliver/ }).count()).toBe(0);
    await screenshot(page, "webhook-delivery-retried");
  });
});
