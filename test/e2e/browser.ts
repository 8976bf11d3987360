// Debian's Chromium driven by playwright-core: never a downloaded browser, never the network.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium, launchChromiumBrowser } from "../../scripts/chromium.mjs";

export const outputDir = join(import.meta.dirname, "..", "..", "test-output", "screenshots");
mkdirSync(outputDir, { recursive: true });

export { chromiumArgs } from "../../scripts/chromium.mjs";

/**
 * How every journey opens a page: once the document is parsed, then it waits for what it needs on
 * screen. The load event also waits for every script and icon, which a busy machine (CI with two
 * cores, the simulation's stack beside this one) once held past 30 s while the form was usable.
 */
export const NAV = { waitUntil: "domcontentloaded", timeout: 60_000 } as const;

/** Chromium's fake camera: a generated test pattern through the real getUserMedia path, no prompt. */
export const fakeCameraArgs = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

export interface TabletOptions {
  /** Extra Chromium switches (e.g. fakeCameraArgs), added after chromiumArgs. */
  args?: string[];
  /** Permissions granted to the app's origin (e.g. ["camera"]). */
  permissions?: string[];
  /** "block" keeps the service worker out, so that page.route sees every request the app makes. */
  serviceWorkers?: "allow" | "block";
  /**
   * Where the seller's document lives on this tablet: true, in the document worker
   * (apps/web/src/lib/doc-link.ts, shared by the tablet's tabs); false, on the page (the device switch
   * "consign.doc-worker.v1" = "off", the fallback path); "device", as the device's own switch says (the
   * journey sets it). Unset: CONSIGN_E2E_DOC_WORKER=0 puts every such tablet on the page, =1 in the worker;
   * otherwise the app's default.
   */
  docWorker?: boolean | "device";
}

/** A persistent context is one tablet: its own storage, service worker and IndexedDB. */
export async function openTablet(
  name: string,
  size: { width: number; height: number } = { width: 1280, height: 800 },
  options: TabletOptions = {},
): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const context = await launchChromium({
    name,
    args: options.args ?? [],
    viewport: size,
    ...(options.permissions ? { permissions: options.permissions } : {}),
    ...(options.serviceWorkers ? { serviceWorkers: options.serviceWorkers } : {}),
  });
  const fromEnv = { "0": false, "1": true }[process.env.CONSIGN_E2E_DOC_WORKER ?? ""];
  const docWorker = options.docWorker ?? fromEnv;
  if (typeof docWorker === "boolean") {
    await context.addInitScript(
      (value) => {
        try {
          localStorage.setItem("consign.doc-worker.v1", value);
        } catch {
          // a page without storage (about:blank)
        }
      },
      docWorker ? "on" : "off",
    );
  }
  const page = context.pages()[0] ?? (await context.newPage());
  // CONSIGN_E2E_CONSOLE=1 prints what each tablet's app says (its console), named by tablet.
  if (process.env.CONSIGN_E2E_CONSOLE)
    context.on("console", (m) =>
      console.log(`${new Date().toISOString()} [${name}] ${m.type()}: ${m.text()}`),
    );
  return { context, page, close: () => context.close() };
}

export async function launch(): Promise<Browser> {
  return launchChromiumBrowser();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Signs `email` in on a tablet and waits for the seller's orders to arrive on it ("All" view). */
export async function signInTablet(
  page: Page,
  edgeUrl: string,
  who: { email: string; password: string; device?: string },
  minRows = 20,
): Promise<void> {
  await page.goto(`${edgeUrl}/signin`, NAV);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  const deviceField = page.getByLabel("This device's name");
  if (await deviceField.count()) await deviceField.fill(who.device ?? "Test tablet");
  await page.getByRole("button", { name: "Sign in" }).click();
  // A fresh tablet loads the app and the seller's document: allow for a busy machine. The view
  // it opens on ("Due today") may be empty once other journeys have sent those orders: go to "All".
  await page.getByTestId("view-all").click({ timeout: 60_000 });
  // The "All" tab counts every order on the device (the list itself draws only those in view).
  const held = async () => Number((await page.locator("[data-testid=view-all] .count").textContent()) ?? 0);
  const started = Date.now();
  while ((await held()) < minRows || (await page.getByTestId("order-row").count()) === 0) {
    // Two minutes: a fresh tablet's first copy waits behind whatever the room is doing for the journeys
    // before it (fresh7 of session 10 met 60 s once, with unit tests running beside it).
    if (Date.now() - started > 120_000) throw new Error("the seller's orders did not arrive on the tablet");
    await page.waitForTimeout(250);
  }
}

/**
 * Demo orders no journey has written a note on yet, from the end of the list. Journeys that type
 * notes share the demo seller, and run one after another; picking by position alone let one
 * journey's note turn up in the next one's order (CI, session 6).
 */
export async function ordersWithoutNotes(api: ReturnType<typeof edgeApi>, count: number): Promise<string[]> {
  const list = await api<{ orders: { orderId: string; notes: string | null }[] }>("/api/v1/orders?limit=200");
  const free = list.body.orders.filter((o) => !o.notes).map((o) => o.orderId);
  if (free.length < count) throw new Error(`wanted ${count} demo orders without notes, found ${free.length}`);
  return free.slice(-count);
}

/** The edge's HTTP API as one signed-in person of one seller (a fresh access token per call). */
export function edgeApi(edgeUrl: string, who: { email: string; password: string; sellerId: string }) {
  let session: string | null = null;
  return async function call<T>(
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: T; type: string }> {
    if (!session) {
      const res = await fetch(`${edgeUrl}/auth/signin`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: who.email, password: who.password, deviceName: "test runner" }),
      });
      session = ((await res.json()) as { sessionToken: string }).sessionToken;
    }
    const { accessToken } = (await (
      await fetch(`${edgeUrl}/auth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${session}` },
        body: JSON.stringify({ sellerId: who.sellerId }),
      })
    ).json()) as { accessToken: string };
    const res = await fetch(`${edgeUrl}${path}`, {
      ...init,
      headers: {
        "Content-Type": "application/json",
        ...(init.headers ?? {}),
        Authorization: `Bearer ${accessToken}`,
      },
    });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    // JSON answers parsed; a document (a ZPL label) as its text
    const body = text ? (type.includes("json") ? JSON.parse(text) : text) : null;
    return { status: res.status, body: body as T, type };
  };
}

