// "Accept cancellation" at the edge against the sandbox Amazon: the room sends the order
// acknowledgement feed (CancelReason BuyerCanceled), waits for Amazon's processing report, and cancels
// the order in the document with the buyer's reason in its history; Amazon records it as the buyer's.

import { env } from "cloudflare:workers";
import type { Order } from "@consign/domain";
import { createConsignDoc, readOrder, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import { Importer } from "../src/amazon/index.ts";
import type { Identity } from "../src/auth/identity.ts";
import type { AmazonLink } from "../src/room/amazon.ts";
import { BuyerCancellations } from "../src/room/cancellations.ts";
import {
  connectSeller,
  control,
  inRoom,
  RATE_SCALE,
  SANDBOX,
  settings,
  sleep,
  uniqueSeller,
} from "./amazon-helpers.ts";

const DAY = 86_400_000;

describe("buyer cancellation requests accepted through Amazon's order acknowledgement feed", () => {
  it("cancels the order on Amazon as buyer-requested and in the document with the buyer's reason; refuses one the buyer did not ask about", {
    timeout: 60_000,
  }, async () => {
    const spid = uniqueSeller("ACANCEL");
    await control(`${spid}/seed`, {
      orders: 300,
      unshipped: 150,
      historyDays: 30,
      seed: 7,
      arrivalsPerHour: 0,
    });
    await control(`${spid}/faults`, { rateScale: RATE_SCALE });
    // Every buyer's cancellation request in the demo data comes due within a day.
    await control(`${spid}/clock`, { advanceMs: DAY });
    await inRoom(`cancel-${spid}`, async (sql) => {
      const { vault } = await connectSeller(sql, spid);
      const client = await vault.client(settings());
      const imported: Order[] = [];
      const importer = new Importer({
        sql,
        client,
        onOrders: async (orders) => {
          imported.push(...orders);
        },
        options: { pollIntervalMs: 60 * 60_000 },
      });
      importer.start(Date.now());
      await importer.runOnce(Date.now());
      const asked = imported.find((o) => o.buyerCancellationRequested && o.state === "new");
      const notAsked = imported.find((o) => !o.buyerCancellationRequested && o.amazonStatus === "UNSHIPPED");
      expect(asked, "the sandbox seller has a buyer's cancellation request").toBeDefined();
      expect(asked?.cancellationRequestReason).toBeTruthy();

      const doc = createConsignDoc();
      upsertOrders(doc, imported, "import");
      const room = { doc, transact: (fn: (d: typeof doc) => void) => doc.transact(() => fn(doc)) };
      const link = {
        vault,
        accessToken: (refused?: string) => client.accessToken(refused),
        sectionOptions: () => ({
          fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
          baseUrl: env.SPAPI_BASE_URL,
          accessToken: (refused?: string) => client.accessToken(refused),
        }),
      } as unknown as AmazonLink;
      const cancellations = new BuyerCancellations(sql, link, room, 20_000, sleep);
      const sam = { name: "Sam" } as Identity;

      const result = await cancellations.accept(sam, asked!.orderId);
      expect(result).toMatchObject({ orderId: asked!.orderId, state: "cancelled" });
      const after = readOrder(doc, asked!.orderId);
      expect(after?.state).toBe("cancelled");
      expect(after?.cancelledBy).toBe("buyer");
      expect(after?.history?.at(-1)).toMatchObject({
        by: "Sam",
        action: "cancel",
        detail: `by buyer: ${asked!.cancellationRequestReason}`,
      });

      const sandbox = (await (await fetch(`${SANDBOX}/_sandbox/amazon/sellers/${spid}/feeds`)).json()) as {
        feeds: { feedType: string; processingStatus: string; document: string }[];
        cancellations: { orderId: string; buyerRequested: boolean; cancelReason: string }[];
      };
      expect(sandbox.cancellations).toEqual([
        expect.objectContaining({
          orderId: asked!.orderId,
          buyerRequested: true,
          cancelReason: "BuyerCanceled",
        }),
      ]);
      expect(sandbox.feeds[0]).toMatchObject({
        feedType: "POST_ORDER_ACKNOWLEDGEMENT_DATA",
        processingStatus: "DONE",
      });
      // Amazon's order now says so too.
      const onAmazon = await client.getOrder(asked!.orderId, ["FULFILLMENT"]);
      expect(onAmazon.fulfillment?.fulfillmentStatus).toBe("CANCELLED");

      // Asking again changes nothing and sends nothing.
      expect((await cancellations.accept(sam, asked!.orderId)).state).toBe("cancelled");
      // An order the buyer did not ask to cancel is refused before anything reaches Amazon.
      await expect(cancellations.accept(sam, notAsked!.orderId)).rejects.toThrow(/has not asked to cancel/);
      const later = (await (await fetch(`${SANDBOX}/_sandbox/amazon/sellers/${spid}/feeds`)).json()) as {
        feeds: unknown[];
      };
      expect(later.feeds).toHaveLength(1);
    });
  });
});
