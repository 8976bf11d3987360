// The label runs one "Buy" started: a selection bigger than the API takes in one run is bought as
// several (the domain's splitIntoRuns), and the panel follows them as one. A run the edge refused
// (an order changed since the check) names its orders as failed, so the totals always add up:
// bought + failed + still buying = the orders sent to buy.
import type { LabelRunProgress } from "@consign/sync";

export interface RunSet {
  /** Run ids the edge answered with, in the order the runs were sent. */
  runIds: string[];
  /** orderId → why its part of the selection was refused before any label was bought. */
  refused: Record<string, string>;
}

export const emptyRunSet = (): RunSet => ({ runIds: [], refused: {} });

/** Every failure of the set: refused runs first, then what each run reported. */
export function runSetFailures(set: RunSet, runs: readonly LabelRunProgress[]): Record<string, string> {
  const out: Record<string, string> = { ...set.refused };
  for (const run of runs) if (set.runIds.includes(run.runId)) Object.assign(out, run.failures ?? {});
  return out;
}

/** True once every run sent has finished (or none could be sent). */
export function runSetFinished(set: RunSet, runs: readonly LabelRunProgress[], sent: number): boolean {
  if (set.runIds.length < sent) return false;
  return set.runIds.every((id) => runs.find((r) => r.runId === id)?.finishedAt !== undefined);
}

/** The refusal of one run as per-order reasons: the edge names each order at fault in `fields`. */
export function refusalReasons(
  orderIds: readonly string[],
  error: { message: string; fields?: { path: string; message: string }[] },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of error.fields ?? []) {
    const i = /^orderIds\.(\d+)$/.exec(f.path)?.[1];
    const id = i === undefined ? undefined : orderIds[Number(i)];
    if (id) out[id] = f.message;
  }
  for (const id of orderIds) out[id] ??= `Not bought: ${error.message}`;
  return out;
}

export interface RunSubmitError {
  message: string;
  fields?: { path: string; message: string }[];
}

/**
 * Sends the selection as runs of at most `max` orders. When the edge refuses a run because some of
 * its orders cannot take a label (they changed since the check), those orders are recorded with
 * the edge's reason and the rest of that run is sent again, once; any other refusal fails the
 * run's orders with its message. `onRun` sees each run id as soon as it is answered.
 */
export async function buyInRuns(
  ids: readonly string[],
  submit: (orderIds: string[]) => Promise<{ runId?: string } | undefined>,
  onChange: (set: RunSet) => void,
  max: number,
  split: (ids: readonly string[], max: number) => string[][],
): Promise<RunSet> {
  const set = emptyRunSet();
  for (const run of split(ids, max)) {
    let orderIds = run;
    for (let attempt = 0; attempt < 2 && orderIds.length > 0; attempt++) {
      try {
        const answer = await submit(orderIds);
        if (answer?.runId) set.runIds.push(answer.runId);
        break;
      } catch (err) {
        const error = err as RunSubmitError;
        const reasons = refusalReasons(orderIds, error);
        const named = new Set(
          (error.fields ?? [])
            .map((f) => /^orderIds\.(\d+)$/.exec(f.path)?.[1])
            .filter((i): i is string => i !== undefined)
            .map((i) => orderIds[Number(i)]),
        );
        if (attempt === 0 && named.size > 0 && named.size < orderIds.length) {
          for (const id of named) if (id) set.refused[id] = reasons[id]!;
          orderIds = orderIds.filter((id) => !named.has(id));
          continue;
        }
        Object.assign(set.refused, reasons);
        break;
      }
    }
    onChange({ runIds: [...set.runIds], refused: { ...set.refused } });
  }
  return set;
}
