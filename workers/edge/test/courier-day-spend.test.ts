import { ROYAL_MAIL_SERVICES } from "@consign/couriers";
import { describe, expect, it } from "vitest";
import { buyLabelsInBulk } from "../src/labels/bulk.ts";
import { inSellerRoom, newLedger, royalMailOrders } from "../src/labels/testing.ts";
import { daySpend, ukDayBounds } from "../src/room/spend.ts";

const ukToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(Date.now()); // yyyy-mm-dd

describe("the day's spend", () => {
  it("a line per courier and service, voided labels counted but not costed", async () => {
    const account = crypto.randomUUID();
    const orders = royalMailOrders(9).map((r, i) =>
      i < 6 ? r : { ...r, courier: "evri" as const, shipment: { ...r.shipment, serviceCode: "EVRI48" } },
    );
    const spend = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      await ledger.voidLabel(orders[0]!.orderId);
      return daySpend(state.storage.sql, ukToday());
    });
    // The sample parcel (450 g, 300x200x50 mm) is a Royal Mail small parcel.
    const tracked24 = Number(
      ROYAL_MAIL_SERVICES.find((s) => s.serviceCode === "TPN24")?.prices["small-parcel"],
    );
    expect(spend.lines).toEqual([
      {
        courier: "evri",
        serviceCode: "EVRI48",
        service: "Evri Standard",
        labels: 3,
        voided: 0,
        costPence: 3 * 319,
      },
      {
        courier: "royal-mail",
        serviceCode: "TPN24",
        service: "Royal Mail Tracked 24",
        labels: 6,
        voided: 1,
        costPence: Math.round(5 * tracked24 * 100),
      },
    ]);
    expect(spend.labels).toBe(9);
    expect(spend.costPence).toBe(3 * 319 + Math.round(5 * tracked24 * 100));
  });

  it("a UK day runs midnight to midnight in UK time", () => {
    expect(ukDayBounds("2026-07-05")).toEqual({
      from: Date.UTC(2026, 6, 4, 23),
      to: Date.UTC(2026, 6, 5, 23),
    });
    expect(ukDayBounds("2026-12-05")).toEqual({ from: Date.UTC(2026, 11, 5), to: Date.UTC(2026, 11, 6) });
  });
});