/** The part of an `/api/v1/orders` order that says whether a label can be bought for it now. */
export interface BuyableOrder {
  orderId: string;
  state: string;
  package: { weightGrams: number } | null;
  cancellationRequested: boolean;
}

/**
 * Orders a label can be bought for right now, as the PWA's "Ready" view counts them: new or ready,
 * weighed, no cancellation asked for. Journeys that run before may have taken the first ones.
 */
export function readyToBuy<T extends BuyableOrder>(orders: readonly T[]): T[] {
  return orders.filter(
    (o) =>
      (o.state === "new" || o.state === "ready") &&
      (o.package?.weightGrams ?? 0) > 0 &&
      !o.cancellationRequested,
  );
}

/**
 * The order ids of the rows drawn, top to bottom as the packer sees them. The list draws only the
 * rows near the viewport and reuses their elements, so DOM order is not screen order.
 */
export function rowIdsOnScreen(page: Page): Promise<string[]> {
  return page.getByTestId("order-row").evaluateAll((rows) =>
    rows
      .map((r) => ({ id: (r as HTMLElement).dataset.orderId ?? "", top: r.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((r) => r.id),
  );
}

/** The rows a finger can reach now: drawn, in the viewport and not covered (by the sticky filters, say). */
export function reachableRowIds(page: Page): Promise<string[]> {
  return page.getByTestId("order-row").evaluateAll((rows) =>
    rows
      .map((r) => {
        const box = r.getBoundingClientRect();
        const at = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return {
          id: (r as HTMLElement).dataset.orderId ?? "",
          top: box.top,
          reachable: !!at && r.contains(at),
        };
      })
      .filter((r) => r.reachable)
      .sort((a, b) => a.top - b.top)
      .map((r) => r.id),
  );
}

/** Opens an order's drawer from the "All" list by searching for it (closing any drawer open). */
export async function openOrderDrawer(page: Page, id: string): Promise<void> {
  const open = page.getByRole("button", { name: "Close order" });
  if (await open.count()) await open.click();
  await page.getByTestId("view-all").click();
  await page.getByTestId("search-input").fill(id);
  await page.getByRole("button", { name: `Open order ${id}` }).click({ timeout: 20_000 });
  await page.getByTestId("order-drawer").waitFor();
  await expect.poll(() => page.locator("#drawer-title").textContent()).toContain(id);
}

/**
 * Waits until the orders list is the live one: after a reload the tablet first paints the screen it
 * last showed (inert, `data-preview`), whose rows may have moved on since. Read rows after this.
 */
export async function waitForLiveList(page: Page): Promise<void> {
  await page.locator("[data-testid=orders-list]:not([data-preview])").waitFor({ timeout: 60_000 });
}

/** How many orders the document worker keeps on the device for the seller (0: none kept yet). */
export function keptOrderCount(page: Page, sellerId: string): Promise<number> {
  return page.evaluate(
    (seller) =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open("consign-kept-orders");
        req.onerror = () => resolve(0);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains("meta")) {
            db.close();
            resolve(0);
            return;
          }
          const get = db.transaction("meta").objectStore("meta").get(seller);
          get.onsuccess = () => {
            db.close();
            resolve((get.result as { count?: number } | undefined)?.count ?? 0);
          };
          get.onerror = () => resolve(0);
        };
      }),
    sellerId,
  );
}
