// Small shared state beside the orders: the team's settings and the progress of bulk label runs.

import type * as Y from "yjs";
import { jsonEqual } from "./equal.ts";
import { runsMap, settingsMap } from "./schema.ts";

export function readSetting<T>(doc: Y.Doc, key: string): T | undefined {
  return settingsMap(doc).get(key) as T | undefined;
}

export function writeSetting(doc: Y.Doc, key: string, value: unknown, origin?: unknown): void {
  const settings = settingsMap(doc);
  if (jsonEqual(settings.get(key), value)) return;
  doc.transact(() => (value === undefined ? settings.delete(key) : settings.set(key, value)), origin);
}

/** Progress of one bulk label run, written by the room as labels are bought. */
export interface LabelRunProgress {
  runId: string;
  startedAt: number;
  startedBy: string;
  total: number;
  done: number;
  failed: number;
  finishedAt?: number;
  /** orderId → reason, for the orders whose label could not be bought. */
  failures?: Record<string, string>;
}

export function readRun(doc: Y.Doc, runId: string): LabelRunProgress | undefined {
  return runsMap(doc).get(runId) as LabelRunProgress | undefined;
}

export function listRuns(doc: Y.Doc): LabelRunProgress[] {
  return [...runsMap(doc).values()] as LabelRunProgress[];
}

export function writeRun(doc: Y.Doc, run: LabelRunProgress, origin?: unknown): void {
  if (jsonEqual(runsMap(doc).get(run.runId), run)) return;
  doc.transact(() => runsMap(doc).set(run.runId, run), origin);
}

export function removeRuns(doc: Y.Doc, runIds: readonly string[], origin?: unknown): void {
  doc.transact(() => {
    for (const id of runIds) runsMap(doc).delete(id);
  }, origin);
}
