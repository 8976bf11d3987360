// The nightly archive renews the live document (a new generation) when tombstones dominate; every
// connected device then reloads. It must not do that under a packer's hands, by day or by night.
import { nextUkTime } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { QUIET_AFTER_MS, rebaseThreshold } from "../src/room/core.ts";

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
/** Tablets connected, the last write long before `now`: a team gone home with the tablets left on. */
const idleSince = (now: number) => now - QUIET_AFTER_MS;

describe("when the archive may renew the live document", () => {
  it("renews at the usual threshold when no device is connected, whatever the hour and however recent the last write", () => {
    const now = at("2026-12-07T14:00:00Z");
    expect(rebaseThreshold(now, 0, now - MINUTE)).toBeUndefined();
  });

  it("with tablets connected and idle, waits for the small hours (UK time, across the clock change)", () => {
    // 14:00 on a Monday in December (GMT): the team is packing, so only a runaway document renews.
    const afternoon = at("2026-12-07T14:00:00Z");
    expect(rebaseThreshold(afternoon, 3, idleSince(afternoon))).toBeGreaterThan(2_000);
    // 02:30 GMT in winter, and 02:30 BST in summer (01:30 UTC): quiet.
    const winterNight = at("2026-12-08T02:30:00Z");
    const summerNight = at("2026-07-08T01:30:00Z");
    expect(rebaseThreshold(winterNight, 3, idleSince(winterNight))).toBeUndefined();
    expect(rebaseThreshold(summerNight, 3, idleSince(summerNight))).toBeUndefined();
    // 05:30 BST (04:30 UTC) is the early shift in summer: not quiet.
    const early = at("2026-07-08T04:30:00Z");
    expect(rebaseThreshold(early, 3, idleSince(early))).toBeGreaterThan(2_000);
  });

  it("does not interrupt a night shift that is packing: a write in the last 20 minutes holds the renewal off", () => {
    const night = at("2026-12-08T02:30:00Z");
    expect(rebaseThreshold(night, 2, night - 5 * MINUTE)).toBeGreaterThan(2_000);
    expect(rebaseThreshold(night, 2, night - QUIET_AFTER_MS + MINUTE)).toBeGreaterThan(2_000);
    expect(rebaseThreshold(night, 2, night - QUIET_AFTER_MS)).toBeUndefined();
  });

  it("runs each night at 02:30 UK time, within the next day", () => {
    const now = at("2026-12-07T14:00:00Z");
    const next = nextUkTime(now, "02:30");
    expect(new Date(next).toISOString()).toBe("2026-12-08T02:30:00.000Z");
    expect(rebaseThreshold(next, 3, idleSince(next))).toBeUndefined();
  });
});
