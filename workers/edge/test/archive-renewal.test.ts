// The nightly archive renews the live document (a new generation) when tombstones dominate; every
// connected device then reloads. It must not do that under a packer's hands in the working day.
import { nextUkTime } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { rebaseThreshold } from "../src/room/core.ts";

const at = (iso: string) => Date.parse(iso);

describe("when the archive may renew the live document", () => {
  it("renews at the usual threshold when no device is connected, whatever the hour", () => {
    expect(rebaseThreshold(at("2026-12-07T14:00:00Z"), 0)).toBeUndefined();
  });

  it("with tablets connected, waits for the small hours (UK time, across the clock change)", () => {
    // 14:00 on a Monday in December (GMT): the team is packing, so only a runaway document renews.
    expect(rebaseThreshold(at("2026-12-07T14:00:00Z"), 3)).toBeGreaterThan(2_000);
    // 02:30 GMT in winter, and 02:30 BST in summer (01:30 UTC): quiet.
    expect(rebaseThreshold(at("2026-12-08T02:30:00Z"), 3)).toBeUndefined();
    expect(rebaseThreshold(at("2026-07-08T01:30:00Z"), 3)).toBeUndefined();
    // 05:30 BST (04:30 UTC) is the early shift in summer: not quiet.
    expect(rebaseThreshold(at("2026-07-08T04:30:00Z"), 3)).toBeGreaterThan(2_000);
  });

  it("runs each night at 02:30 UK time, within the next day", () => {
    const now = at("2026-12-07T14:00:00Z");
    const next = nextUkTime(now, "02:30");
    expect(new Date(next).toISOString()).toBe("2026-12-08T02:30:00.000Z");
    expect(rebaseThreshold(next, 3)).toBeUndefined();
  });
});
