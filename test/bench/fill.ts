import { generateOrders } from "@consign/domain/testing";
import { upsertOrders } from "@consign/sync";
import type { BrowserContext, Page } from "playwright-core";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { launchChromium } from "../../scripts/chromium.mjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack } from "../../scripts/stack.mjs";

export interface FilledSeller {
  email: string;
  password: string;
  sellerId: string;
}

/** Signs a new seller up on the stack at `url` and loads `n` open orders into its live document. */
export async function signUpAndFill(url: string, n: number, seed = 7): Promise<FilledSeller> {
  const email = `pwa-bench-${Date.now()}@example.co.uk`;
  const password = "benchmark password";
  const grant: { sessionToken: string; memberships: { sellerId: string }[] } = await signUpOnLocalStack(url, {
    sellerName: "Bench Ltd",
    name: "Bench",
    email,
    password,
    deviceName: "loader",
  });
  const sellerId = grant.memberships[0]!.sellerId;
  const token = (await (
    await fetch(`${url}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${grant.sessionToken}` },
      body: JSON.stringify({ sellerId }),
    })
  ).json()) as { accessToken: string };

  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, "ws")}/sync`, sellerId, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: token.accessToken },
  });
  await new Promise<void>((r) => provider.once("sync", () => r()));
  const orders = generateOrders(n, { seed, now: Date.now(), days: 4 }).map((o) => ({
    ...o,
    state: "new" as const,
    shipments: [],
    confirmation: { state: "none" as const, attempts: 0 },
  }));
  for (let i = 0; i < orders.length; i += 500) upsertOrders(doc, orders.slice(i, i + 500), "bench");
  await new Promise((r) => setTimeout(r, 3000));
  provider.destroy();
  return { email, password, sellerId };
}

/**
 * Waits until the "All" view counts `n` orders. A function, not a string: the app's Content Security
 * Policy forbids evaluating strings in the page (and the function holds no named inner function, so
 * tsx adds no helper that would not exist inside the page).
 */
export function waitAllLoaded(page: Page, n: number, timeout: number): Promise<unknown> {
  return page.waitForFunction(
    (count) => document.querySelector("[data-testid=view-all] .count")?.textContent === String(count),
    n,
    { timeout },
  );
}

/** A fresh Chromium tablet signed in as `seller`, on the "All" view, with all `n` orders on the device. */
export async function openFilledTablet(
  url: string,
  seller: FilledSeller,
  n: number,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchChromium({ name: "pwa-bench", viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${url}/signin`, { timeout: 180_000 });
  await page.getByLabel("Email").fill(seller.email);
  await page.getByLabel("Password").fill(seller.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("view-all").click();
  // An import from Amazon may still be under way: its first orders can take a while to arrive.
  await page.getByTestId("order-row").first().waitFor({ timeout: 600_000 });
  // The first rows show before a big document has all arrived: wait for all N, or what follows measures
  // a partly loaded document (with the rest streaming in meanwhile).
  await waitAllLoaded(page, n, 1_200_000);
  return { context, page };
}
