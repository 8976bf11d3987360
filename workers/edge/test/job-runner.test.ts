// The room's alarm runs its jobs through a JobRunner: a slow job (review requests at Amazon's
// 1 a second) must not hold the alarm, because while it runs no other alarm fires, and a label run
// asked for meanwhile would wait for it. A job still running is not started a second time.
import { describe, expect, it } from "vitest";
import { type JobName, JobRunner } from "../src/room/alarms.ts";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

describe("the room's alarm jobs", () => {
  it("returns after its wait while a slow job goes on, and then runs the next alarm's jobs", async () => {
    const runner = new JobRunner(30);
    const slow = gate();
    let slowRuns = 0;
    let labelRuns = 0;
    const busy: JobName[] = [];
    const jobs = (): Map<JobName, () => Promise<unknown>> =>
      new Map<JobName, () => Promise<unknown>>([
        [
          "health",
          async () => {
            slowRuns++;
            await slow.opened;
          },
        ],
        [
          "labels",
          async () => {
            labelRuns++;
          },
        ],
      ]);

    // First alarm: both start; the alarm is over although review requests are still going.
    await runner.run(jobs(), (j) => busy.push(j));
    expect(labelRuns).toBe(1);
    expect(runner.isRunning("health")).toBe(true);

    // Next alarm (a label run was asked for): labels run again, the slow job is not doubled.
    await runner.run(jobs(), (j) => busy.push(j));
    expect(labelRuns).toBe(2);
    expect(slowRuns).toBe(1);
    expect(busy).toEqual(["health"]);

    // Once it finishes it can run again.
    slow.open();
    await slow.opened;
    await new Promise((r) => setTimeout(r, 0));
    expect(runner.isRunning("health")).toBe(false);
    await runner.run(jobs(), (j) => busy.push(j));
    expect(slowRuns).toBe(2);
  });

  it("waits for jobs that finish within the wait", async () => {
    const runner = new JobRunner(5_000);
    let done = false;
    await runner.run(
      new Map<JobName, () => Promise<unknown>>([
        [
          "import",
          async () => {
            await new Promise((r) => setTimeout(r, 20));
            done = true;
          },
        ],
      ]),
      () => undefined,
    );
    expect(done).toBe(true);
  });
});
