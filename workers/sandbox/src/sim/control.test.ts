import { describe, expect, it } from "vitest";
import { simControl } from "./control.ts";

describe("GET /_sandbox/sim/volumes", () => {
  it("gives each day's orders: Mondays +40%, the peak day three times, and their average", async () => {
    const res = await simControl.request(
      "/_sandbox/sim/volumes?from=2027-01-04&days=30&averagePerDay=1000&peakDay=25",
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { volumes: number[]; average: number };
    expect(body.volumes).toHaveLength(30);
    expect(body.volumes[0]).toBe(1400); // a Monday
    expect(body.volumes[6]).toBe(850); // a Sunday
    expect(body.volumes[25]).toBe(2850); // the Friday of the fourth week, three times 950
    // A month with its peak day averages above the plain week's 1,000.
    expect(body.average).toBeCloseTo(1075, 0);
  });

  it("says what is wrong with the query", async () => {
    const res = await simControl.request("/_sandbox/sim/volumes?from=4 Jan&days=0&averagePerDay=1000");
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain("from: a day as YYYY-MM-DD");
    expect(error).toContain("days");
  });
});
