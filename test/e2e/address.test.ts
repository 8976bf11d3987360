// Correcting a delivery address from the order drawer, in Chromium against the whole stack: a
// postcode the courier would refuse is named on its field; a good one shows beside Amazon's with
// who and which tablet, the API has it, and Amazon's address is untouched.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type BuyableOrder, edgeApi, openTablet, readyToBuy, screenshot, signInTablet } from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");

interface ApiAddress {
  line1: string;
  postcode: string;
}
interface ApiOrder extends BuyableOrder {
  recipient: ApiAddress | null;
  addressCorrection: { address: ApiAddress; by: string; device: string | null; reason: string | null } | null;
  shipments: unknown[];
}

describe("correcting an address on the tablet", () => {
  let tablet: Awaited<ReturnType<typeof openTablet>>;
  const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });
  beforeAll(async () => {
    tablet = await openTablet("address");
    await signInTablet(tablet.page, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Returns desk",
    });
  }, 180_000);
  afterAll(async () => tablet?.close());

  it("names a bad postcode, then shows the corrected address beside Amazon's with who and where", {
    timeout: 180_000,
  }, async () => {
    const { body } = await api<{ orders: ApiOrder[] }>("/api/v1/orders?state=new&limit=100");
    const order = readyToBuy(body.orders).find(
      (o) => o.recipient && !o.addressCorrection && o.shipments.length === 0,
    )!;
    expect(order, "an order awaiting its label").toBeDefined();
    const { page } = tablet;
    await page.getByTestId("view-all").click();
    await page.getByTestId("search-input").fill(order.orderId);
    await page.getByRole("button", { name: `Open order ${order.orderId}` }).click();
    const drawer = page.getByTestId("order-drawer");
    await drawer.getByTestId("correct-address").click();
    const form = drawer.getByRole("form", { name: "Correct the delivery address" });
    await form.getByLabel("Address line 1").fill("Flat 3, Mill House");
    await form.getByLabel("Postcode").fill("NOT A CODE");
    await form.getByRole("button", { name: "Save the address" }).click();
    await expect
      .poll(() => form.locator(".field-error").first().textContent(), { timeout: 20_000 })
      .toMatch(/not a UK postcode/);
    await form.getByLabel("Postcode").fill("LS1 4AB");
    await form.getByLabel("Why (for the history)").fill("buyer's message: flat number");
    await form.getByRole("button", { name: "Save the address" }).click();
    const corrected = drawer.getByTestId("address-correction");
    await expect.poll(() => corrected.textContent(), { timeout: 20_000 }).toContain("Flat 3, Mill House");
    expect(await corrected.textContent()).toMatch(/by .+ on Returns desk: buyer's message: flat number/);
    await screenshot(page, "address-corrected-1280x800");
    const after = await api<ApiOrder>(`/api/v1/orders/${order.orderId}`);
    expect(after.body.addressCorrection?.address).toMatchObject({
      line1: "Flat 3, Mill House",
      postcode: "LS1 4AB",
    });
    expect(after.body.addressCorrection?.device).toBe("Returns desk");
    expect(after.body.recipient).toEqual(order.recipient);
    // Back to Amazon's address: the order is as it was.
    await drawer.getByRole("button", { name: "Use Amazon's address" }).click();
    await expect.poll(() => corrected.count(), { timeout: 20_000 }).toBe(0);
    await page.keyboard.press("Escape");
  });
});
