// Runs inside one fresh Chromium dedicated worker: optionally the app's warm-up (labelsWorkerApi.warmUp,
// what the PWA runs in idle time after sign-in), then the first real run of 1,000 labels, timed.
// The worker's name says how many warm-up labels: "warm-0" is a worker nobody warmed.

import { renderLabelChunks } from "../../src/render-labels.ts";
import { labelsWorkerApi } from "../../src/worker-api.ts";
import { uniqueLabels } from "../../test/fixtures.ts";

const warm = Number((globalThis as unknown as { name: string }).name.replace("warm-", "")) || 0;
const labels = uniqueLabels(1000);
const w0 = performance.now();
if (warm > 0) labelsWorkerApi.warmUp(warm);
const warmUp = performance.now() - w0;
const t0 = performance.now();
let first50 = 0;
for (const part of renderLabelChunks(labels, { first: 50 })) {
  if (part.from === 0) first50 = performance.now() - t0;
}
(globalThis as unknown as { postMessage(message: unknown): void }).postMessage({
  warm,
  warmUp,
  total: performance.now() - t0,
  first50,
});
