// The seller's document in the document worker (apps/web/src/lib/doc-link.ts): two tabs of one
// browser share one copy and one socket to the room, an edit made in one tab shows in the other, and a
// tab closed right after an edit loses nothing; a reload shows the orders the worker kept on the device
// before the copy has loaded, and an order changed meanwhile by another tablet in its new state. Real Chromium against the whole stack in workerd.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  edgeApi,
  keptOrderCount,
  NAV,
  openOrderDrawer,
  openTablet,
  ordersWithoutNotes,
  signInTablet,
  waitForLiveList,
} from "./browser.ts";

const edgeUrl = inject("edgeUrl");
const demo = inject("demo");

type Tablet = Awaited<ReturnType<typeof openTablet>>;

const stateOf = (page: Page, id: string) =>
  page.locator(`[data-testid=order-row][data-order-id="${id}"]`).getAttribute("data-state");
const notesOf = (page: Page) => page.getByTestId("order-notes");

/** Sockets to the room opened by the page itself (none when the document worker holds the socket). */
function pageSockets(page: Page): string[] {
  const urls: string[] = [];
  page.on("websocket", (ws) => {
    if (ws.url().includes("/sync")) urls.push(ws.url());
  });
  return urls;
}

async function sharedDocWorkers(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { targetInfos } = (await cdp.send("Target.getTargets")) as {
      targetInfos: { type: string; url: string }[];
    };
    return targetInfos
      .filter((t) => t.type === "shared_worker" && t.url.includes("doc.worker"))
      .map((t) => t.url);
  } finally {
    await cdp.detach();
  }
}

async function showAll(page: Page, id: string): Promise<void> {
  await page.getByLabel("Filter by state").selectOption({ label: "Any state" });
  await page.getByTestId("view-all").click();
  await page.getByTestId("search-input").fill(id);
}

