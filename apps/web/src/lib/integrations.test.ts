import { describe, expect, it } from "vitest";
import { retryableRows, retryLabel, type WebhookDelivery } from "./integrations.ts";

const row = (
  id: number,
  messageId: string,
  messageState: WebhookDelivery["messageState"],
): WebhookDelivery => ({
  id,
  messageId,
  eventType: "order.created",
  attempt: 1,
  at: "2026-12-05T12:00:00.000Z",
  statusCode: 500,
  error: "HTTP 500",
  durationMs: 3,
  gaveUp: messageState === "failed",
  messageState,
});

describe("retryableRows", () => {
  it("offers one retry per message given up on, on its newest attempt, and none for delivered or waiting ones", () => {
    // Newest first, as the API answers.
    const log = [
      row(9, "msg_a", "failed"),
      row(8, "msg_b", "delivered"),
      row(7, "msg_a", "failed"),
      row(6, "msg_c", "pending"),
      row(5, "msg_d", "failed"),
    ];
    expect([...retryableRows(log)].sort()).toEqual([5, 9]);
  });
});

describe("retryLabel", () => {
  it("names what the endpoint's retry sends, and offers none when nothing failed or waits", () => {
    expect(retryLabel({ failedDeliveries: 0, waitingDeliveries: 0 })).toBeNull();
    expect(retryLabel({ failedDeliveries: 1, waitingDeliveries: 0 })).toBe("Retry 1 failed delivery");
    expect(retryLabel({ failedDeliveries: 0, waitingDeliveries: 3 })).toBe("Send 3 waiting deliveries now");
    expect(retryLabel({ failedDeliveries: 2, waitingDeliveries: 1 })).toBe(
      "Retry 3 failed or waiting deliveries now",
    );
  });
});
