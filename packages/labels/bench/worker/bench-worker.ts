// Runs inside a Chromium dedicated worker: the same measurement as labels.bench.ts, our writer only.
import { renderLabelChunks } from "../../src/render-labels.ts";
import { uniqueLabels } from "../../test/fixtures.ts";

const N = 1000;
const labels = uniqueLabels(N);
const runs: { total: number; first50: number; bytes: number }[] = [];
for (let r = 0; r < 8; r++) {
  const t0 = performance.now();
  let first50 = 0;
  let bytes = 0;
  for (const part of renderLabelChunks(labels, { first: 50 })) {
    if (part.from === 0) first50 = performance.now() - t0;
    bytes += part.pdf.length;
  }
  runs.push({ total: performance.now() - t0, first50, bytes });
}
(globalThis as unknown as { postMessage(message: unknown): void }).postMessage(runs);
