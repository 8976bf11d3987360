import { describe, expect, it } from "vitest";
import { bestOffset, learnOffset, offsetOf } from "./room-clock.ts";

describe("the seller's time on a device (room-clock.ts)", () => {
  it("reads the room's time at the middle of the round trip", () => {
    // The device asked at 1,000 and heard back at 1,200; the room said 61,100: a minute ahead.
    expect(offsetOf({ sentAt: 1_000, receivedAt: 1_200, roomNow: 61_100 })).toBe(60_000);
    // A tablet whose clock is 3 hours fast reads a negative offset.
    expect(offsetOf({ sentAt: 10_800_000, receivedAt: 10_800_100, roomNow: 50 })).toBe(-10_800_000);
  });

  it("trusts the exchange with the shortest round trip", () => {
    expect(
      bestOffset([
        { sentAt: 0, receivedAt: 4_000, roomNow: 9_000 }, // slow: offset 7,000 ± 2,000
        { sentAt: 5_000, receivedAt: 5_020, roomNow: 10_010 }, // fast: offset 5,000 ± 10
        { sentAt: 6_000, receivedAt: 5_000, roomNow: 0 }, // the device's clock went back: ignored
      ]),
    ).toBe(5_000);
    expect(bestOffset([])).toBe(0);
  });

  it("learns a simulated room clock hours ahead, and keeps the last offset when offline", async () => {
    let device = 1_700_000_000_000;
    const deviceNow = () => device;
    const roomAhead = 6 * 3_600_000;
    const offset = await learnOffset(async () => {
      device += 40; // the request travels
      const room = device + roomAhead;
      device += 40; // the answer travels back
      return room;
    }, deviceNow);
    expect(offset).toBe(roomAhead);
    expect(await learnOffset(() => Promise.reject(new Error("Can't reach Consign")), deviceNow)).toBeNull();
  });
});
