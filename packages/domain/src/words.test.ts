import { describe, expect, it } from "vitest";
import type { Order } from "./order.ts";
import { historySentence, openCancellationRequest, plural, serviceName } from "./words.ts";

const order = (over: Partial<Order> = {}): Order => ({
  orderId: "203-1234567-1234567",
  marketplaceId: "A1F83G8C2ARO7P",
  purchaseDate: 0,
  lastUpdated: 0,
  amazonStatus: "UNSHIPPED",
  fulfilmentChannel: "MFN",
  shipServiceLevel: "Standard",
  isPrime: false,
  earliestShipDate: 0,
  latestShipDate: 0,
  items: [],
  state: "new",
  labelRevision: 0,
  shipments: [],
  confirmation: { state: "none", attempts: 0 },
  ...over,
});

describe("words a packer uses", () => {
  it("names courier services as the couriers do", () => {
    expect(serviceName("royal-mail", "TPN24")).toBe("Royal Mail Tracked 24");
    expect(serviceName("dpd", "1^12")).toBe("DPD Next Day");
    expect(serviceName("evri", "EVRI24")).toBe("Evri Next Day");
    // An unknown code still says whose it is.
    expect(serviceName("royal-mail", "XYZ")).toBe("Royal Mail XYZ");
  });

  it("counts in words", () => {
    expect(plural(1, "label")).toBe("1 label");
    expect(plural(0, "label")).toBe("0 labels");
    expect(plural(20, "order")).toBe("20 orders");
  });

  it("tells the history in sentences", () => {
    expect(historySentence({ at: 0, by: "Sam", action: "markReady" })).toBe("Marked ready to pack");
    expect(
      historySentence({ at: 0, by: "Sam", action: "labelBought", detail: "royal-mail TPN24 AB123456789GB" }),
    ).toBe("Label bought: Royal Mail Tracked 24, tracking AB123456789GB");
    expect(
      historySentence({ at: 0, by: "Sam", action: "cancel", detail: "by buyer: Ordered by mistake" }),
    ).toBe("Cancelled at the buyer's request: Ordered by mistake");
    expect(historySentence({ at: 0, by: "Amazon", action: "confirmed" })).toBe(
      "Dispatch confirmed on Amazon",
    );
    expect(historySentence({ at: 0, by: "Sam", action: "somethingNew" })).toBe("Something new");
  });

  it("a buyer's cancellation request stays open until it is answered", () => {
    const asked = order({
      buyerCancellationRequested: true,
      cancellationRequestReason: "Ordered by mistake",
    });
    expect(openCancellationRequest(asked)).toBe(true);
    expect(openCancellationRequest({ ...asked, state: "cancelled" })).toBe(false);
    expect(openCancellationRequest({ ...asked, state: "dispatched" })).toBe(false);
    const kept = {
      ...asked,
      history: [{ at: 1, by: "Sam", action: "keptDespiteCancellationRequest", detail: "already shipped" }],
    };
    expect(openCancellationRequest(kept)).toBe(false);
    expect(openCancellationRequest(order())).toBe(false);
  });
});
