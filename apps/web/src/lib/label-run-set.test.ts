import { splitIntoRuns } from "@consign/domain";
import { describe, expect, it } from "vitest";
import { buyInRuns, runSetFailures, runSetFinished } from "./label-run-set.ts";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `o${i}`);

describe("buying a big selection as runs the API accepts", () => {
  it("sends 1,200 orders as runs of at most 500, in order, and follows every run", async () => {
    const sent: string[][] = [];
    const set = await buyInRuns(
      ids(1200),
      async (orderIds) => {
        sent.push(orderIds);
        return { runId: `run${sent.length}` };
      },
      () => {},
      500,
      splitIntoRuns,
    );
    expect(sent.map((r) => r.length)).toEqual([500, 500, 200]);
    expect(sent.flat()).toEqual(ids(1200));
    expect(set.runIds).toEqual(["run1", "run2", "run3"]);
    const runs = set.runIds.map((runId) => ({
      runId,
      startedAt: 0,
      startedBy: "me",
      total: 1,
      done: 1,
      failed: 0,
    }));
    expect(runSetFinished(set, runs, 3)).toBe(false);
    expect(
      runSetFinished(
        set,
        runs.map((r) => ({ ...r, finishedAt: 1 })),
        3,
      ),
    ).toBe(true);
  });

  it("names the orders the edge refused and buys the rest of that run", async () => {
    const sent: string[][] = [];
    const set = await buyInRuns(
      ids(3),
      async (orderIds) => {
        sent.push(orderIds);
        if (orderIds.includes("o1"))
          throw {
            message: "1 of 3 orders cannot take a label now; nothing was bought.",
            fields: [{ path: "orderIds.1", message: "The buyer asked to cancel order o1" }],
          };
        return { runId: "run-ok" };
      },
      () => {},
      500,
      splitIntoRuns,
    );
    expect(sent).toEqual([
      ["o0", "o1", "o2"],
      ["o0", "o2"],
    ]);
    expect(set.runIds).toEqual(["run-ok"]);
    const failures = runSetFailures(set, [
      {
        runId: "run-ok",
        startedAt: 0,
        startedBy: "me",
        total: 2,
        done: 1,
        failed: 1,
        failures: { o2: "DPD said no" },
      },
    ]);
    expect(failures).toEqual({ o1: "The buyer asked to cancel order o1", o2: "DPD said no" });
  });

  it("fails a whole run's orders with the reason when the edge refuses it outright", async () => {
    const set = await buyInRuns(
      ids(2),
      async () => {
        throw { message: "Connect a courier first." };
      },
      () => {},
      500,
      splitIntoRuns,
    );
    expect(set.refused).toEqual({
      o0: "Not bought: Connect a courier first.",
      o1: "Not bought: Connect a courier first.",
    });
  });
});
