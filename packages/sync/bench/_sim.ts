import { simulateYear } from "/work/main/packages/sync/test/year-simulation.ts";
const t = performance.now();
const r = simulateYear({ days: 20 });
console.log((performance.now() - t).toFixed(0), "ms");
for (const s of r.samples) console.log(JSON.stringify(s));