describe("two tabs of one tablet share the document worker", () => {
  let t: Tablet;
  let first: Page;
  let second: Page;
  const sockets: string[][] = [];
  const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

  beforeAll(async () => {
    t = await openTablet("doc-worker", undefined, { docWorker: true });
    first = t.page;
    sockets.push(pageSockets(first));
    // A fresh tablet's first page on a busy machine (the app's first load) may take a while.
    await first.goto(`${edgeUrl}/signin`, { ...NAV, timeout: 120_000 });
    await signInTablet(first, edgeUrl, {
      email: demo.owner,
      password: demo.password,
      device: "Worker tablet",
    });
    second = await t.context.newPage();
    sockets.push(pageSockets(second));
    await second.goto(`${edgeUrl}/?view=all`, NAV);
    await waitForLiveList(second);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it("opens one copy for both tabs: one worker, no socket of their own, both in step with the room", {
    timeout: 60_000,
  }, async () => {
    expect(await sharedDocWorkers(first)).toHaveLength(1);
    for (const page of [first, second]) {
      await expect
        .poll(() => page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 30_000 })
        .toBe("ok");
      expect(await page.locator("[data-testid=view-all] .count").textContent()).toBe(
        await first.locator("[data-testid=view-all] .count").textContent(),
      );
    }
    expect(sockets.flat()).toEqual([]);
  });

  it("shows a hold made in one tab in the other at once, and the room has it", {
    timeout: 60_000,
  }, async () => {
    const { body } = await api<{ orders: { orderId: string }[] }>("/api/v1/orders?state=new&limit=20");
    const id = body.orders[0]!.orderId;
    for (const page of [first, second]) await showAll(page, id);
    await first.getByRole("checkbox", { name: `Select order ${id}` }).click();
    await first.getByRole("button", { name: "Hold" }).first().click();
    await expect.poll(() => stateOf(first, id), { timeout: 10_000 }).toBe("on_hold");
    await expect.poll(() => stateOf(second, id), { timeout: 10_000 }).toBe("on_hold");
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state, {
        timeout: 20_000,
      })
      .toBe("on_hold");
  });

  it("shows a note typed in one tab in the other tab's open drawer", { timeout: 90_000 }, async () => {
    const [id] = await ordersWithoutNotes(api, 1);
    await openOrderDrawer(first, id!);
    await openOrderDrawer(second, id!);
    const note = "Fragile: two layers of bubble wrap";
    await notesOf(first).click();
    await notesOf(first).pressSequentially(note, { delay: 5 });
    await first.locator("#drawer-title").click();
    await expect.poll(() => notesOf(second).inputValue(), { timeout: 10_000 }).toBe(note);
    await expect
      .poll(async () => (await api<{ notes: string | null }>(`/api/v1/orders/${id}`)).body.notes, {
        timeout: 20_000,
      })
      .toBe(note);
    for (const page of [first, second]) await page.getByRole("button", { name: "Close order" }).click();
  });

  it("loses nothing when the tabs are closed right after an edit", { timeout: 120_000 }, async () => {
    const { body } = await api<{ orders: { orderId: string }[] }>("/api/v1/orders?state=new&limit=20");
    const id = body.orders[1]!.orderId;
    await showAll(second, id);
    await second.getByRole("checkbox", { name: `Select order ${id}` }).click();
    await second.getByRole("button", { name: "Hold" }).first().click();
    // Both tabs closed at once: nothing is left to keep the worker, nor to wait for the room.
    await Promise.all([second.close(), first.close()]);
    const page = await t.context.newPage();
    await page.goto(`${edgeUrl}/?view=all`, NAV);
    await waitForLiveList(page);
    await showAll(page, id);
    await expect.poll(() => stateOf(page, id), { timeout: 30_000 }).toBe("on_hold");
    await expect
      .poll(async () => (await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state, {
        timeout: 30_000,
      })
      .toBe("on_hold");
  });

  it("shows an order another tablet held while this one was closed: the orders kept on the device first, then the change", {
    timeout: 180_000,
  }, async () => {
    const { body } = await api<{ orders: { orderId: string }[] }>("/api/v1/orders?state=new&limit=20");
    const id = body.orders[2]!.orderId;
    // The worker keeps the orders a moment after they last changed: wait until they are on the device.
    const open = await t.context.newPage();
    await open.goto(`${edgeUrl}/?view=all`, NAV);
    await waitForLiveList(open);
    await expect.poll(() => keptOrderCount(open, demo.sellerId), { timeout: 60_000 }).toBeGreaterThan(0);
    for (const page of t.context.pages()) await page.close();

    const other = await openTablet("doc-worker-other");
    try {
      await signInTablet(other.page, edgeUrl, {
        email: demo.packer,
        password: demo.password,
        device: "Other tablet",
      });
      await showAll(other.page, id);
      await other.page.getByRole("checkbox", { name: `Select order ${id}` }).click();
      await other.page.getByRole("button", { name: "Hold" }).first().click();
      await expect
        .poll(async () => (await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state, {
          timeout: 30_000,
        })
        .toBe("on_hold");
    } finally {
      await other.close();
    }

    const page = await t.context.newPage();
    const said: string[] = [];
    page.on("console", (m) => said.push(m.text()));
    await page.goto(`${edgeUrl}/?view=all`, NAV);
    await waitForLiveList(page);
    await showAll(page, id);
    await expect.poll(() => stateOf(page, id), { timeout: 30_000 }).toBe("on_hold");
    // The list came from the orders kept on the device (before the copy had loaded), and the hold won.
    expect(said.some((text) => text.includes("kept on this device"))).toBe(true);
    await page.waitForTimeout(3_000);
    expect(await stateOf(page, id)).toBe("on_hold");
  });
});

describe("a tablet that had the document on the page when the worker became the default", () => {
  const api = edgeApi(edgeUrl, { email: demo.owner, password: demo.password, sellerId: demo.sellerId });

  it("keeps a hold made offline on the page: after the reload onto the worker it shows, and reaches the room once online", {
    timeout: 240_000,
  }, async () => {
    const t = await openTablet("doc-worker-switch", undefined, { docWorker: "device" });
    try {
      const page = t.page;
      await page.goto(`${edgeUrl}/signin`, { ...NAV, timeout: 120_000 });
      // The device as it was before the default changed: the document on the page.
      await page.evaluate(() => localStorage.setItem("consign.doc-worker.v1", "off"));
      await signInTablet(page, edgeUrl, {
        email: demo.owner,
        password: demo.password,
        device: "Switching tablet",
      });
      expect(await sharedDocWorkers(page)).toEqual([]);
      // Once the app is installed (its service worker serves the page), it opens offline.
      await page.evaluate(async () => void (await navigator.serviceWorker.ready));
      await page.reload(NAV);
      await waitForLiveList(page);
      const { body } = await api<{ orders: { orderId: string }[] }>("/api/v1/orders?state=new&limit=20");
      const id = body.orders[4]!.orderId;
      await showAll(page, id);
      await t.context.setOffline(true);
      await expect
        .poll(() => page.getByTestId("sync-chip").getAttribute("data-state"), { timeout: 20_000 })
        .toBe("offline");
      await page.getByRole("checkbox", { name: `Select order ${id}` }).click();
      await page.getByRole("button", { name: "Hold" }).first().click();
      await expect.poll(() => stateOf(page, id), { timeout: 10_000 }).toBe("on_hold");
      // The page's copy writes each change to IndexedDB as it is made; give that a moment.
      await page.waitForTimeout(1_000);
      expect((await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state).toBe("new");

      // The app now opens the document in the worker by default: still offline, the tablet reloads onto it.
      await page.evaluate(() => localStorage.removeItem("consign.doc-worker.v1"));
      await page.reload(NAV);
      await waitForLiveList(page);
      expect(await sharedDocWorkers(page)).toHaveLength(1);
      await showAll(page, id);
      await expect.poll(() => stateOf(page, id), { timeout: 30_000 }).toBe("on_hold");
      await t.context.setOffline(false);
      await expect
        .poll(async () => (await api<{ state: string }>(`/api/v1/orders/${id}`)).body.state, {
          timeout: 60_000,
        })
        .toBe("on_hold");
    } finally {
      await t.close();
    }
  });
});
