// What the USB printer journeys share (usb-print, pro-shipping-print): a tablet with the STAND-IN
// printer (stand-in-printer.ts, a fake navigator.usb device; no real printer is involved), pairing
// it, orders bought through the API, and the bulk panel's print step for exactly those orders.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import {
  type BuyableOrder,
  type edgeApi,
  NAV,
  openTablet,
  readyToBuy,
  signInTablet,
  type TabletOptions,
} from "./browser.ts";
import { STAND_IN_PRINTER } from "./stand-in-printer.ts";

export type Tablet = Awaited<ReturnType<typeof openTablet>>;
type Api = ReturnType<typeof edgeApi>;
interface Demo {
  owner: string;
  password: string;
}

export function usbJourney(edgeUrl: string, demo: Demo, api: Api) {
  const statesOf = (ids: string[]) =>
    Promise.all(
      ids.map(
        async (id) => (await api<{ state: string }>(`/api/v1/orders/${encodeURIComponent(id)}`)).body.state,
      ),
    );

  return {
    statesOf,

    /** A tablet signed in as the demo owner with the stand-in printer plugged in. */
    async standInTablet(name: string, device: string, options: TabletOptions = {}): Promise<Tablet> {
      const tablet = await openTablet(name, undefined, options);
      await tablet.context.addInitScript(STAND_IN_PRINTER);
      await signInTablet(tablet.page, edgeUrl, { email: demo.owner, password: demo.password, device });
      return tablet;
    },

    /** Pairs the stand-in printer from the device card in Settings. */
    async pair(page: Page, { openSettings = true } = {}): Promise<void> {
      if (openSettings) await page.goto(`${edgeUrl}/settings`, NAV);
      const card = page.getByTestId("device-printer");
      await card.getByTestId("pair-printer").click();
      await expect
        .poll(() => card.getByTestId("paired-printer").textContent())
        .toBe("Stand-in USB label printer (test)");
    },

    /**
     * Printed orders stay "printed" (not confirmed straight away) so a journey can read that state;
     * returns what puts the team's setting back.
     */
    async holdConfirmOnPrint(): Promise<() => Promise<void>> {
      const before = (await api<{ autoConfirmOnPrint?: boolean }>("/api/v1/settings")).body
        .autoConfirmOnPrint;
      await api("/api/v1/settings", { method: "PATCH", body: JSON.stringify({ autoConfirmOnPrint: false }) });
      return async () => {
        await api("/api/v1/settings", {
          method: "PATCH",
          body: JSON.stringify({ autoConfirmOnPrint: before ?? true }),
        });
      };
    },

    /**
     * Labels bought through the API for `count` ready orders; resolves once each has its label. With
     * `service`, each order's service is set by hand first (as a packer would in its drawer).
     */
    async ordersWithLabels(
      count: number,
      service?: { courier: string; serviceCode: string },
    ): Promise<string[]> {
      const { body } = await api<{ orders: BuyableOrder[] }>("/api/v1/orders?state=new&limit=200");
      const ids = readyToBuy(body.orders)
        .map((o) => o.orderId)
        .slice(0, count);
      expect(ids.length).toBe(count);
      for (const id of service ? ids : []) {
        const set = await api(`/api/v1/orders/${encodeURIComponent(id)}/shipping`, {
          method: "PATCH",
          headers: { "Idempotency-Key": crypto.randomUUID() },
          body: JSON.stringify({ service }),
        });
        expect(set.status, JSON.stringify(set.body)).toBe(200);
      }
      const run = await api("/api/v1/labels/runs", {
        method: "POST",
        headers: { "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify({ orderIds: ids }),
      });
      expect(run.status, JSON.stringify(run.body)).toBeLessThan(300);
      await expect
        .poll(async () => (await statesOf(ids)).filter((s) => s === "label_bought").length, {
          timeout: 90_000,
          interval: 1000,
        })
        .toBe(count);
      return ids;
    },

    /** Opens the bulk panel on exactly `ids` and goes to its print step. */
    async printStep(page: Page, ids: string[]): Promise<void> {
      await page.goto(`${edgeUrl}/`, NAV);
      await page.getByTestId("view-all").click();
      const search = page.getByTestId("search-input");
      for (const id of ids) {
        // The list is virtualised: find each order by its number, then tick it (the selection stays).
        await search.fill(id);
        await page.getByRole("checkbox", { name: `Select order ${id}` }).check({ timeout: 30_000 });
      }
      await expect
        .poll(async () => (await page.getByTestId("selected-count").textContent()) ?? "")
        .toMatch(new RegExp(`\\b${ids.length}\\b`));
      await page.getByRole("button", { name: "Buy & print", exact: true }).click();
      await page.getByTestId("print-already-bought").click();
      await page.getByTestId("print-direct").waitFor({ timeout: 30_000 });
    },

    /** What the print step says of the run straight to the printer. */
    progressText: async (page: Page) =>
      ((await page.getByTestId("direct-print-progress").textContent()) ?? "").trim(),
  };
}
